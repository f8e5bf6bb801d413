//! What each subcommand does, at the edge: paths, messages, exit codes.

use crate::cli::{AuditWhat, Cli, Command};
use anyhow::{Context, bail};
use chrono::NaiveDate;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zhixing::demo::{self, DemoOptions};
use zhixing::store::Store;
use zhixing::store::officers::Officer;
use zhixing::tui::app::{self, AppOptions};
use zhixing::words::count;

pub fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let Cli {
        db,
        officer,
        command,
        officer_typed,
        ..
    } = cli;
    let store_path = || db.clone().map_or_else(|| default_path("zhixing.db"), Ok);
    let Some(command) = command else {
        return open_workstation(&store_path()?, officer, today);
    };
    match command {
        Command::Demo {
            subjects,
            seed,
            no_tui,
        } => {
            let path = db.map_or_else(|| default_path("demo.db"), Ok)?;
            let opts = DemoOptions {
                subjects,
                seed,
                as_of: today,
            };
            open_demo(&path, opts, no_tui, officer)
        }
        Command::Init {
            site,
            name,
            pin_file,
            from,
        } => match from {
            // clap refuses --name and --pin-file beside --from.
            Some(from) => crate::officer_cmd::init_from(&store_path()?, site, &from, today),
            None => crate::officer_cmd::init(
                &store_path()?,
                site,
                officer.as_deref(),
                name.as_deref().unwrap_or_default(),
                pin_file.as_deref(),
                today,
            ),
        },
        Command::Officer { what } => {
            crate::officer_cmd::run(&store_path()?, what, officer.as_deref(), today)
        }
        Command::Search {
            query,
            limit,
            json,
            timing,
        } => search(&store_path()?, &query, limit, json, timing, today),
        Command::Gen {
            subjects,
            seed,
            out,
        } => generate_csv(subjects, seed, out.as_deref(), today),
        Command::Import(args) => crate::import_cmd::run(&store_path()?, args, officer, today),
        Command::Export { what } => {
            crate::export_cmd::run(&store_path()?, what, officer.as_deref(), today)
        }
        Command::Notices { what } => {
            crate::receipts_cmd::receipts(&store_path()?, what, officer.as_deref(), today)
        }
        Command::Audit { what } => {
            // The environment's officer does not filter the log; a typed one does.
            let by = officer.filter(|_| officer_typed);
            audit(&store_path()?, what, by)
        }
        Command::Sync { what } => {
            crate::sync_cmd::run(&store_path()?, what, officer.as_deref(), today)
        }
        Command::Expire { dry_run } => {
            crate::expire::run(&store_path()?, officer.as_deref(), dry_run, today)
        }
        Command::Screenshots { out } => {
            crate::screenshots::render_all(&out, today)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `zhixing` alone: the TUI on the officer's store. A new store's first run
/// makes its first admin, who is then signed in.
fn open_workstation(
    path: &Path,
    officer: Option<String>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    need_terminal()?;
    let mut store = open_store(path)?;
    let made = if store.has_officers()? {
        None
    } else {
        let login = officer.as_deref();
        Some(crate::officer_cmd::first_admin_on_terminal(
            &mut store, login, today,
        )?)
    };
    run_tui(store, today, officer, made)
}

/// `zhixing demo`: a demo store built anew, opened signed in as its officer
/// (`demo` unless another is named).
fn open_demo(
    path: &Path,
    opts: DemoOptions,
    no_tui: bool,
    officer: Option<String>,
) -> anyhow::Result<ExitCode> {
    let today = opts.as_of;
    let store = build_demo(path, opts)?;
    if no_tui {
        return Ok(ExitCode::SUCCESS);
    }
    run_tui(store, today, None, officer.or(Some("demo".into())))
}

fn audit(path: &Path, what: AuditWhat, by: Option<String>) -> anyhow::Result<ExitCode> {
    match what {
        AuditWhat::Verify => crate::audit_cmd::verify(path),
        AuditWhat::Show {
            subject,
            since,
            json,
        } => crate::audit_cmd::show(path, subject.as_deref(), by, since, json),
    }
}

/// `zhixing gen`: the generator's CSV, to stdout or a file.
fn generate_csv(
    subjects: usize,
    seed: u64,
    out: Option<&Path>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let opts = zhixing::demo::generate_csv::GenOptions {
        subjects,
        seed,
        as_of: today,
    };
    let rows =
        crate::output::write_atomically(out, |w| zhixing::demo::generate_csv::write(w, opts))?;
    eprintln!(
        "{} for {} (seed {seed}, as of {today})",
        count(rows, "row"),
        count(subjects, "subject")
    );
    Ok(ExitCode::SUCCESS)
}

/// An existing store; a path with nothing there is an error, not a new store.
pub fn open_existing(path: &Path) -> anyhow::Result<Store> {
    if !path.exists() {
        bail!(
            "{}: no store there (give one with --db, or build the demo with `zhixing demo --no-tui`)",
            path.display()
        );
    }
    open_store(path)
}

/// Opens (or makes) the store, saying first when it is about to be
/// upgraded: on a big store the upgrade takes minutes, once.
pub fn open_store(path: &Path) -> anyhow::Result<Store> {
    if let Some(from) = Store::version_at(path)
        && from < zhixing::store::SCHEMA_VERSION
    {
        eprintln!(
            "{}: upgrading the store from schema version {from} to {} (once; {})",
            path.display(),
            zhixing::store::SCHEMA_VERSION,
            upgrade_time(from)
        );
    }
    Ok(Store::open(path)?)
}

/// Measured on a million-subject store: from before version 7 the search
/// index is built anew; from 7, two tables are copied (version 8); from 8,
/// only constraints' text changes (version 9); from 9, the seals and change
/// numbers move into one table (version 10: 48 s on 12 M rows).
fn upgrade_time(from: i64) -> &'static str {
    match from {
        ..7 => "about two and a half minutes per million subjects",
        _ => "about a minute per million subjects",
    }
}

/// The active officer a writing command runs as: named with --officer (or
/// ZHIXING_OFFICER), or the command is refused.
pub fn acting_officer(store: &Store, login: Option<&str>) -> anyhow::Result<Officer> {
    let Some(login) = login else {
        bail!(
            "this command writes to the store, so it runs as an officer: give --officer LOGIN (or set ZHIXING_OFFICER)"
        );
    };
    match store.officer_by_login(login)? {
        Some(o) => Ok(o),
        None => bail!("no active officer has the login \"{login}\""),
    }
}

/// Under the user's data directory; the folder is made on first run.
fn default_path(file: &str) -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("cn", "zhixing", "zhixing")
        .context("cannot tell the user's data directory; give the store with --db PATH")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir.join(file))
}

pub fn keymap_file() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "zhixing", "zhixing")
        .map(|d| d.config_dir().join("keymap.toml"))
}

fn run_tui(
    store: Store,
    today: NaiveDate,
    officer: Option<String>,
    signed_in_as: Option<String>,
) -> anyhow::Result<ExitCode> {
    need_terminal()?;
    let monochrome = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    app::run(
        store,
        AppOptions {
            today,
            keymap_file: keymap_file(),
            monochrome,
            officer,
            signed_in_as,
        },
    )?;
    Ok(ExitCode::SUCCESS)
}

fn need_terminal() -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        bail!("the workstation needs a terminal; for scripts use the subcommands (zhixing --help)");
    }
    Ok(())
}

/// Builds the demo into `path`. An earlier demo store there is replaced; any
/// other file is refused, so the demo never overwrites an officer's data.
pub fn build_demo(path: &Path, opts: DemoOptions) -> anyhow::Result<Store> {
    if path.exists() {
        let old = open_store(path)?;
        let is_demo = old.is_demo()?;
        let empty = old.is_empty()?;
        drop(old);
        if !is_demo && !empty {
            bail!(
                "{} holds a store that is not a demo store; the demo never overwrites it (choose another --db)",
                path.display()
            );
        }
        for suffix in ["", "-wal", "-shm"] {
            let p = PathBuf::from(format!("{}{suffix}", path.display()));
            if p.exists() {
                std::fs::remove_file(&p)
                    .with_context(|| format!("cannot replace {}", p.display()))?;
            }
        }
    }
    let mut store = Store::open(path)?;
    let started = std::time::Instant::now();
    let summary = demo::generate(&mut store, opts)?;
    eprintln!(
        "demo store {}: {} subjects, {} cases, {} listings (seed {}, as of {}) in {:.1} s",
        path.display(),
        summary.subjects,
        summary.cases,
        summary.listings,
        opts.seed,
        opts.as_of,
        started.elapsed().as_secs_f64()
    );
    Ok(store)
}

fn search(
    path: &Path,
    query: &str,
    limit: usize,
    json: bool,
    timing: bool,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    if query.trim().is_empty() {
        bail!("the query is empty: give a name, pinyin, ID number, case number or phone number");
    }
    let store = open_existing(path)?;
    let started = std::time::Instant::now();
    let result = zhixing::search::search(&store, query, zhixing::store::Filter::All, today)?;
    let elapsed = started.elapsed();
    let mut out = std::io::stdout().lock();
    for hit in result.hits.iter().take(limit) {
        let row = &hit.row;
        if json {
            let value = serde_json::json!({
                "id": row.id, "name": row.name, "kind": row.kind,
                "id_number": zhixing::domain::mask_id(&row.id_number),
                "court": row.court, "outstanding": row.outstanding.to_string(),
                "status": row.status.headline(), "score": hit.score,
            });
            if writeln!(out, "{value}").is_err() {
                break; // the reader went away (| head)
            }
        } else {
            let court = row.court.clone().unwrap_or_default();
            let id = zhixing::domain::mask_id(&row.id_number);
            let line = format!(
                "{}\t{}\t{id}\t{court}\t{}\t{}",
                row.name,
                row.kind,
                row.outstanding,
                row.status.headline()
            );
            if writeln!(out, "{line}").is_err() {
                break;
            }
        }
    }
    if timing {
        eprintln!(
            "{} in {:.3} ms",
            count(result.hits.len().min(limit), "result"),
            elapsed.as_secs_f64() * 1000.0
        );
    }
    Ok(if result.hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
