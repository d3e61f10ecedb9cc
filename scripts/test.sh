#!/usr/bin/env bash
# The whole test suite: formatting, lints, then every test in the workspace.
# Needs only a Rust toolchain (cargo with rustfmt and clippy); installs the
# components if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo fmt --version >/dev/null 2>&1; then rustup component add rustfmt; fi
if ! cargo clippy --version >/dev/null 2>&1; then rustup component add clippy; fi
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test"
cargo test --workspace --locked
echo "== the project's own plans pass the checker"
cargo run --quiet --locked -p execplan-ls -- check docs/plans
