//! The acts through the TUI's own update and worker code: keys in, the
//! confirm view, the store afterwards.

mod common;

use common::{demo_store, today};
use zhixing::tui::driver::Driver;
use zhixing::tui::form::Input;
use zhixing::tui::state::{Overlay, Screen};

fn driver() -> (tempfile::TempDir, Driver) {
    let (dir, store) = demo_store(60);
    (dir, Driver::new(store, today()))
}

fn count(d: &Driver, sql: &str) -> i64 {
    d.store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Opens a subject by a search that finds them first.
fn open(d: &mut Driver, query: &str) {
    d.keys(&["esc", "/"])
        .type_text(query)
        .keys(&["enter", "enter"]);
    assert_eq!(d.state.screen, Screen::Detail, "{query} opened");
}

/// Moves the focused choice until its label contains `label`.
fn choose(d: &mut Driver, label: &str) {
    for _ in 0..40 {
        let form = d.state.form.as_ref().expect("a form is open");
        let field = &form.fields[form.focus];
        assert!(
            matches!(field.input, Input::Choice { .. }),
            "{} is not a choice",
            field.label
        );
        if field.shown().contains(label) {
            return;
        }
        d.keys(&["right"]);
    }
    panic!("no choice contains {label}");
}

fn focus(d: &mut Driver, label: &str) {
    for _ in 0..10 {
        let form = d.state.form.as_ref().expect("a form is open");
        if form.fields[form.focus].label == label {
            return;
        }
        d.keys(&["tab"]);
    }
    panic!("no field {label}");
}

fn fill(d: &mut Driver, label: &str, text: &str) {
    focus(d, label);
    d.keys(&["ctrl-u"]).type_text(text);
}

fn confirm_lines(d: &Driver) -> String {
    let plan = &d
        .state
        .confirm
        .as_ref()
        .expect("the confirm view is open")
        .plan;
    format!("{}\n{}", plan.changes.join("\n"), plan.notes.join("\n"))
}

fn pay_in_full(d: &mut Driver, receipt: &str) {
    open(d, "鲁宏业");
    d.keys(&["p"]);
    fill(d, "Amount", "4,265,000");
    fill(d, "Receipt", receipt);
    d.keys(&["enter"]);
}

#[test]
fn a_payment_that_completes_the_case_lifts_what_rests_on_it() {
    let (_dir, mut d) = driver();
    pay_in_full(&mut d, "BJ-1");
    let lines = confirm_lines(&d);
    assert!(lines.contains("completes 鲁宏业's obligations"), "{lines}");
    assert!(
        lines.contains("Lift 9 restriction items on 鲁宏业"),
        "{lines}"
    );
    assert!(
        d.state
            .confirm
            .as_ref()
            .unwrap()
            .plan
            .option
            .as_ref()
            .unwrap()
            .on
    );
    let audit = count(&d, "SELECT count(*) FROM audit_log");
    d.keys(&["y"]);
    assert!(d.state.confirm.is_none() && d.state.form.is_none());
    assert!(
        d.state
            .status
            .as_deref()
            .unwrap()
            .starts_with("Done: Record a payment")
    );
    assert_eq!(count(&d, "SELECT count(*) FROM audit_log"), audit + 1);
    let detail = d.state.detail.as_ref().unwrap().data.as_ref().unwrap();
    assert_eq!(
        detail
            .listings
            .iter()
            .filter(|l| l.status == "active")
            .count(),
        0,
        "reloaded"
    );
}

#[test]
fn declining_the_lifting_puts_the_deletion_in_the_deadlines_queue() {
    let (_dir, mut d) = driver();
    pay_in_full(&mut d, "BJ-1");
    d.keys(&["space"]);
    assert!(
        !d.state
            .confirm
            .as_ref()
            .unwrap()
            .plan
            .option
            .as_ref()
            .unwrap()
            .on
    );
    assert!(confirm_lines(&d).contains("must be deleted by 2026-12-02"));
    d.keys(&["y", "q", "esc", "d"]);
    assert_eq!(d.state.screen, Screen::Deadlines);
    let row = d
        .state
        .queue
        .deadlines
        .iter()
        .find(|r| r.subject == "鲁宏业")
        .expect("in the queue");
    assert_eq!(
        (row.kind.as_str(), row.due_on.as_str()),
        ("deletion-after-performance", "2026-12-02")
    );
    // Enter opens the subject; back returns to the queue.
    let at = d
        .state
        .queue
        .deadlines
        .iter()
        .position(|r| r.subject == "鲁宏业")
        .unwrap();
    d.state.queue.selected = at;
    d.keys(&["enter"]);
    assert_eq!(d.state.screen, Screen::Detail);
    d.keys(&["q"]);
    assert_eq!(d.state.screen, Screen::Deadlines);
}

#[test]
fn a_bad_amount_names_the_field_and_an_excess_names_what_remains() {
    let (_dir, mut d) = driver();
    open(&mut d, "鲁宏业");
    d.keys(&["p"]);
    fill(&mut d, "Amount", "1e5");
    fill(&mut d, "Receipt", "BJ-1");
    d.keys(&["enter"]);
    let error = d.state.form.as_ref().unwrap().error.clone().unwrap();
    assert!(error.starts_with("Amount:"), "{error}");
    assert!(d.state.confirm.is_none());
    fill(&mut d, "Amount", "5,000,000");
    d.keys(&["enter"]);
    let error = d.state.form.as_ref().unwrap().error.clone().unwrap();
    assert!(
        error.contains("more than the 4,265,000.00 yuan that remains"),
        "{error}"
    );
    let payments = count(&d, "SELECT count(*) FROM payment");
    d.keys(&["esc"]);
    assert!(d.state.form.is_none());
    assert_eq!(
        count(&d, "SELECT count(*) FROM payment"),
        payments,
        "nothing written"
    );
}

#[test]
fn lifting_a_listing_from_the_detail_view() {
    let (_dir, mut d) = driver();
    open(&mut d, "沈国华");
    d.keys(&["l"]);
    focus(&mut d, "Reason");
    choose(&mut d, "applicant asked");
    d.keys(&["enter"]);
    let lines = confirm_lines(&d);
    let title = &d.state.confirm.as_ref().unwrap().plan.title;
    assert!(
        title.starts_with("Ask for approval: Lift the listing of 沈国华"),
        "{title}"
    );
    assert!(lines.contains("needs a supervisor's approval"), "{lines}");
    d.keys(&["y"]);
    let lifted = "SELECT count(*) FROM listing l JOIN subject s ON s.id = l.subject_id
                  WHERE s.name = '沈国华' AND l.lifted_reason = 'applicant-request'";
    assert_eq!(count(&d, lifted), 0, "waits for a supervisor");
    assert_eq!(
        count(&d, "SELECT count(*) FROM approval WHERE state = 'pending'"),
        1
    );
}

#[test]
fn rejecting_the_farms_objection_queues_the_rejection_and_opens_the_window() {
    let (_dir, mut d) = driver();
    open(&mut d, "嵩阳生态");
    d.keys(&["o"]);
    choose(&mut d, "decision");
    d.keys(&["enter"]);
    assert_eq!(
        d.state.form.as_ref().unwrap().kind,
        zhixing::tui::form::FormKind::Decision
    );
    fill(&mut d, "Reasons", "the sealed assets do not cover the debt");
    d.keys(&["enter"]);
    let lines = confirm_lines(&d);
    assert!(
        lines.contains("may ask the higher court for reconsideration until"),
        "{lines}"
    );
    d.keys(&["y"]);
    assert_eq!(
        count(
            &d,
            "SELECT count(*) FROM objection WHERE status = 'rejected' AND reconsider_by IS NOT NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &d,
            "SELECT count(*) FROM notice n JOIN notice_template t ON t.id = n.template_id
                   WHERE t.code = 'objection-rejected' AND n.state = 'queued'"
        ),
        1
    );
}

#[test]
fn queueing_the_dengfeng_call_message_shows_its_text() {
    let (_dir, mut d) = driver();
    open(&mut d, "嵩阳生态");
    d.keys(&["n"]);
    choose(&mut d, "失信彩铃 · call · zh");
    d.keys(&["enter"]);
    assert_eq!(d.state.form.as_ref().unwrap().error, None);
    let notes = d.state.confirm.as_ref().unwrap().plan.notes.join("\n");
    assert!(
        notes.contains("您拨打的机主已被登封市人民法院列为失信被执行人"),
        "{notes}"
    );
    d.keys(&["y"]);
    assert!(d.state.status.is_some(), "{:?}", d.state.overlay);
}

#[test]
fn the_notices_queue_filters_and_cancels_with_a_reason() {
    let (_dir, mut d) = driver();
    d.keys(&["N"]);
    assert_eq!(d.state.screen, Screen::Notices);
    d.keys(&["f"]);
    assert_eq!(d.state.queue.notice_filter.state, Some("queued"));
    assert!(d.state.queue.notices.iter().all(|n| n.state == "queued"));
    let queued = d.state.queue.notices.len() as i64;
    assert!(queued > 0, "the demo has queued notices");
    d.keys(&["X"]);
    d.keys(&["enter"]);
    assert!(
        d.state
            .form
            .as_ref()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .starts_with("Reason:")
    );
    d.type_text("the carrier batch was sent by hand")
        .keys(&["enter"]);
    assert_eq!(
        d.state.confirm.as_ref().unwrap().plan.effects.len() as i64,
        queued
    );
    d.keys(&["y"]);
    assert_eq!(
        count(&d, "SELECT count(*) FROM notice WHERE state = 'queued'"),
        0
    );
    assert!(d.state.queue.notices.is_empty(), "the queue was reloaded");
}

#[test]
fn an_act_on_a_record_changed_meanwhile_is_refused_and_reloaded() {
    let (dir, mut d) = driver();
    open(&mut d, "鲁宏业");
    d.keys(&["p"]);
    fill(&mut d, "Amount", "100");
    fill(&mut d, "Receipt", "BJ-1");
    // Another officer, in another process, acts on the same subject.
    let mut other = zhixing::store::Store::open(&dir.path().join("demo.db")).unwrap();
    let subject = d.state.detail.as_ref().unwrap().subject_id;
    let listing: i64 = other
        .conn()
        .query_row(
            "SELECT id FROM listing WHERE subject_id = ?1 AND status = 'active'",
            [subject],
            |r| r.get(0),
        )
        .unwrap();
    let request = zhixing::store::acts::ActRequest {
        act: zhixing::store::acts::Act::Lift {
            listing_id: listing,
            reason: zhixing::domain::listing::LiftReason::NoAssetsFound,
            on: today(),
        },
        seen: None,
    };
    let plan = other.plan(&request, today()).unwrap();
    let wang: i64 = other
        .conn()
        .query_row("SELECT id FROM officer WHERE login = 'wang'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let actor = zhixing::store::acts::Actor {
        officer_id: Some(wang),
        now: "2026-11-27T10:00:00+08:00".into(),
        today: today(),
    };
    other.apply(&plan, &actor).unwrap();
    // It needs a second officer: the supervisor "demo" approves it there.
    let approval = zhixing::store::acts::ActRequest {
        act: zhixing::store::acts::Act::DecideApproval {
            approval_id: other
                .conn()
                .query_row("SELECT max(id) FROM approval", [], |r| r.get(0))
                .unwrap(),
            approve: true,
            reason: String::new(),
        },
        seen: None,
    };
    let plan = other.plan(&approval, today()).unwrap();
    let demo = zhixing::store::acts::Actor {
        officer_id: d.state.officer.as_ref().map(|o| o.id),
        ..actor
    };
    other.apply(&plan, &demo).unwrap();
    d.keys(&["enter"]);
    assert!(
        matches!(&d.state.overlay, Some(Overlay::Message { title, .. }) if title == "Changed meanwhile"),
        "{:?}",
        d.state.overlay
    );
    assert!(d.state.form.is_none());
    let detail = d.state.detail.as_ref().unwrap().data.as_ref().unwrap();
    assert!(
        detail.listings.iter().all(|l| l.status != "active"),
        "the view was reloaded"
    );
    assert_eq!(
        count(&d, "SELECT count(*) FROM payment WHERE receipt_no = 'BJ-1'"),
        0
    );
}

#[test]
fn a_clerk_is_told_the_role_an_act_needs_and_the_refusal_is_recorded() {
    let (_dir, mut d) = driver();
    let clerk = d.store.officer_by_login("zhao").unwrap().unwrap();
    d.state.officer = Some(clerk.clone());
    open(&mut d, "鲁宏业");
    d.keys(&["b"]);
    assert!(d.state.form.is_none());
    let Some(Overlay::Message { title, body }) = &d.state.overlay else {
        panic!("{:?}", d.state.overlay)
    };
    assert_eq!(title, "Not within your role");
    assert_eq!(
        body,
        "“List as dishonest” needs the officer role or higher; you hold the clerk role"
    );
    let recorded = count(
        &d,
        &format!(
            "SELECT count(*) FROM audit_log WHERE act = 'refused' AND officer_id = {}",
            clerk.id
        ),
    );
    assert_eq!(recorded, 1);
    // A payment is within a clerk's role.
    d.keys(&["esc", "p"]);
    assert!(d.state.form.is_some());
}

#[test]
fn a_debtor_who_performed_is_not_listed() {
    let (_dir, mut d) = driver();
    open(&mut d, "韦国强");
    d.keys(&["b"]);
    fill(&mut d, "Decision no.", "（2026）桂0103执2156号之一");
    d.keys(&["enter"]);
    let error = d.state.form.as_ref().unwrap().error.clone().unwrap();
    assert!(error.contains("has performed every obligation"), "{error}");
}

#[test]
fn only_a_supervisor_reveals_a_full_id_number_and_each_reveal_is_recorded() {
    let (_dir, mut d) = driver();
    open(&mut d, "鲁宏业");
    let masked = "110105********0173";
    assert!(d.screen(100, 30).contains(masked));
    d.keys(&["I"]);
    let screen = d.screen(100, 30);
    assert!(screen.contains("110105196909030173"), "{screen}");
    let reveals = "SELECT count(*) FROM audit_log WHERE act = 'id-revealed'";
    assert_eq!(count(&d, reveals), 1);
    // Leaving the subject masks it again.
    d.keys(&["q", "enter"]);
    assert!(d.screen(100, 30).contains(masked));
    // An officer (below supervisor) is refused, and that is recorded too.
    let li = d.store.officer_by_login("li").unwrap().unwrap();
    d.state.officer = Some(li.clone());
    d.keys(&["I"]);
    assert!(
        matches!(&d.state.overlay, Some(Overlay::Message { body, .. })
            if body == "revealing a full ID number needs the supervisor role or higher; you hold the officer role"),
        "{:?}",
        d.state.overlay
    );
    assert_eq!(count(&d, reveals), 1);
    assert!(d.screen(100, 30).contains(masked));
    assert_eq!(
        count(
            &d,
            &format!(
                "SELECT count(*) FROM audit_log WHERE act = 'refused' AND officer_id = {}",
                li.id
            )
        ),
        1
    );
}
