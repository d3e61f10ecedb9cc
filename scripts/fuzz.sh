#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS each (default 15). Installs
# cargo-fuzz on first use. cargo-fuzz needs nightly compiler features;
# RUSTC_BOOTSTRAP=1 lets the stable toolchain provide them.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
if ! cargo fuzz --version > /dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi
cd fuzz
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
log=$(mktemp)
for target in $(cargo fuzz list); do
  echo "== fuzz $target for $seconds s"
  if ! cargo fuzz run -O "$target" -- -max_total_time="$seconds" > "$log" 2>&1; then
    # The panic message comes before cargo-fuzz's long report: show both.
    grep -E -A12 "panicked at|ERROR: AddressSanitizer" "$log" >&2 || true
    tail -n 40 "$log" >&2
    echo "fuzz: $target found a crash; its input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  grep -E "^Done" "$log" || true
done
rm -f "$log"
