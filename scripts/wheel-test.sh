#!/usr/bin/env bash
# The Python wheel, end to end: builds it from this checkout with maturin
# (from PyPI, into .cache/wheel/tools), installs it into a fresh virtual
# environment with no network and no Rust toolchain on PATH, and runs the
# installed command: `check` on a broken and a clean plan, and the LSP
# `initialize` over stdio. The release build goes to the workspace's own
# target/ folder, so a later `cargo build --release` (or the pre-commit test)
# reuses it. Prints `wheel: PASS` or `wheel: FAIL: ...`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=$root/.cache/wheel
fail() { echo "wheel: FAIL: $*" >&2; exit 1; }

tools=$cache/tools
if ! [ -x "$tools/bin/maturin" ]; then
  echo "wheel: installing maturin into .cache/wheel/tools"
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2"
fi

rm -rf "$cache/dist"
echo "wheel: building (maturin build --release)"
"$tools/bin/maturin" build --release --quiet --out "$cache/dist" > "$cache/build.log" 2>&1 \
  || { tail -30 "$cache/build.log" >&2; fail "maturin build failed (log: .cache/wheel/build.log)"; }
wheels=("$cache"/dist/execplan_ls-*.whl)
[ ${#wheels[@]} -eq 1 ] && [ -f "${wheels[0]}" ] || fail "expected one wheel in .cache/wheel/dist, found: ${wheels[*]}"
wheel=${wheels[0]}
echo "wheel: built $(basename "$wheel")"
python3 - "$wheel" <<'PY' || fail "the wheel does not carry the execplan-ls binary as a script"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert any(n.endswith(".data/scripts/execplan-ls") for n in names), names
PY

# A fresh environment, and a PATH with no cargo or rustc on it: what a user
# with Python and no Rust toolchain has.
venv=$cache/venv
rm -rf "$venv"
python3 -m venv "$venv"
bare_path=$venv/bin:/usr/local/bin:/usr/bin:/bin
in_bare() { env -i HOME="$HOME" LANG=C.UTF-8 PATH="$bare_path" "$@"; }
if in_bare sh -c 'command -v cargo || command -v rustc' > /dev/null; then
  fail "cargo or rustc is on the bare PATH ($bare_path); the test would prove nothing"
fi
in_bare "$venv/bin/pip" install --quiet --no-index --disable-pip-version-check "$wheel" \
  || fail "pip could not install the wheel offline"
command_path=$(in_bare sh -c 'command -v execplan-ls') || fail "no execplan-ls on PATH after pip install"
[ "$command_path" = "$venv/bin/execplan-ls" ] || fail "execplan-ls resolves to $command_path, not the venv's"
version=$(in_bare execplan-ls --version) || fail "execplan-ls --version failed"
echo "wheel: installed $version at ${command_path#"$root"/}"

# check: the broken plan fails with its findings, the clean one passes.
set +e
broken=$(cd "$root" && in_bare execplan-ls check --format short scripts/fixtures/broken-plan.md 2>&1)
broken_rc=$?
clean=$(cd "$root" && in_bare execplan-ls check scripts/fixtures/clean-plan.md 2>&1)
clean_rc=$?
set -e
[ "$broken_rc" -eq 1 ] || fail "check on the broken plan exited $broken_rc, not 1: $broken"
for expected in "broken-plan.md:1:1: error[EP101]" "broken-plan.md:12:7: error[EP205]" "broken-plan.md:11:3: warning[EP203]"; do
  grep -qF "$expected" <<< "$broken" || fail "check on the broken plan did not report \`$expected\`: $broken"
done
[ "$clean_rc" -eq 0 ] || fail "check on the clean plan exited $clean_rc: $clean"
grep -qF "Checked 1 plan: 0 errors, 0 warnings" <<< "$clean" || fail "unexpected summary for the clean plan: $clean"
echo "wheel: check from the installed command reports the broken plan and passes the clean one"

# The language server: initialize over stdio, then a clean shutdown.
lsp=$(in_bare timeout 30 python3 "$root/scripts/lsp-initialize.py" execplan-ls 2>&1) \
  || fail "LSP initialize from the installed command: $lsp"
grep -q "answered by execplan-ls" <<< "$lsp" || fail "unexpected initialize answer: $lsp"
echo "wheel: $lsp"
echo "wheel: PASS"
