#!/usr/bin/env bash
# End-to-end test of editors/emacs in real Emacs with eglot, in batch mode.
# Installs Debian's emacs-nox and elpa-eglot with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
. editors/tests/common.sh

eglot_installed() {
  command -v emacs >/dev/null 2>&1 &&
    emacs --batch -q --eval '(require (quote eglot))' >/dev/null 2>&1
}
if ! eglot_installed; then
  echo "emacs: installing emacs-nox and elpa-eglot with apt-get"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq emacs-nox elpa-eglot >/dev/null
fi
emacs --version | head -n1

workspace=$(new_workspace emacs)
# -q: no user init file, but Debian's site start files, which put the
# elpa-* packages on the load path.
HOME="$workspace/home" timeout 120 emacs --batch -q \
  -l editors/tests/emacs_e2e.el "$root/editors" "$workspace/.agent/plans/demo.md" "$server"
echo "emacs: all checks passed"
