//! Arbitrary bytes through the importer's reading and checking: no input
//! may panic or hang it. Run: RUSTC_BOOTSTRAP=1 cargo fuzz run import
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("a real day");
    zhixing::import::harness::read_and_check(bytes, today);
});
