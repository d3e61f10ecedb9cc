#!/usr/bin/env bash
# A second MCP client: the MCP Inspector's command-line mode (npm package
# @modelcontextprotocol/inspector, installed into the ignored
# .cache/mcp-inspector) lists the release binary's tools and calls two of
# plan_status, on a plan and on a missing file. A smoke test beside run.sh's full session:
# it checks that a client we did not write agrees with the server on the
# protocol. Fails, never skips, when it cannot install the Inspector.
# Usage: server/tests/mcp/inspector.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=$PWD
tools=.cache/mcp-inspector
if [ ! -x "$tools/node_modules/.bin/mcp-inspector" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm install --no-audit --no-fund --silent "@modelcontextprotocol/inspector@2.12.0")
fi
inspector=$root/$tools/node_modules/.bin/mcp-inspector
binary=${1:-}
if [ -z "$binary" ]; then
  cargo build --quiet --release --locked -p execplan-ls
  binary=target/release/execplan-ls
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.git" "$work/.agent/plans"
cat > "$work/.agent/plans/smoke.md" <<'PLAN'
# Add a cache

This ExecPlan is a living document.

## Progress

- [x] (2026-01-05 10:00Z) Wrote the cache.
- [ ] Test the cache.
PLAN
run() { (cd "$work" && timeout 60 "$inspector" --cli "$binary" mcp --root "$work" "$@" 2>/dev/null); }
fail() { echo "mcp inspector: FAIL: $1" >&2; exit 1; }

listed=$(run --method tools/list) || fail "tools/list did not answer"
for tool in check_plan plan_status mark_done log_decision log_surprise record_outcome fix_plan new_plan list_plans explain_rule; do
  python3 -c 'import json,sys; names={t["name"] for t in json.load(sys.stdin)["tools"]}; sys.exit(0 if sys.argv[1] in names else 1)' "$tool" <<<"$listed" \
    || fail "tools/list does not offer $tool"
done

status=$(run --method tools/call --tool-name plan_status --tool-arg path=.agent/plans/smoke.md) \
  || fail "plan_status did not answer"
python3 - "$status" <<'PY' || fail "plan_status gave the wrong counts: $status"
import json, sys
answer = json.loads(sys.argv[1])
s = answer["structuredContent"]
assert not answer.get("isError"), answer
assert (s["done"], s["total"]) == (1, 2), s
PY

# A missing file is a tool error with a clear message, and the server keeps
# answering.
missing=$(run --method tools/call --tool-name plan_status --tool-arg path=.agent/plans/missing.md 2>/dev/null || true)
python3 - "$missing" <<'PY' || fail "a missing file was not a tool error: $missing"
import json, sys
answer = json.loads(sys.argv[1])
assert answer.get("isError") is True, answer
assert "missing.md" in answer["content"][0]["text"], answer
PY
run --method tools/list > /dev/null || fail "the server did not answer after a tool error"
echo "mcp inspector: ok (10 tools listed, plan_status 1/2 done, a missing file is a tool error)"
