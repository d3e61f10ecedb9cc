# Shared by the editor end-to-end tests: the server binary and a fresh
# workspace holding the demo plan. Source it from the repository root.

# The server under test: $EXECPLAN_LS, else a debug build of this checkout.
if [ -n "${EXECPLAN_LS:-}" ]; then
  server=$EXECPLAN_LS
else
  cargo build -q --locked --bin execplan-ls
  server=$PWD/target/debug/execplan-ls
fi
[ -x "$server" ] || { echo "no server binary at $server" >&2; exit 1; }

# new_workspace NAME: a git repository in a temporary folder with the demo
# plan at .agent/plans/demo.md; prints its path.
new_workspace() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/execplan-e2e-$1.XXXXXX")
  mkdir -p "$dir/.git" "$dir/.agent/plans" "$dir/home"
  cp editors/tests/fixtures/demo-plan.md "$dir/.agent/plans/demo.md"
  echo "$dir"
}
