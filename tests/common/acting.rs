//! Helpers of the officer-act tests (acts.rs, acts_lifting.rs).

use super::fixture::Fixture;
use zhixing::store::acts::{Act, ActError, Recipients};

pub fn refused(result: Result<impl std::fmt::Debug, ActError>) -> String {
    match result {
        Err(ActError::Refused(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A refusal names the problem and leaves every row as it was.
pub fn assert_refused(f: &mut Fixture, act: Act, expected: &str) {
    let before = f.snapshot();
    let message = refused(f.act(act));
    assert!(message.contains(expected), "{message:?} lacks {expected:?}");
    assert_eq!(f.snapshot(), before, "a refused act changed the store");
}

pub fn audit_rows(f: &Fixture) -> i64 {
    f.count("SELECT count(*) FROM audit_log")
}

pub fn case2_of(f: &Fixture) -> i64 {
    f.case2
}

/// Marks a notice as handed to its channel, as `zhixing export` will.
pub fn export(f: &Fixture, purpose: &str) {
    f.conn()
        .execute_batch(&format!(
            "INSERT INTO notice_batch (id, channel, created_at, count) VALUES (999, 'call', '2026-11-26', 1);
             UPDATE notice SET state = 'exported', batch_id = 999 WHERE purpose = '{purpose}' AND state = 'queued';"
        ))
        .unwrap();
}

pub fn queue_call_message(f: &mut Fixture, subject_id: i64) {
    let template: i64 =
        f.count("SELECT id FROM notice_template WHERE code = 'call-message' AND language = 'zh'");
    f.act(Act::QueueNotice {
        subject_id,
        template_id: template,
        recipients: Recipients::All,
    })
    .unwrap();
}

/// One of a plan's lines (its changes or its notes) says `text`.
pub fn assert_mentions(lines: &[String], text: &str) {
    assert!(
        lines.iter().any(|l| l.contains(text)),
        "no line says {text:?}: {lines:?}"
    );
}
