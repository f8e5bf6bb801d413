//! zhixing: a terminal workstation for court enforcement officers.

pub mod demo;
pub mod domain;
pub mod import;
pub mod progress;
pub mod search;
pub mod store;
pub mod tui;
pub mod words;

/// The allocator of every program built on this library (the binary, its
/// tests and benchmarks alike). An import allocates a few dozen strings
/// per row on its reading thread and frees them on the staging one; with
/// glibc's allocator a third of the reading thread's time went to malloc
/// and free, and freeing on the other thread cost more again.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Bytes in lowercase hex: how digests (SHA-256 of files, the audit chain,
/// sync files) are written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
