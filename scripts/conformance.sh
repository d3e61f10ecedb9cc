#!/usr/bin/env bash
# Protocol conformance: every message the server sends, in a session with a
# client that declares every capability and one that declares none, is
# structured with lsprotocol (the LSP 3.17 types generated from the
# specification) and checked against what the client declared. lsprotocol is
# installed into the ignored .cache/lsprotocol-venv on first use.
#
#   scripts/conformance.sh            # builds the debug binary
#   scripts/conformance.sh BINARY     # checks BINARY instead
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.cache/lsprotocol-venv
version=2025.0.0
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('lsprotocol') != '$version')" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "lsprotocol==$version"
fi
binary=${1:-}
if [ -z "$binary" ]; then
  cargo build -q --locked --bin execplan-ls
  binary=target/debug/execplan-ls
fi
"$venv/bin/python" scripts/conformance/lsp_conformance.py "$binary"
