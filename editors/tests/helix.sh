#!/usr/bin/env bash
# End-to-end test of editors/helix/languages.toml in real Helix, driven in
# tmux: the configuration passes `hx --health`, and a plan's diagnostic shows
# on screen. Installs Helix (and tmux) on first use.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
. editors/tests/common.sh

if ! command -v tmux > /dev/null; then
  echo "helix: installing tmux"
  apt-get install -y -qq tmux > /dev/null || { apt-get update -qq && apt-get install -y -qq tmux > /dev/null; }
fi
hx=$root/.tools/helix/hx
[ -x "$root/.tools/helix/root/usr/lib/hx/hx" ] || echo "helix: installing Helix into .tools/helix"
bash editors/tests/get-helix.sh "$root/.tools/helix"

workspace=$(new_workspace helix)
config=$workspace/home/.config
mkdir -p "$config/helix"
cp editors/helix/languages.toml "$config/helix/languages.toml"
# Helix shows no code lenses; the Progress count comes as an inlay hint.
printf '[editor.lsp]\ndisplay-inlay-hints = true\n' > "$config/helix/config.toml"
export PATH="$(dirname "$server"):$PATH" XDG_CONFIG_HOME=$config HOME=$workspace/home

# 1. The configuration parses and lists our server beside the defaults.
health=$("$hx" --health markdown 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
if grep -qi "error parsing\|error loading" <<< "$health"; then
  echo "helix: FAIL: hx --health reports a bad languages.toml:" >&2
  echo "$health" >&2
  exit 1
fi
for server_name in execplan-ls marksman; do
  grep -q "$server_name" <<< "$health" || { echo "helix: FAIL: hx --health does not list $server_name:" >&2; echo "$health" >&2; exit 1; }
done
grep -q "✓ execplan-ls" <<< "$health" || { echo "helix: FAIL: execplan-ls is not found on PATH by Helix:" >&2; echo "$health" >&2; exit 1; }
echo "ok - hx --health markdown lists execplan-ls (found) beside marksman, no parse errors"

# 2. Open the plan; the diagnostic's text must show on screen.
session=execplan-e2e-$$
cleanup() { tmux kill-session -t "$session" 2> /dev/null || true; }
trap cleanup EXIT
cd "$workspace"
tmux new-session -d -s "$session" -x 160 -y 40 \
  "env PATH='$PATH' XDG_CONFIG_HOME='$config' HOME='$HOME' TERM=xterm-256color '$hx' -v --log '$workspace/hx.log' .agent/plans/demo.md"
screen=""
for _ in $(seq 1 100); do
  screen=$(tmux capture-pane -p -t "$session" 2> /dev/null || true)
  if grep -q "Missing living section" <<< "$screen"; then
    break
  fi
  sleep 0.2
done
if ! grep -q "Missing living section" <<< "$screen"; then
  echo "helix: FAIL: the EP101 diagnostic never showed on screen. Screen:" >&2
  echo "$screen" >&2
  echo "--- hx.log (last 30 lines)" >&2
  tail -n 30 "$workspace/hx.log" >&2 || true
  exit 1
fi
echo "ok - the EP101 diagnostic (\"Missing living section ...\") shows in Helix"

# 2b. The Progress count and pace show as an inlay hint after the heading.
for _ in $(seq 1 50); do
  screen=$(tmux capture-pane -p -t "$session")
  grep -qE "## Progress +1/2 done · last update .* ago · 1\.0 items/day" <<< "$screen" && break
  sleep 0.2
done
if ! grep -qE "## Progress +1/2 done · last update .* ago · 1\.0 items/day" <<< "$screen"; then
  echo "helix: FAIL: no Progress inlay hint after the Progress heading. Screen:" >&2
  echo "$screen" >&2
  exit 1
fi
echo "ok - the Progress count and pace show as an inlay hint (\"## Progress  1/2 done · ...\")"

# 3. The code action menu on the unchecked item offers "Mark done".
tmux send-keys -t "$session" Escape
sleep 0.2
tmux send-keys -t "$session" / 'Measure the hit' Enter
sleep 0.3
tmux send-keys -t "$session" Space a
menu=""
for _ in $(seq 1 50); do
  menu=$(tmux capture-pane -p -t "$session")
  grep -q "Mark done" <<< "$menu" && break
  sleep 0.2
done
if ! grep -q "Mark done" <<< "$menu"; then
  echo "helix: FAIL: the code action menu on the Progress item has no \"Mark done\". Screen:" >&2
  echo "$menu" >&2
  exit 1
fi
echo "ok - Space a on the Progress item offers \"Mark done\""

# 4. Choosing it (the first entry: no quick fix applies on this line) checks
# and stamps the item in the buffer.
tmux send-keys -t "$session" Enter
for _ in $(seq 1 50); do
  screen=$(tmux capture-pane -p -t "$session")
  grep -qE -- "- \[x\] \([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}Z\) Measure the hit rate" <<< "$screen" && break
  sleep 0.2
done
if ! grep -qE -- "- \[x\] \([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}Z\) Measure the hit rate" <<< "$screen"; then
  echo "helix: FAIL: after \"Mark done\" the item is not checked and stamped. Screen:" >&2
  echo "$screen" >&2
  exit 1
fi
echo "ok - \"Mark done\" checks the item and stamps it"

# 5. The inlay hint follows the edit.
for _ in $(seq 1 50); do
  screen=$(tmux capture-pane -p -t "$session")
  grep -qE "## Progress +2/2 done" <<< "$screen" && break
  sleep 0.2
done
if ! grep -qE "## Progress +2/2 done" <<< "$screen"; then
  echo "helix: FAIL: after \"Mark done\" the Progress inlay hint does not say 2/2 done. Screen:" >&2
  echo "$screen" >&2
  exit 1
fi
echo "ok - the Progress inlay hint follows the edit (2/2 done)"
tmux send-keys -t "$session" Escape ':q!' Enter
echo "helix: all checks passed"
