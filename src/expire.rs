//! `zhixing expire`: the nightly lifting of listings whose period ended.

use chrono::NaiveDate;
use std::path::Path;
use std::process::ExitCode;
use zhixing::store::acts::{Act, ActRequest, Actor};
use zhixing::words::{count, was};

pub fn run(
    path: &Path,
    officer: Option<&str>,
    dry_run: bool,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let mut store = crate::commands::open_existing(path)?;
    if dry_run {
        let ended = store.ended_listings(today)?;
        for listing_id in &ended {
            let request = ActRequest {
                act: Act::Expire {
                    listing_id: *listing_id,
                },
                seen: None,
            };
            let plan = store.plan(&request, today)?;
            println!("would lift: {}", plan.title);
        }
        eprintln!(
            "{} ended on or before {today}; nothing was written",
            count(ended.len(), "listing")
        );
        return Ok(ExitCode::SUCCESS);
    }
    let officer_id = crate::commands::acting_officer(&store, officer)?.id;
    let actor = Actor {
        officer_id: Some(officer_id),
        now: zhixing::store::acts::now_on(today),
        today,
    };
    // Printed as they are lifted: after a caseload is imported there may
    // be hundreds of thousands.
    let lifted = store.expire_each(&actor, |a| println!("lifted: {}", a.title))?;
    eprintln!(
        "{} whose period ended {} lifted, with their lifting notices queued",
        count(lifted, "listing"),
        was(lifted)
    );
    Ok(ExitCode::SUCCESS)
}
