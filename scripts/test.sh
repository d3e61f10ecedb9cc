#!/usr/bin/env bash
# The whole test suite: formatting, lints, then every test in the workspace.
# Needs a Rust toolchain (cargo with rustfmt and clippy; the components are
# added if missing), and npm and python3 for the schema check, which installs
# what it needs into the ignored folder .cache/.
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
echo "== JSON and SARIF output against their schemas"
./scripts/validate-schemas.sh
echo "== the project's own plans pass the checker"
cargo run --quiet --locked -p execplan-ls -- check docs/plans
