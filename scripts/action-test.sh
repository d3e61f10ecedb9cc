#!/usr/bin/env bash
# The GitHub Action's script (scripts/action.sh), run locally as the Action
# runs it: inputs in INPUT_* variables, in a scratch repository holding a
# broken and a clean plan. It installs the wheel that scripts/wheel-test.sh
# built (building one first if there is none) and the test asserts the
# GitHub annotations it prints, its exit codes and the job summary it writes.
# Prints `action: PASS` or `action: FAIL: ...`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=$root/.cache/action
fail() { echo "action: FAIL: $*" >&2; exit 1; }

wheels=("$root"/.cache/wheel/dist/execplan_ls-*.whl)
if ! [ -f "${wheels[0]}" ]; then
  echo "action: no wheel yet; building one with scripts/wheel-test.sh"
  "$root/scripts/wheel-test.sh" > /dev/null
  wheels=("$root"/.cache/wheel/dist/execplan_ls-*.whl)
fi
wheel=${wheels[0]}

rm -rf "$cache"
mkdir -p "$cache/repo/docs/plans"
cp scripts/fixtures/broken-plan.md "$cache/repo/docs/plans/rename.md"
cp scripts/fixtures/clean-plan.md "$cache/repo/docs/plans/cache.md"
git -C "$cache/repo" init -q
export RUNNER_TEMP=$cache/runner-temp
mkdir -p "$RUNNER_TEMP"

# run NAME VERSION PATHS FAIL_ON: runs the Action's script in the scratch
# repository, output in $cache/NAME.out, exit code in $rc.
run() {
  set +e
  (cd "$cache/repo" && env INPUT_VERSION="$2" INPUT_PATHS="$3" INPUT_FAIL_ON="$4" \
    GITHUB_STEP_SUMMARY="$cache/$1.summary" \
    "$root/scripts/action.sh") > "$cache/$1.out" 2>&1
  rc=$?
  set -e
}

# The whole repository: the broken plan's findings as annotations, exit 1.
run all "$wheel" "" error
out=$cache/all.out
[ "$rc" -eq 1 ] || { cat "$out" >&2; fail "exit $rc with an error in the repository, not 1"; }
grep -q '^::group::Install execplan-ls' "$out" || { cat "$out" >&2; fail "no install group"; }
for expected in \
  '::error file=docs/plans/rename.md,line=1,col=1,' \
  '::error file=docs/plans/rename.md,line=12,col=7,' \
  '::warning file=docs/plans/rename.md,line=11,col=3,' \
  '::warning file=docs/plans/rename.md,line=17,col=1,'; do
  grep -qF "$expected" "$out" || { cat "$out" >&2; fail "no annotation starting \`$expected\`"; }
done
grep -qF 'title=EP205 invalid-timestamp::`(2026-02-30 09:00Z)` is not a real timestamp' "$out" \
  || { cat "$out" >&2; fail "the EP205 annotation lacks its title or message"; }
if grep -q 'file=docs/plans/cache.md' "$out"; then cat "$out" >&2; fail "the clean plan was annotated"; fi
echo "action: the whole repository: annotations for the broken plan, exit 1"
grep -q '^## ExecPlans' "$cache/all.summary" && grep -qF '`docs/plans/rename.md`' "$cache/all.summary" \
  || { cat "$cache/all.summary" >&2; fail "the job summary has no plans overview"; }
echo "action: the job summary gets the plans overview"

# Only the clean plan, failing on warnings: no annotation, exit 0.
run clean "$wheel" "docs/plans/cache.md" warning
[ "$rc" -eq 0 ] || { cat "$cache/clean.out" >&2; fail "exit $rc on the clean plan alone"; }
if grep -q '^::\(error\|warning\|notice\)' "$cache/clean.out"; then cat "$cache/clean.out" >&2; fail "annotations for the clean plan"; fi
echo "action: paths input: the clean plan alone passes with fail-on warning"

# A glob among the paths (check reads globs itself).
run glob "$wheel" "docs/**/rename.md docs/plans/cache.md" error
[ "$rc" -eq 1 ] || { cat "$cache/glob.out" >&2; fail "exit $rc for a glob naming the broken plan, not 1"; }
grep -qF '::error file=docs/plans/rename.md,line=12' "$cache/glob.out" || { cat "$cache/glob.out" >&2; fail "the glob did not reach the broken plan"; }
echo "action: a glob in paths reaches the plans it matches"

# A bad input is refused with an annotation, before anything is installed.
run bad "$wheel" "" sometimes
[ "$rc" -eq 2 ] && grep -qF '::error title=execplan-ls::fail-on must be' "$cache/bad.out" \
  || { cat "$cache/bad.out" >&2; fail "a bad fail-on was not refused (exit $rc)"; }
echo "action: a bad fail-on input is refused with an annotation"
echo "action: PASS"
