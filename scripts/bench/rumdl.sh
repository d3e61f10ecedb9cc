#!/usr/bin/env bash
# Installs rumdl, the peer the side-by-side benchmarks measure against, from
# PyPI into the ignored .cache/bench/rumdl-venv, and prints the path of its
# binary. The version is pinned so that two runs compare like with like;
# RUMDL_VERSION picks another.
#
#   rumdl=$(scripts/bench/rumdl.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${RUMDL_VERSION:-0.3.0}
venv=.cache/bench/rumdl-venv
if ! [ -x "$venv/bin/rumdl" ] || [ "$("$venv/bin/rumdl" --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  mkdir -p .cache/bench
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "rumdl==$version" >&2
fi
echo "$PWD/$venv/bin/rumdl"
