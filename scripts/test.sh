#!/usr/bin/env bash
# The whole test suite: formatting, lints, every test in the workspace, the
# output schemas, the project's own plans, then the editor integrations
# end to end in real Neovim, Helix, VS Code and Emacs, checked against the
# protocol's own types (lsprotocol) on the way.
# Needs a Rust toolchain (cargo with rustfmt and clippy; the components are
# added if missing), npm, python3 and apt-get: the schema check and the
# editor tests and the fuzz pass install what they need (into the ignored
# folders .cache/ and .tools/, and cargo-fuzz with cargo install; the MCP
# test installs the Python mcp package into .cache/mcp-venv);
# the first run takes several minutes.
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
echo "== corpus report (plans found and findings on ../shared/devcorpus; skipped, saying so, without it)"
./scripts/corpus-report.sh
echo "== JSON and SARIF output against their schemas"
./scripts/validate-schemas.sh
echo "== the project's own plans pass the checker"
cargo run --quiet --locked -p execplan-ls -- check docs/plans
echo "== the MCP server, end to end with the Python MCP SDK's client"
./server/tests/mcp/run.sh
echo "== the MCP server, smoke test with a second client (the MCP Inspector CLI)"
./server/tests/mcp/inspector.sh
echo "== protocol conformance (lsprotocol), a rich and a no-capabilities client"
./scripts/conformance.sh
echo "== editor integrations, end to end"
./editors/test.sh
echo "== the Python wheel: build, install in a fresh venv, run"
./scripts/wheel-test.sh
echo "== the pre-commit hooks, in a scratch repository"
./scripts/pre-commit-test.sh
echo "== the GitHub Action's script, run locally"
./scripts/action-test.sh
echo "== the plans report, in headless Chromium"
./scripts/report-test.sh
echo "== fuzzing, a short pass"
./scripts/fuzz.sh 15
