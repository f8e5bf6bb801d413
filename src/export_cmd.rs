//! `zhixing export ...`: the files that carry the court's decisions out.

use crate::cli::{ExportWhat, Format, OutputArgs};
use anyhow::bail;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use zhixing::domain::roles::Power;
use zhixing::import::csv::quote;
use zhixing::store::AuditEntry;
use zhixing::store::Store;
use zhixing::store::acts::now_on;
use zhixing::store::export::ExportedNotice;
use zhixing::store::feeds::{PublicListing, RestrictionEvent};
use zhixing::words::count;

/// A row of an export: its CSV header and cells; JSON Lines from serde.
trait Record: serde::Serialize {
    const HEADER: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
}

impl Record for ExportedNotice {
    const HEADER: &'static [&'static str] = &[
        "batch",
        "notice",
        "channel",
        "purpose",
        "recipient",
        "subject",
        "body",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.batch.to_string(),
            self.notice.to_string(),
            self.channel.clone(),
            self.purpose.clone(),
            self.recipient.clone(),
            self.subject.clone(),
            self.body.clone(),
        ]
    }
}

impl Record for RestrictionEvent {
    const HEADER: &'static [&'static str] = &[
        "event",
        "effective_on",
        "id_number",
        "name",
        "code",
        "basis",
        "court",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.event.clone(),
            self.effective_on.clone(),
            self.id_number.clone(),
            self.name.clone(),
            self.code.clone(),
            self.basis.clone(),
            self.court.clone(),
        ]
    }
}

impl Record for PublicListing {
    const HEADER: &'static [&'static str] = &[
        "name",
        "kind",
        "id_number",
        "sex",
        "age",
        "legal_representative",
        "performed",
        "unperformed",
        "conduct",
        "basis",
        "case_number",
        "filed_on",
        "court",
        "published_on",
    ];
    fn cells(&self) -> Vec<String> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            self.name.clone(),
            self.kind.clone(),
            self.id_number.clone(),
            opt(&self.sex),
            self.age.map_or(String::new(), |a| a.to_string()),
            opt(&self.legal_representative),
            self.performed.clone(),
            self.unperformed.clone(),
            self.conduct.clone(),
            opt(&self.basis),
            self.case_number.clone(),
            self.filed_on.clone(),
            self.court.clone(),
            self.published_on.clone(),
        ]
    }
}

fn write_rows<R: Record>(
    out: &mut (impl Write + ?Sized),
    rows: &[R],
    format: Format,
) -> std::io::Result<usize> {
    match format {
        Format::Csv => {
            writeln!(out, "{}", R::HEADER.join(","))?;
            for r in rows {
                let cells: Vec<String> = r.cells().iter().map(|c| quote(c)).collect();
                writeln!(out, "{}", cells.join(","))?;
            }
        }
        Format::Jsonl => {
            for r in rows {
                writeln!(out, "{}", serde_json::to_string(r)?)?;
            }
        }
    }
    Ok(rows.len())
}

/// The store and the officer the command runs as; with a power named, the
/// officer's role must cover it (a refusal is recorded).
pub fn open(
    db: &Path,
    officer: Option<&str>,
    power: Option<Power>,
    today: NaiveDate,
) -> anyhow::Result<(Store, Option<i64>)> {
    let store = crate::commands::open_existing(db)?;
    let officer = crate::commands::acting_officer(&store, officer)?;
    if let Some(power) = power {
        store.authorize(Some(officer.id), power, &now_on(today))?;
    }
    Ok((store, Some(officer.id)))
}

/// Full ID numbers leaving the store are on the record.
fn record_export(
    store: &mut Store,
    officer_id: Option<i64>,
    what: &str,
    rows: usize,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let entry = AuditEntry {
        officer_id,
        act: "exported".into(),
        detail: Some(format!("{what}: {}", count(rows, "row"))),
        ..Default::default()
    };
    store.append_audit(&entry, &now_on(today))?;
    Ok(())
}

pub fn run(
    db: &Path,
    what: ExportWhat,
    officer: Option<&str>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    if let ExportWhat::Restrictions {
        since,
        reveal,
        output,
        ..
    } = what
    {
        return restrictions(db, since, reveal, &output, officer, today);
    }
    let power = matches!(what, ExportWhat::PublicList { .. }).then_some(Power::ExportPublicList);
    let (mut store, officer_id) = open(db, officer, power, today)?;
    match what {
        ExportWhat::Notices {
            channel: Some(channel),
            output,
            ..
        } => notices(
            &mut store,
            &channel,
            &output,
            officer_id,
            &zhixing::store::acts::now_on(today),
        ),
        ExportWhat::Notices {
            batch: Some(batch),
            output,
            ..
        } => {
            let rows = store.notice_batch(batch)?;
            if rows.is_empty() {
                bail!("batch {batch} has no notices in this store");
            }
            let n = crate::output::write_atomically(output.out.as_deref(), |w| {
                write_rows(w, &rows, output.format)
            })?;
            eprintln!("batch {batch}: {} written again", count(n, "notice"));
            Ok(ExitCode::SUCCESS)
        }
        ExportWhat::Notices { .. } => {
            bail!("give --channel, or --batch to write an earlier batch again")
        }
        ExportWhat::Restrictions { .. } => unreachable!("answered above"),
        ExportWhat::PublicList { output } => {
            let rows = store.public_list(today)?;
            let n = crate::output::write_atomically(output.out.as_deref(), |w| {
                write_rows(w, &rows, output.format)
            })?;
            record_export(&mut store, officer_id, "public list", n, today)?;
            eprintln!("{}, ID numbers masked", count(n, "active listing"));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The restriction feed: ID numbers masked, or in full for a supervisor
/// who asks (--reveal), which is recorded.
fn restrictions(
    db: &Path,
    since: Option<NaiveDate>,
    reveal: bool,
    output: &OutputArgs,
    officer: Option<&str>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let (mut store, officer_id) = if reveal {
        open(db, officer, Some(Power::ExportUnmasked), today)?
    } else {
        (crate::commands::open_existing(db)?, None)
    };
    let mut rows = store.restriction_events(since)?;
    if !reveal {
        for r in &mut rows {
            r.id_number = zhixing::domain::mask_id(&r.id_number);
        }
    }
    let n = crate::output::write_atomically(output.out.as_deref(), |w| {
        write_rows(w, &rows, output.format)
    })?;
    if reveal {
        record_export(
            &mut store,
            officer_id,
            "restrictions with full ID numbers",
            n,
            today,
        )?;
        eprintln!("{}, full ID numbers", count(n, "restriction event"));
    } else {
        eprintln!(
            "{}, ID numbers masked (a supervisor may --reveal them)",
            count(n, "restriction event")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The batch is marked exported in a transaction committed only after its
/// file is complete on disk; the file gets its name only after the commit.
fn notices(
    store: &mut Store,
    channel: &str,
    output: &OutputArgs,
    officer_id: Option<i64>,
    now: &str,
) -> anyhow::Result<ExitCode> {
    let label = output
        .out
        .as_ref()
        .map_or("stdout".to_string(), |p| p.display().to_string());
    let batch = store.export_notices(channel, &label, officer_id, now)?;
    let (exported, cancelled) = (batch.notices.len(), batch.cancelled);
    let Some(batch_id) = batch.batch_id else {
        // Nothing to hand over: no batch is recorded (any cancellation is),
        // the file holds the header alone.
        batch.commit()?;
        crate::output::write_atomically(output.out.as_deref(), |w| {
            write_rows::<ExportedNotice>(w, &[], output.format)
        })?;
        eprintln!(
            "no queued {channel} notice: nothing exported{}",
            cancelled_instead(cancelled)
        );
        return Ok(ExitCode::SUCCESS);
    };
    match &output.out {
        None => {
            let mut out = std::io::stdout().lock();
            write_rows(&mut out, &batch.notices, output.format)?;
            out.flush()?;
            batch.commit()?;
        }
        Some(path) => {
            let mut tmp = crate::output::temporary_beside(path)?;
            write_rows(&mut tmp, &batch.notices, output.format)?;
            crate::output::seal(&tmp)?;
            batch.commit()?;
            tmp.persist(path).map_err(|e| {
                anyhow::anyhow!(
                    "batch {batch_id} is recorded but {} could not be written ({}); write it again with --batch {batch_id}",
                    path.display(),
                    e.error
                )
            })?;
        }
    }
    eprintln!(
        "batch {batch_id}: {} exported{}",
        count(exported, &format!("{channel} notice")),
        cancelled_instead(cancelled)
    );
    Ok(ExitCode::SUCCESS)
}

/// What an export says of the queued notices of lifted listings it
/// cancelled rather than handed over: nothing when there were none.
fn cancelled_instead(cancelled: usize) -> String {
    match cancelled {
        0 => String::new(),
        n => format!(
            "; {} of lifted listings cancelled instead",
            count(n, "notice")
        ),
    }
}
