#!/usr/bin/env bash
# Runs the end-to-end tests of every editor integration in the real editors:
# Neovim (headless), Helix (in tmux), VS Code (code-server in headless
# Chromium) and Emacs with eglot (batch mode). Each installs what it needs under .tools/ on first use and fails,
# never skips, when it cannot. Run from anywhere; `.ci/run` calls it after the
# Rust tests.
#
#   editors/test.sh              # all four
#   editors/test.sh neovim helix # some
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q --locked --bin execplan-ls
export EXECPLAN_LS=$PWD/target/debug/execplan-ls

editors=("$@")
[ ${#editors[@]} -gt 0 ] || editors=(neovim helix vscode emacs)
failed=()
for editor in "${editors[@]}"; do
  echo "== $editor"
  start=$(date +%s)
  if bash "editors/tests/$editor.sh"; then
    echo "== $editor: passed in $(( $(date +%s) - start )) s"
  else
    echo "== $editor: FAILED" >&2
    failed+=("$editor")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "editor end-to-end tests failed: ${failed[*]}" >&2
  exit 1
fi
