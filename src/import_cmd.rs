//! `zhixing import`: the edge of the importer: options, output, exit status.

use crate::cli::ImportArgs;
use chrono::NaiveDate;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use zhixing::import::{self, ImportOptions, Report};

/// Exit status 1 when the input was refused, 0 when it was loaded (or,
/// in a dry run, would be).
pub fn run(
    db: &Path,
    args: ImportArgs,
    officer: Option<String>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let mut store = crate::commands::open_existing(db)?;
    // A dry run writes nothing, so it needs no officer.
    let officer_id = match officer.as_deref() {
        None if args.dry_run => None,
        login => Some(crate::commands::acting_officer(&store, login)?.id),
    };
    let opts = ImportOptions {
        encoding: args.encoding,
        skip_invalid: args.skip_invalid,
        rejects: args.rejects.clone(),
        dry_run: args.dry_run,
        officer_id,
        today,
        now: zhixing::store::acts::now_on(today),
        progress: !args.json,
    };
    let started = std::time::Instant::now();
    let report = import::run(&mut store, &args.files, &opts)?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_report(&report, started.elapsed().as_secs_f64());
    }
    Ok(if report.written() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_report(report: &Report, seconds: f64) {
    let mut err = std::io::stderr().lock();
    use std::io::Write;
    for p in &report.problems {
        let _ = writeln!(err, "{p}");
    }
    for f in &report.files {
        for w in &f.warnings {
            let _ = writeln!(err, "warning: {w}");
        }
    }
    let rows: u64 = report.files.iter().map(|f| f.rows).sum();
    let rejected: u64 = report.files.iter().map(|f| f.rejected).sum();
    let Some(c) = &report.counts else {
        let what = if report.fatal {
            "a file could not be read"
        } else {
            "rows failed their checks"
        };
        let _ = writeln!(
            err,
            "{} problem(s) in {rows} row(s): {what}; nothing was written",
            report.problems.len()
        );
        return;
    };
    let verb = if report.dry_run { "would add" } else { "added" };
    println!(
        "{rows} row(s) read, {} loaded, {rejected} rejected in {seconds:.1} s{}",
        rows - rejected,
        if report.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    );
    println!(
        "{verb}: {} subject(s), {} case(s), {} obligation(s), {} payment(s), {} listing(s), {} restriction(s), {} phone(s), {} court(s)",
        c.subjects_added,
        c.cases_added,
        c.obligations_added,
        c.payments_added,
        c.listings_added,
        c.restrictions_added,
        c.phones_added,
        c.courts_added
    );
    println!(
        "{}: {} subject(s), {} case(s), {} obligation(s)",
        if report.dry_run {
            "would update"
        } else {
            "updated"
        },
        c.subjects_updated,
        c.cases_updated,
        c.obligations_updated
    );
    if std::io::stdout().is_terminal() && !c.changed() {
        println!("the store already held everything in the file(s)");
    }
}
