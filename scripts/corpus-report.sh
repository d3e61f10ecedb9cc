#!/usr/bin/env bash
# The corpus report: runs `execplan-ls check` from the root of every
# repository of the development corpus and prints the plans found against
# its MANIFEST.tsv, the findings per rule, and the difference against the
# committed baseline docs/corpus-baseline.tsv (server/tests/corpus.rs).
#
#   scripts/corpus-report.sh [--update] [CORPUS]
#
# CORPUS defaults to $EXECPLAN_DEVCORPUS, else ../shared/devcorpus beside the
# checkout. --update rewrites docs/corpus-baseline.tsv from the current
# findings (review the diff first: it is what changed on real plans).
set -euo pipefail
cd "$(dirname "$0")/.."
update=""
if [[ "${1:-}" == "--update" ]]; then
  update=1
  shift
fi
if [[ -n "${1:-}" ]]; then
  export EXECPLAN_DEVCORPUS="$1"
fi
if [[ -n "$update" ]]; then
  export EXECPLAN_UPDATE_BASELINE=1
fi
cargo test --quiet --locked -p execplan-ls --test corpus -- --nocapture
