//! `zhixing import`: the edge of the importer: options, output, exit status.

use crate::cli::ImportArgs;
use chrono::NaiveDate;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use zhixing::domain::money::group_thousands;
use zhixing::import::{self, ImportOptions, Report};
use zhixing::words::count;

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
            "{} in {}: {what}; nothing was written",
            count(report.problems.len(), "problem"),
            count(rows, "row")
        );
        return;
    };
    let verb = if report.dry_run { "would add" } else { "added" };
    println!(
        "{} read, {} loaded, {} rejected in {seconds:.1} s{}",
        count(rows, "row"),
        n(rows - rejected),
        n(rejected),
        if report.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    );
    let added = [
        (c.subjects_added, "subject"),
        (c.cases_added, "case"),
        (c.obligations_added, "obligation"),
        (c.payments_added, "payment"),
        (c.listings_added, "listing"),
        (c.restrictions_added, "restriction"),
        (c.phones_added, "phone"),
        (c.courts_added, "court"),
    ];
    println!("{}", counted(verb, &added));
    let updated = [
        (c.subjects_updated, "subject"),
        (c.cases_updated, "case"),
        (c.obligations_updated, "obligation"),
    ];
    let verb = if report.dry_run {
        "would update"
    } else {
        "updated"
    };
    println!("{}", counted(verb, &updated));
    if std::io::stdout().is_terminal() && !c.changed() {
        let file = if report.files.len() == 1 {
            "the file"
        } else {
            "the files"
        };
        println!("the store already held everything in {file}");
    }
}

/// A count with its thousands grouped: 239,212.
fn n(count: impl TryInto<u64>) -> String {
    group_thousands(count.try_into().unwrap_or(0))
}

/// "added: 3 subjects, 1 case, ..." broken before a count that would
/// pass 78 columns, the next lines under the first count.
fn counted(verb: &str, counts: &[(i64, &str)]) -> String {
    const WIDTH: usize = 78;
    let indent = " ".repeat(verb.len() + 2);
    let mut out = format!("{verb}: ");
    let mut line_len = out.len();
    for (i, (number, what)) in counts.iter().enumerate() {
        let item = count(*number, what);
        let sep = if i + 1 < counts.len() { "," } else { "" };
        if i > 0 && line_len + 1 + item.len() + sep.len() > WIDTH {
            out.push('\n');
            out.push_str(&indent);
            line_len = indent.len();
        } else if i > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(&item);
        out.push_str(sep);
        line_len += item.len() + sep.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn counts_break_before_78_columns_under_the_first() {
        let counts = [
            (59_770, "subject"),
            (59_932, "case"),
            (74_416, "obligation"),
            (21_603, "payment"),
            (21_055, "listing"),
            (239_212, "restriction"),
            (70_226, "phone"),
            (8, "court"),
        ];
        assert_eq!(
            counted("added", &counts),
            "added: 59,770 subjects, 59,932 cases, 74,416 obligations, 21,603 payments,\n       \
             21,055 listings, 239,212 restrictions, 70,226 phones, 8 courts"
        );
        assert_eq!(
            counted("updated", &[(0, "subject"), (1, "case")]),
            "updated: 0 subjects, 1 case"
        );
    }
}
