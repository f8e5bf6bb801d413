//! Bytes to lines of text: UTF-8 (with or without a byte-order mark) or
//! GB18030 (which covers GBK and GB2312), detected from the start of the
//! file or forced. Streams line by line and hashes every byte it reads.

use sha2::{Digest, Sha256};
use std::io::BufRead;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Gb18030 => "GB18030",
        }
    }

    pub fn parse(text: &str) -> Option<Encoding> {
        match text.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gb18030" | "gbk" | "gb2312" => Some(Encoding::Gb18030),
            _ => None,
        }
    }
}

/// Why the bytes are not text zhixing reads. `byte` counts from 1 within
/// the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("line {line}, byte {byte}: a NUL byte: this is a binary file, not CSV or JSON Lines")]
    Binary { line: u64, byte: u64 },
    #[error(
        "line {line}, byte {byte}: the text is neither UTF-8 nor GB18030; save the file as UTF-8 and import it again"
    )]
    Unknown { line: u64, byte: u64 },
    #[error(
        "line {line}, byte {byte}: not valid {encoding}, although the file starts as {encoding} (was it pasted together from files in two encodings?)"
    )]
    Invalid {
        line: u64,
        byte: u64,
        encoding: &'static str,
    },
    #[error("cannot read the file: {0}")]
    Io(String),
}

/// The first bytes decide the encoding; the rest is checked as it is read.
const SNIFF: usize = 64 * 1024;

pub struct Lines<R: BufRead> {
    reader: R,
    pub encoding: Encoding,
    pub had_bom: bool,
    line: u64,
    /// Bytes read so far.
    pub offset: u64,
    hasher: Sha256,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(mut reader: R, forced: Option<Encoding>) -> Result<Lines<R>, DecodeError> {
        let prefix = reader
            .fill_buf()
            .map_err(|e| DecodeError::Io(e.to_string()))?;
        let prefix = &prefix[..prefix.len().min(SNIFF)];
        let had_bom = prefix.starts_with(&[0xEF, 0xBB, 0xBF]);
        if let Some(at) = prefix.iter().position(|b| *b == 0) {
            let (line, byte) = position(prefix, at);
            return Err(DecodeError::Binary { line, byte });
        }
        let encoding = match forced {
            Some(e) => e,
            None if had_bom => Encoding::Utf8,
            None => sniff(prefix)?,
        };
        Ok(Lines {
            reader,
            encoding,
            had_bom,
            line: 0,
            offset: 0,
            hasher: Sha256::new(),
            buf: Vec::with_capacity(256),
        })
    }

    /// The next line without its line end, with its number.
    pub fn next_line(&mut self) -> Result<Option<(u64, String)>, DecodeError> {
        self.buf.clear();
        let n = self
            .reader
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| DecodeError::Io(e.to_string()))?;
        if n == 0 {
            return Ok(None);
        }
        self.hasher.update(&self.buf);
        let start = self.offset;
        self.offset += n as u64;
        self.line += 1;
        let mut bytes = &self.buf[..];
        if self.line == 1 && self.had_bom {
            bytes = &bytes[3..];
        }
        while let Some(rest) = bytes
            .strip_suffix(b"\n")
            .or_else(|| bytes.strip_suffix(b"\r"))
        {
            bytes = rest;
        }
        if let Some(at) = bytes.iter().position(|b| *b == 0) {
            return Err(DecodeError::Binary {
                line: self.line,
                byte: start + at as u64 + 1,
            });
        }
        let text = decode(bytes, self.encoding).map_err(|bad| DecodeError::Invalid {
            line: self.line,
            byte: start + bad as u64 + 1,
            encoding: self.encoding.name(),
        })?;
        Ok(Some((self.line, text)))
    }

    /// The SHA-256 of every byte read, in hex; call after the last line.
    pub fn digest(&self) -> String {
        crate::hex(&self.hasher.clone().finalize())
    }
}

/// Line and byte (from 1) of an offset in the first bytes.
fn position(prefix: &[u8], at: usize) -> (u64, u64) {
    let line = prefix[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1;
    (line, at as u64 + 1)
}

fn sniff(prefix: &[u8]) -> Result<Encoding, DecodeError> {
    let utf8_error = match std::str::from_utf8(prefix) {
        Ok(_) => return Ok(Encoding::Utf8),
        // Cut inside a character at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => return Ok(Encoding::Utf8),
        Err(e) => e.valid_up_to(),
    };
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(prefix.len() * 2);
    let (result, _) = decoder.decode_to_string_without_replacement(prefix, &mut out, false);
    match result {
        encoding_rs::DecoderResult::Malformed(..) => {
            let (line, byte) = position(prefix, utf8_error);
            Err(DecodeError::Unknown { line, byte })
        }
        _ => Ok(Encoding::Gb18030),
    }
}

/// The text of one line, or the offset of the first bad byte.
fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, usize> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|e| e.valid_up_to()),
        Encoding::Gb18030 => {
            let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(bytes.len() * 2);
            let (result, read) =
                decoder.decode_to_string_without_replacement(bytes, &mut out, true);
            match result {
                encoding_rs::DecoderResult::InputEmpty => Ok(out),
                encoding_rs::DecoderResult::Malformed(bad, after) => {
                    Err(read.saturating_sub(usize::from(bad) + usize::from(after)))
                }
                encoding_rs::DecoderResult::OutputFull => Err(read),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Result<(Encoding, Vec<String>), DecodeError> {
        let mut l = Lines::new(bytes, None)?;
        let mut out = Vec::new();
        while let Some((_, text)) = l.next_line()? {
            out.push(text);
        }
        Ok((l.encoding, out))
    }

    #[test]
    fn utf8_with_bom_and_crlf() {
        let (enc, got) = lines("\u{feff}名字,x\r\n韦国强,1\r\n".as_bytes()).unwrap();
        assert_eq!(enc, Encoding::Utf8);
        assert_eq!(got, vec!["名字,x", "韦国强,1"]);
    }

    #[test]
    fn gb18030_is_detected_and_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("name\n韦国强\n");
        let (enc, got) = lines(&bytes).unwrap();
        assert_eq!(enc, Encoding::Gb18030);
        assert_eq!(got, vec!["name", "韦国强"]);
    }

    #[test]
    fn binary_and_undecodable_bytes_are_named() {
        assert_eq!(
            lines(b"a,b\nc\0d\n").unwrap_err(),
            DecodeError::Binary { line: 2, byte: 6 }
        );
        assert!(matches!(
            lines(b"ok\n\xff\xff\xff\n").unwrap_err(),
            DecodeError::Unknown { line: 2, byte: 4 }
        ));
    }

    #[test]
    fn a_utf8_file_with_a_bad_line_later_names_it() {
        let mut bytes = "名字\n".repeat(20_000).into_bytes();
        bytes.extend_from_slice(b"\xc3\x28\n");
        match lines(&bytes).unwrap_err() {
            DecodeError::Invalid { line, encoding, .. } => {
                assert_eq!((line, encoding), (20_001, "UTF-8"));
            }
            other => panic!("{other:?}"),
        }
    }
}
