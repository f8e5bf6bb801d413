//! The sync file: a first line naming the format, a second line of JSON
//! (the header), then the changeset's bytes. The header's SHA-256 covers
//! the header's other fields and the changeset, so a file cut short,
//! altered, or relabelled for another store is refused and nothing of it
//! stays applied (it is read as it is merged, inside the transaction that
//! commits only once the whole file has checked out).

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{BufRead, Read, Seek, SeekFrom, Write};

pub const MAGIC: &str = "ZHIXING-SYNC 1";
/// The longest header line read (a header is a few hundred bytes).
const HEADER_MAX: u64 = 1 << 20;

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

/// The digest as far as the changeset: the header without the digest
/// itself, and the newline after it.
fn digest_start(header: &Header) -> Sha256 {
    let mut bare = header.clone();
    bare.sha256 = String::new();
    let mut hash = Sha256::new();
    hash.update(serde_json::to_string(&bare).unwrap_or_default().as_bytes());
    hash.update(b"\n");
    hash
}

/// Writes the file to `out`: magic, header (sealed), then the changeset
/// read from `body` (`len` bytes, read twice: once for the digest the
/// header carries, once to copy), so that it never has to be held whole.
pub fn write_from(
    mut header: Header,
    body: &mut (impl Read + Seek),
    len: u64,
    out: &mut dyn Write,
) -> std::io::Result<Header> {
    header.bytes = len;
    let mut hash = digest_start(&header);
    body.seek(SeekFrom::Start(0))?;
    std::io::copy(body, &mut hash)?;
    header.sha256 = crate::hex(&hash.finalize());
    out.write_all(MAGIC.as_bytes())?;
    out.write_all(b"\n")?;
    out.write_all(
        serde_json::to_string(&header)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    out.write_all(b"\n")?;
    body.seek(SeekFrom::Start(0))?;
    std::io::copy(body, out)?;
    Ok(header)
}

/// The file's bytes: magic, header (sealed), changeset.
#[cfg(test)]
fn write(header: Header, body: &[u8]) -> (Header, Vec<u8>) {
    let mut out = Vec::new();
    let header = write_from(
        header,
        &mut std::io::Cursor::new(body),
        body.len() as u64,
        &mut out,
    )
    .expect("in memory");
    (header, out)
}

/// The magic line and the header of a file, read from `input`, which is
/// left at the first byte of the changeset.
pub fn read_header(input: &mut impl BufRead) -> Result<Header, FileError> {
    // Each line read only so far: a foreign file may have no line end.
    let mut line = Vec::new();
    input
        .take(MAGIC.len() as u64 + 1)
        .read_until(b'\n', &mut line)
        .map_err(|e| FileError::BadHeader(e.to_string()))?;
    if line.strip_suffix(b"\n") != Some(MAGIC.as_bytes()) {
        return Err(FileError::NotSync);
    }
    line.clear();
    input
        .take(HEADER_MAX)
        .read_until(b'\n', &mut line)
        .map_err(|e| FileError::BadHeader(e.to_string()))?;
    let Some(json) = line.strip_suffix(b"\n") else {
        return Err(FileError::BadHeader("it has no end".into()));
    };
    serde_json::from_slice(json).map_err(|e| FileError::BadHeader(e.to_string()))
}

/// The changeset as it is read, hashed and counted on the way, so that a
/// file of millions of rows is never held whole: whoever reads it applies
/// the rows in a transaction and commits only if `finish` finds the file
/// whole and unaltered.
pub struct Body<R> {
    input: R,
    hash: Sha256,
    read: u64,
}

impl<R: Read> Body<R> {
    pub fn new(input: R, header: &Header) -> Body<R> {
        Body {
            input,
            hash: digest_start(header),
            read: 0,
        }
    }

    /// Reads what is left, then checks the length and digest the header
    /// gives.
    pub fn finish(mut self, header: &Header) -> Result<(), FileError> {
        std::io::copy(&mut self, &mut std::io::sink()).map_err(|_| FileError::Truncated {
            got: self.read,
            want: header.bytes,
        })?;
        if self.read < header.bytes {
            return Err(FileError::Truncated {
                got: self.read,
                want: header.bytes,
            });
        }
        if self.read != header.bytes || crate::hex(&self.hash.finalize()) != header.sha256 {
            return Err(FileError::Altered);
        }
        Ok(())
    }
}

impl<R: Read> Read for Body<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        self.hash.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// The header and the changeset of a file held in memory, checked whole.
#[cfg(test)]
fn read(bytes: &[u8]) -> Result<(Header, &[u8]), FileError> {
    let mut input = bytes;
    let header = read_header(&mut input)?;
    let body = input;
    Body::new(body, &header).finish(&header)?;
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
        let mut longer = bytes.clone();
        longer.push(b'x');
        assert_eq!(read(&longer), Err(FileError::Altered));
    }

    #[test]
    fn a_foreign_file_is_refused_after_its_first_bytes() {
        // No line end at all: only the magic line's length is read.
        let foreign = vec![b'A'; 1 << 16];
        let mut input = &foreign[..];
        assert_eq!(read_header(&mut input), Err(FileError::NotSync));
        assert_eq!(input.len(), foreign.len() - MAGIC.len() - 1);
    }
}
