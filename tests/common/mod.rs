//! Shared by the integration tests: real stores in temporary folders.
#![allow(dead_code)]

pub mod fixture;

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zhixing::demo::{DemoOptions, generate};
use zhixing::store::Store;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// A demo store of `subjects` in a fresh temporary folder.
pub fn demo_store(subjects: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
    generate(
        &mut store,
        DemoOptions {
            subjects,
            seed: 1,
            as_of: today(),
        },
    )
    .unwrap();
    (dir, store)
}

/// A checksum of a file's bytes: proves a refused file was left untouched.
pub fn file_digest(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_zhixing"))
}
