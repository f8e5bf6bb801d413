#!/usr/bin/env bash
# Runs every test of zhixing on a fresh Debian machine: installs what the
# tests need (tmux for the end-to-end test, pkill for its SIGTERM check),
# then formatting, lints, and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tmux >/dev/null || need+=(tmux)
command -v pkill >/dev/null || need+=(procps)
if ((${#need[@]})); then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked
