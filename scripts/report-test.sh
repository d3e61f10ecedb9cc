#!/usr/bin/env bash
# `execplan-ls report` in a real browser: builds the binary, writes the
# report of a scratch repository holding this project's own plans and three
# fixtures (a stalled plan, one updated now, a broken one), and opens it in
# headless Chromium (Debian's, installed with apt-get when missing; driven by
# playwright-core from npm, under .tools/): no console error, no request
# outside the page, findings equal to `check --format json`, the stalled plan
# marked, columns sortable. The screenshot is kept at .cache/report/report.png.
# Prints `report: PASS` or `report: FAIL: ...`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=$root/.cache/report
fail() { echo "report: FAIL: $*" >&2; exit 1; }

if ! [ -x /usr/bin/chromium ]; then
  echo "report: installing chromium"
  apt-get install -y -qq chromium > /dev/null \
    || { apt-get update -qq && apt-get install -y -qq chromium > /dev/null; }
fi
if ! [ -d "$root/.tools/playwright/node_modules/playwright-core" ]; then
  echo "report: installing playwright-core into .tools/playwright"
  npm install --silent --no-audit --no-fund --prefix "$root/.tools/playwright" playwright-core@1
fi
cargo build --quiet --locked -p execplan-ls
bin=$root/target/debug/execplan-ls

repo=$cache/repo
rm -rf "$repo"
mkdir -p "$repo/docs/plans" "$repo/.agent/plans"
git -C "$repo" init -q
cp docs/plans/*.md "$repo/docs/plans/"
cp scripts/fixtures/clean-plan.md "$repo/.agent/plans/stalled.md"
cp scripts/fixtures/broken-plan.md "$repo/.agent/plans/broken.md"
now=$(date -u +"%Y-%m-%d %H:%MZ")
sed -e "s/# Add a cache to the parser/# Add a second cache/" \
    -e "s/(2026-11-21 11:30Z)/($now)/" scripts/fixtures/clean-plan.md > "$repo/.agent/plans/fresh.md"
printf '# A repository\n\nNot a plan.\n' > "$repo/README.md"

# The stalled fixture's last stamp must be older than the threshold.
(cd "$repo" && "$bin" report --stalled-after 7d --output "$cache/report.html") 2> "$cache/report.err" \
  || { cat "$cache/report.err" >&2; fail "report exited non-zero"; }
(cd "$repo" && "$bin" check --format json > "$cache/check.json" 2> /dev/null) || true
[ -s "$cache/check.json" ] || fail "check --format json wrote nothing"

PLAYWRIGHT_CORE=$root/.tools/playwright/node_modules/playwright-core \
  node scripts/report-browser.mjs "$cache/report.html" "$cache/check.json" "$cache/report.png" \
  .agent/plans/stalled.md .agent/plans/fresh.md \
  || fail "the page in Chromium (screenshot: .cache/report/report.png)"
echo "report: screenshot at .cache/report/report.png"
echo "report: PASS"
