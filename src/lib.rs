//! zhixing: a terminal workstation for court enforcement officers.

pub mod demo;
pub mod domain;
pub mod import;
pub mod search;
pub mod store;
pub mod tui;

/// Bytes in lowercase hex: how digests (SHA-256 of files, the audit chain,
/// sync files) are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
