#!/usr/bin/env bash
# The side-by-side benchmarks against rumdl (issue 17), in one run: every
# scripts/bench/*-vs-rumdl.sh in turn, each printing execplan-ls's figures,
# rumdl's and their ratios on the same inputs. rumdl comes from PyPI
# (scripts/bench/rumdl.sh). docs/performance.md describes the method.
#
#   scripts/bench-vs-rumdl.sh [PLANS_DIR]   # PLANS_DIR: real plans to measure on
set -euo pipefail
cd "$(dirname "$0")/.."
rumdl=$(scripts/bench/rumdl.sh)
export RUMDL="$rumdl"
echo "rumdl: $("$rumdl" --version); load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
for bench in scripts/bench/*-vs-rumdl.sh; do
  echo
  echo "== $bench"
  "$bench" "$@"
done
