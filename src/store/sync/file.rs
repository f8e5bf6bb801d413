//! The sync file: a first line naming the format, a second line of JSON
//! (the header), then the changeset's bytes. The header's SHA-256 covers
//! the header's other fields and the changeset, so a file cut short,
//! altered, or relabelled for another store is refused before anything is
//! applied.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const MAGIC: &str = "ZHIXING-SYNC 1";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Header {
    pub from_site: i64,
    pub to_site: i64,
    /// The sender's change clock: the rows changed after `since` and up to
    /// `through` are in the file.
    pub since: i64,
    pub through: i64,
    /// Rows per table.
    pub counts: BTreeMap<String, i64>,
    /// Bytes of the changeset after the header.
    pub bytes: u64,
    pub made_at: String,
    /// SHA-256 (hex) of the header without this field, a newline, and the
    /// changeset.
    #[serde(default)]
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("it is not a zhixing sync file (its first line is not \"{MAGIC}\")")]
    NotSync,
    #[error("its header cannot be read ({0})")]
    BadHeader(String),
    #[error("it is cut short: {got} of its {want} bytes of changes are there")]
    Truncated { got: u64, want: u64 },
    #[error("it was altered after it was made: its SHA-256 does not match its header")]
    Altered,
}

fn digest(header: &Header, body: &[u8]) -> String {
    let mut bare = header.clone();
    bare.sha256 = String::new();
    let mut h = Sha256::new();
    h.update(serde_json::to_string(&bare).unwrap_or_default().as_bytes());
    h.update(b"\n");
    h.update(body);
    crate::hex(&h.finalize())
}

/// The file's bytes: magic, header (sealed), changeset.
pub fn write(mut header: Header, body: &[u8]) -> (Header, Vec<u8>) {
    header.bytes = body.len() as u64;
    header.sha256 = digest(&header, body);
    let mut out = Vec::with_capacity(body.len() + 512);
    out.extend_from_slice(MAGIC.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(
        serde_json::to_string(&header)
            .unwrap_or_default()
            .as_bytes(),
    );
    out.push(b'\n');
    out.extend_from_slice(body);
    (header, out)
}

/// The header and the changeset of a file, checked whole.
pub fn read(bytes: &[u8]) -> Result<(Header, &[u8]), FileError> {
    let rest = bytes
        .strip_prefix(MAGIC.as_bytes())
        .and_then(|r| r.strip_prefix(b"\n"))
        .ok_or(FileError::NotSync)?;
    let end = rest
        .iter()
        .position(|b| *b == b'\n')
        .ok_or_else(|| FileError::BadHeader("it has no end".into()))?;
    let header: Header =
        serde_json::from_slice(&rest[..end]).map_err(|e| FileError::BadHeader(e.to_string()))?;
    let body = &rest[end + 1..];
    if (body.len() as u64) < header.bytes {
        return Err(FileError::Truncated {
            got: body.len() as u64,
            want: header.bytes,
        });
    }
    if body.len() as u64 != header.bytes || digest(&header, body) != header.sha256 {
        return Err(FileError::Altered);
    }
    Ok((header, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let header = Header {
            from_site: 2,
            to_site: 1,
            since: 0,
            through: 9,
            counts: BTreeMap::from([("payment".to_string(), 2)]),
            bytes: 0,
            made_at: "2026-11-27T10:00:00+08:00".into(),
            sha256: String::new(),
        };
        write(header, b"changes").1
    }

    #[test]
    fn a_whole_file_reads_back() {
        let bytes = sample();
        let (header, body) = read(&bytes).unwrap();
        assert_eq!((header.from_site, body), (2, &b"changes"[..]));
    }

    #[test]
    fn cut_altered_relabelled_and_foreign_files_are_refused() {
        let bytes = sample();
        assert!(matches!(
            read(&bytes[..bytes.len() - 3]),
            Err(FileError::Truncated { got: 4, want: 7 })
        ));
        let mut altered = bytes.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(read(&altered), Err(FileError::Altered));
        let text = String::from_utf8(bytes.clone()).unwrap();
        let relabelled = text.replace("\"to_site\":1", "\"to_site\":3");
        assert_eq!(read(relabelled.as_bytes()), Err(FileError::Altered));
        assert_eq!(read(b"kind,name\n"), Err(FileError::NotSync));
    }
}
