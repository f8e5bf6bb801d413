#!/usr/bin/env bash
# Runs every test of zhixing on a fresh Debian machine: installs what the
# tests need (tmux for the end-to-end test, pkill for its SIGTERM check,
# libclang for rusqlite's session extension, g++ for libFuzzer),
# then formatting, lints, the whole test suite, and the importer under the
# fuzzer for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tmux >/dev/null || need+=(tmux)
command -v pkill >/dev/null || need+=(procps)
command -v c++ >/dev/null || need+=(g++)  # libFuzzer, for the fuzz step
# rusqlite's session feature (sync between offices) builds with bindgen.
dpkg -s libclang-dev >/dev/null 2>&1 || need+=(libclang-dev)
if ((${#need[@]})); then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked

# The importer's reading and checking under libFuzzer for a bounded time
# (ZHIXING_FUZZ_SECONDS, default 60; 0 skips it). cargo-fuzz needs nightly
# flags; RUSTC_BOOTSTRAP=1 lets this stable toolchain take them.
secs="${ZHIXING_FUZZ_SECONDS:-60}"
if [ "$secs" != 0 ]; then
    command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
    mkdir -p fuzz/corpus/import
    RUSTC_BOOTSTRAP=1 cargo fuzz run import fuzz/corpus/import tests/fixtures/import \
        -- -max_total_time="$secs" -timeout=10 -print_final_stats=1
fi
