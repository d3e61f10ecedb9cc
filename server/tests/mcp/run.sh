#!/usr/bin/env bash
# The MCP server end to end: the official Python SDK's stdio client (from
# PyPI, installed into the ignored .cache/mcp-venv) drives the release
# binary through an agent's session with its plans (server/tests/mcp/session.py).
# Usage: server/tests/mcp/run.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/../../.."
venv=.cache/mcp-venv
if ! "$venv/bin/python" -c 'import mcp' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "mcp==2.3.0"
fi
binary=${1:-}
if [ -z "$binary" ]; then
  cargo build --quiet --release --locked -p execplan-ls
  binary=target/release/execplan-ls
fi
"$venv/bin/python" server/tests/mcp/session.py "$binary"
