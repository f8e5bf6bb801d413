//! `zhixing sync export|apply|status`: the edge of the sync between offices.

use crate::cli::SyncWhat;
use anyhow::Context;
use chrono::NaiveDate;
use std::path::Path;
use std::process::ExitCode;
use zhixing::domain::roles::Power;
use zhixing::progress::Steps;
use zhixing::store::Store;
use zhixing::store::acts::now_on;
use zhixing::words::count;

pub fn run(
    db: &Path,
    what: SyncWhat,
    officer: Option<&str>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let mut store = crate::commands::open_existing(db)?;
    let now = now_on(today);
    match what {
        SyncWhat::Status => print_status(&store),
        SyncWhat::Export { to, peer, since } => {
            let by = crate::commands::acting_officer(&store, officer)?;
            export(&mut store, &to, peer, since, by.id, &now)
        }
        SyncWhat::Apply { file, json } => {
            let by = crate::commands::acting_officer(&store, officer)?;
            store.authorize(Some(by.id), Power::SyncApply, &now)?;
            apply(&mut store, &file, json, by.id, &now)
        }
    }
}

/// `sync status`: this store's clock, and each peer's last exchange.
fn print_status(store: &Store) -> anyhow::Result<ExitCode> {
    println!(
        "this store: site {}, change clock at {}",
        store.site()?,
        store.sync_clock()?
    );
    for p in store.sync_peers()? {
        println!(
            "site {}: last export {} ({}), through change {}; last apply {} ({}); {} waiting",
            p.site,
            p.last_export_at.as_deref().unwrap_or("never"),
            p.last_export_file.as_deref().unwrap_or("-"),
            p.exported_through,
            p.last_apply_at.as_deref().unwrap_or("never"),
            p.last_apply_file.as_deref().unwrap_or("-"),
            count(p.waiting, "change")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `sync export`: the file written whole (or not at all), then recorded.
fn export(
    store: &mut Store,
    to: &Path,
    peer: i64,
    since: Option<i64>,
    officer_id: i64,
    now: &str,
) -> anyhow::Result<ExitCode> {
    let steps = Steps::on_terminal("sync export");
    steps.show(&format!("collecting the changes into {}", to.display()));
    let header = crate::output::write_atomically(Some(to), |w| {
        store
            .sync_export_into(peer, since, now, w)
            .map_err(std::io::Error::other)
    })?;
    drop(steps);
    let name = to.display().to_string();
    store.sync_record_export(&header, &name, Some(officer_id), now)?;
    let rows: i64 = header.counts.values().sum();
    eprintln!(
        "{name}: {} for site {peer}, changes {}..{} (sha256 {})",
        count(rows, "row"),
        header.since,
        header.through,
        header.sha256
    );
    Ok(ExitCode::SUCCESS)
}

/// `sync apply`: a peer's file merged in, every conflict named.
fn apply(
    store: &mut Store,
    file: &Path,
    json: bool,
    officer_id: i64,
    now: &str,
) -> anyhow::Result<ExitCode> {
    let input = std::fs::File::open(file)
        .map(std::io::BufReader::new)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.display().to_string();
    let steps = Steps::on_terminal("sync apply");
    let applied = store.sync_apply_from(input, &name, Some(officer_id), now, &|s| steps.show(s))?;
    drop(steps);
    if json {
        println!("{}", serde_json::to_string(&applied)?);
    }
    if let Some(at) = &applied.already_applied_at {
        eprintln!("{name}: already applied at {at}; nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    for c in &applied.conflicts {
        eprintln!(
            "conflict: {} {}: {} (kept {})",
            c.table, c.key, c.rule, c.kept
        );
    }
    eprintln!(
        "{name} from site {}: {} new, {} updated, {} the same, {} settled",
        applied.from_site,
        applied.inserted,
        applied.updated,
        applied.unchanged,
        count(applied.conflicts.len(), "conflict")
    );
    Ok(ExitCode::SUCCESS)
}
