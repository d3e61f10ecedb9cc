#!/usr/bin/env bash
# Installs VS Code's Markdown language server (npm `vscode-markdown-languageserver`)
# and markdown-it, which VS Code's side of that server's protocol tokenises
# with, into the ignored .cache/bench/vscode-markdown-ls, and prints the path
# of scripts/bench/vscode-markdown-ls.mjs, which runs the server with that
# side (the server asks its client to parse Markdown). Versions are pinned
# so that two runs compare like with like. Needs node and npm.
#
#   vscode=$(scripts/bench/vscode-markdown-ls.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
server=${VSCODE_MARKDOWN_LS_VERSION:-0.5.0}
markdown_it=14.1.0
prefix=.cache/bench/vscode-markdown-ls
installed() {
  node -e "const p=require('./$prefix/node_modules/vscode-markdown-languageserver/package.json'); process.exit(p.version==='$server'?0:1)" 2>/dev/null &&
    [ -f "$prefix/node_modules/markdown-it/package.json" ]
}
if ! installed; then
  mkdir -p "$prefix"
  npm install --silent --no-audit --no-fund --prefix "$prefix" \
    "vscode-markdown-languageserver@$server" "markdown-it@$markdown_it" >&2
fi
echo "$PWD/scripts/bench/vscode-markdown-ls.mjs"
