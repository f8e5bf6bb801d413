//! The subjects' sources handed to the search index's helper as the merge
//! writes them: `zx_hand_over(id, source)` in the statement that keeps
//! them in the store passes each on as SQLite produces it, instead of the
//! merge reading every source back to hand it over: at ten million
//! subjects the two steps took 45.7 s (37.2 writing, 8.5 reading back),
//! and the one now 43.9 and 40.2 in two runs (BENCHMARKS.md, Import and
//! Search, session 18).

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex, PoisonError};

/// (subject id, a name or a source), as the helper takes them.
pub type Batch = Vec<(i64, String)>;
/// Rows handed over at a time, and batches in flight: a few MB at most.
const BATCH: usize = 4096;
pub const IN_FLIGHT: usize = 4;

/// Rows on their way to the helper, sent a batch at a time.
pub struct Batches {
    to: SyncSender<Batch>,
    batch: Batch,
}

impl Batches {
    pub fn new(to: SyncSender<Batch>) -> Batches {
        Batches {
            to,
            batch: Vec::with_capacity(BATCH),
        }
    }

    /// Adds a row, sending the batch once it is full; false when the
    /// helper takes no more.
    pub fn push(&mut self, id: i64, text: String) -> bool {
        self.batch.push((id, text));
        if self.batch.len() < BATCH {
            return true;
        }
        let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.to.send(full).is_ok()
    }

    /// Sends what is left and ends the rows (the helper sees their end);
    /// false when the helper stopped taking them.
    pub fn finish(self) -> bool {
        self.batch.is_empty() || self.to.send(self.batch).is_ok()
    }
}

/// `zx_hand_over` on one connection, for one statement.
pub struct HandOver(Arc<Mutex<Option<Batches>>>);

impl HandOver {
    /// The SQL function's name, for the statement that keeps the sources.
    pub const FUNCTION: &str = "zx_hand_over";

    /// Registers `zx_hand_over(id, text)` on `conn`: it returns the text
    /// and sends (id, text) on to `to`, a batch at a time; an error once
    /// the helper takes no more.
    pub fn register(conn: &Connection, to: SyncSender<Batch>) -> rusqlite::Result<HandOver> {
        let handing = Arc::new(Mutex::new(Some(Batches::new(to))));
        let shared = Arc::clone(&handing);
        // Not deterministic: SQLite must call it once per row.
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
        conn.create_scalar_function(Self::FUNCTION, 2, flags, move |ctx| {
            let text: String = ctx.get(1)?;
            let mut handing = shared.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(batches) = handing.as_mut() else {
                return Err(stopped());
            };
            if !batches.push(ctx.get(0)?, text.clone()) {
                *handing = None;
                return Err(stopped());
            }
            Ok(text)
        })?;
        Ok(HandOver(handing))
    }

    /// After the statement: sends what is left and ends the hand-over (the
    /// helper sees the end of its sources); false when the helper stopped
    /// taking them. The function goes from the connection.
    pub fn end(self, conn: &Connection) -> rusqlite::Result<bool> {
        conn.remove_function(Self::FUNCTION, 2)?;
        let left = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        Ok(left.is_some_and(Batches::finish))
    }
}

fn stopped() -> rusqlite::Error {
    rusqlite::Error::UserFunctionError("the search index's helper took no more sources".into())
}

#[cfg(test)]
mod tests {
    use super::{BATCH, HandOver};
    use rusqlite::Connection;
    use std::sync::mpsc::sync_channel;

    fn numbers(n: usize) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE kept (id INTEGER PRIMARY KEY, text TEXT);
             CREATE TABLE src (id INTEGER PRIMARY KEY);
             WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < {n})
             INSERT INTO src SELECT v FROM n;"
        ))
        .unwrap();
        conn
    }

    const KEEP: &str =
        "INSERT INTO kept SELECT id, zx_hand_over(id, 't' || id) FROM src ORDER BY id";

    #[test]
    fn every_row_written_is_handed_over_in_order() {
        let rows = BATCH * 2 + 7;
        let conn = numbers(rows);
        let (to, from) = sync_channel(super::IN_FLIGHT);
        let taker = std::thread::spawn(move || from.iter().flatten().collect::<Vec<_>>());
        let handing = HandOver::register(&conn, to).unwrap();
        assert_eq!(conn.execute(KEEP, []).unwrap(), rows);
        assert!(handing.end(&conn).unwrap());
        let expected: Vec<(i64, String)> =
            (1..=rows as i64).map(|i| (i, format!("t{i}"))).collect();
        assert_eq!(taker.join().unwrap(), expected);
        let kept: i64 = conn
            .query_row(
                "SELECT count(*) FROM kept WHERE text = 't' || id",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, rows as i64);
        // The function is gone with the hand-over.
        assert!(conn.execute(KEEP, []).is_err());
    }

    #[test]
    fn a_helper_that_stopped_taking_fails_the_statement() {
        let conn = numbers(BATCH + 1);
        let (to, from) = sync_channel(super::IN_FLIGHT);
        drop(from);
        let handing = HandOver::register(&conn, to).unwrap();
        let err = conn.execute(KEEP, []).unwrap_err().to_string();
        assert!(err.contains("took no more sources"), "{err}");
        assert!(!handing.end(&conn).unwrap());
    }
}
