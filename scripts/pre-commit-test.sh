#!/usr/bin/env bash
# The pre-commit hooks, end to end: in a scratch git repository whose
# .pre-commit-config.yaml points at this checkout (`repo:` its path, `rev:`
# its HEAD commit), pre-commit (from PyPI, into .cache/pre-commit/tools)
# installs the hooks as users get them (`language: python`: pip builds this
# repository's wheel) and the test commits plans: a broken plan is refused
# with its findings shown, a fixable one is fixed by `execplan-fix` and then
# goes in, a clean one passes. The build reuses this checkout's target/
# folder. Prints `pre-commit: PASS` or `pre-commit: FAIL: ...`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=$root/.cache/pre-commit
fail() { echo "pre-commit: FAIL: $*" >&2; exit 1; }

tools=$cache/tools
if ! [ -x "$tools/bin/pre-commit" ]; then
  echo "pre-commit: installing pre-commit into .cache/pre-commit/tools"
  python3 -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check "pre-commit>=3,<5"
fi
pre_commit=$tools/bin/pre-commit

rev=$(git rev-parse HEAD)
if ! git diff --quiet HEAD -- .pre-commit-hooks.yaml pyproject.toml server; then
  echo "pre-commit: note: testing the committed HEAD ${rev:0:12}; uncommitted changes to the hooks or the server are not in it"
fi
# pre-commit keeps the hook environments it builds here, one per rev.
export PRE_COMMIT_HOME=$cache/home
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
export PATH=$tools/bin:$PATH

scratch=$cache/scratch
rm -rf "$scratch"
mkdir -p "$scratch/docs/plans"
cd "$scratch"
git init -q
git config user.name "pre-commit test"
git config user.email "test@example.invalid"
git config commit.gpgsign false
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: execplan-fix
      - id: execplan-check
YAML
printf '# Scratch\n\nA repository for the pre-commit test.\n' > README.md
git add .pre-commit-config.yaml README.md
git commit -q --no-verify -m "config"
"$pre_commit" install > /dev/null
echo "pre-commit: installing the hooks (pip builds the wheel from ${rev:0:12})"
"$pre_commit" install-hooks > "$cache/install.log" 2>&1 \
  || { tail -30 "$cache/install.log" >&2; fail "pre-commit could not install the hooks (log: .cache/pre-commit/install.log)"; }
commits() { git rev-list --count HEAD; }

# 1. A broken plan: refused, with the findings shown.
cp "$root/scripts/fixtures/broken-plan.md" docs/plans/rename.md
git add docs/plans/rename.md
if git commit -q -m "broken plan" > "$cache/broken.log" 2>&1; then
  cat "$cache/broken.log" >&2; fail "the commit with a broken plan went in"
fi
[ "$(commits)" -eq 1 ] || fail "a commit was made despite the broken plan"
grep -q "execplan-ls check.*Failed" "$cache/broken.log" || { cat "$cache/broken.log" >&2; fail "the check hook did not fail"; }
grep -qF "error[EP205]" "$cache/broken.log" || { cat "$cache/broken.log" >&2; fail "the findings (EP205) were not shown"; }
echo "pre-commit: a commit with a broken plan is refused, with its findings shown"
git reset -q -- docs/plans/rename.md
rm docs/plans/rename.md

# 2. A plan whose only problem is safe to fix (a heading with no blank line
# after it): execplan-fix fixes it and stops the commit so the fix can be
# reviewed; the next commit goes in.
python3 - "$root/scripts/fixtures/clean-plan.md" docs/plans/cache.md <<'PY'
import sys
text = open(sys.argv[1]).read()
fixable = text.replace("## Artifacts and Notes\n\n", "## Artifacts and Notes\n", 1)
assert fixable != text
open(sys.argv[2], "w").write(fixable)
PY
git add docs/plans/cache.md
if git commit -q -m "fixable plan" > "$cache/fix.log" 2>&1; then
  cat "$cache/fix.log" >&2; fail "the fix hook did not stop the commit after changing the plan"
fi
grep -q "execplan-ls fix.*Failed" "$cache/fix.log" && grep -q "files were modified by this hook" "$cache/fix.log" \
  || { cat "$cache/fix.log" >&2; fail "the fix hook did not report that it changed the plan"; }
cmp -s docs/plans/cache.md "$root/scripts/fixtures/clean-plan.md" \
  || { diff "$root/scripts/fixtures/clean-plan.md" docs/plans/cache.md >&2; fail "the fix hook changed more (or less) than the missing blank line"; }
echo "pre-commit: execplan-fix applies the safe fix and stops the commit for review"

# 3. The fixed (now clean) plan, with a Markdown file that is not a plan.
printf '# Notes\n\nNot a plan.\n' > NOTES.md
git add docs/plans/cache.md NOTES.md
git commit -q -m "clean plan" > "$cache/clean.log" 2>&1 \
  || { cat "$cache/clean.log" >&2; fail "the commit with a clean plan was refused"; }
[ "$(commits)" -eq 2 ] || fail "the clean commit did not go in"
echo "pre-commit: a commit with a clean plan passes"
echo "pre-commit: PASS"
