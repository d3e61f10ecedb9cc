#!/usr/bin/env bash
# execplan-ls side by side with rumdl through the language-server protocol
# (issue 17), in one run on the same inputs, alternating sample by sample:
# open → first diagnostics, keystroke → diagnostics, keystroke →
# documentSymbol (with VS Code's Markdown language server too, when node and
# npm can install it), resident memory with 120 plans open; each figure for
# every server and the ratio. The bench is server/benches/lsp_vs_rumdl.rs;
# docs/performance.md describes the method and records results.
#
#   scripts/bench/lsp-vs-rumdl.sh [PLANS_DIR]   # PLANS_DIR: real plans, joined to the sizes too
#
# RUMDL (the rumdl binary; scripts/bench-vs-rumdl.sh sets it), KEYSTROKES
# (300 per measure and server) and NO_VSCODE=1 (leave VS Code's server out)
# change what runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUMDL=${RUMDL:-$(scripts/bench/rumdl.sh)}
export RUMDL
if [ -z "${NO_VSCODE:-}" ] && command -v npm > /dev/null && command -v node > /dev/null; then
  if vscode=$(scripts/bench/vscode-markdown-ls.sh); then
    export VSCODE_MARKDOWN_LS="$vscode"
  else
    echo "VS Code's Markdown language server could not be installed; measuring without it" >&2
  fi
fi
if [ $# -gt 0 ]; then
  PLANS_DIR=$(cd "$1" && pwd)
  export PLANS_DIR
fi
echo "rumdl: $("$RUMDL" --version); load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
cargo bench -q -p execplan-ls --bench lsp_vs_rumdl
