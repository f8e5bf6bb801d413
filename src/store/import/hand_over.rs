//! The subjects' sources handed to the search index's helper as the merge
//! writes them: `zx_hand_over(id, source)` in the statement that keeps
//! them in the store passes each on as SQLite produces it, instead of the
//! merge reading every source back to hand it over: at ten million
//! subjects the two steps took 45.7 s (37.2 writing, 8.5 reading back),
//! and the one now 43.9 (BENCHMARKS.md, Import, session 18).

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex, PoisonError};

/// (subject id, a name or a source), as the helper takes them.
pub type Batch = Vec<(i64, String)>;
/// Rows handed over at a time, and batches in flight: a few MB at most.
pub const BATCH: usize = 4096;
pub const IN_FLIGHT: usize = 4;

const FUNCTION: &str = "zx_hand_over";

struct Handing {
    to: SyncSender<Batch>,
    batch: Batch,
}

/// `zx_hand_over` on one connection, for one statement.
pub struct HandOver(Arc<Mutex<Option<Handing>>>);

impl HandOver {
    /// Registers `zx_hand_over(id, text)` on `conn`: it returns the text
    /// and sends (id, text) on to `to`, a batch at a time; an error once
    /// the helper takes no more.
    pub fn register(conn: &Connection, to: SyncSender<Batch>) -> rusqlite::Result<HandOver> {
        let handing = Arc::new(Mutex::new(Some(Handing {
            to,
            batch: Vec::with_capacity(BATCH),
        })));
        let shared = Arc::clone(&handing);
        // Not deterministic: SQLite must call it once per row.
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
        conn.create_scalar_function(FUNCTION, 2, flags, move |ctx| {
            let text: String = ctx.get(1)?;
            let mut handing = shared.lock().unwrap_or_else(PoisonError::into_inner);
            let Some(h) = handing.as_mut() else {
                return Err(stopped());
            };
            h.batch.push((ctx.get(0)?, text.clone()));
            if h.batch.len() == BATCH {
                let full = std::mem::replace(&mut h.batch, Vec::with_capacity(BATCH));
                if h.to.send(full).is_err() {
                    *handing = None;
                    return Err(stopped());
                }
            }
            Ok(text)
        })?;
        Ok(HandOver(handing))
    }

    /// After the statement: sends what is left and ends the hand-over (the
    /// helper sees the end of its sources); false when the helper stopped
    /// taking them. The function goes from the connection.
    pub fn end(self, conn: &Connection) -> rusqlite::Result<bool> {
        conn.remove_function(FUNCTION, 2)?;
        let left = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        Ok(match left {
            Some(h) => h.batch.is_empty() || h.to.send(h.batch).is_ok(),
            None => false,
        })
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
