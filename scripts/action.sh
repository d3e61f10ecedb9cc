#!/usr/bin/env bash
# The GitHub Action's step (action.yml): installs execplan-ls into a virtual
# environment of its own and runs `execplan-ls check --format github` in the
# current folder, so findings become annotations. Reads its inputs from the
# environment, as the Action passes them:
#   INPUT_VERSION  `latest`, a PyPI version, `local` (build this checkout) or a wheel file
#   INPUT_PATHS    plan files, folders or globs, separated by spaces or lines (default: the repository)
#   INPUT_FAIL_ON  error, warning, info or hint (default: error)
#   INPUT_SUMMARY  `true` (default): append `report --format markdown` to $GITHUB_STEP_SUMMARY when set
# Exits as `check` does: 0 clean, 1 findings at or above INPUT_FAIL_ON, 2 a usage or I/O problem.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
version=${INPUT_VERSION:-latest}
fail_on=${INPUT_FAIL_ON:-error}
case $fail_on in
  error | warning | info | hint) ;;
  *) echo "::error title=execplan-ls::fail-on must be error, warning, info or hint, not \`$fail_on\`"; exit 2 ;;
esac

case $version in
  latest) spec=execplan-ls ;;
  local) spec=$here ;;
  *.whl) spec=$version ;;
  [0-9]*) spec="execplan-ls==$version" ;;
  *) echo "::error title=execplan-ls::version must be \`latest\`, a version such as 0.1.0, \`local\` or a wheel file, not \`$version\`"; exit 2 ;;
esac
venv=${EXECPLAN_ACTION_VENV:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/execplan-ls-action}
if ! [ -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
echo "::group::Install execplan-ls ($version)"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade "$spec"
"$venv/bin/execplan-ls" --version
echo "::endgroup::"

# Paths are split on spaces and lines but not expanded by the shell: check
# reads globs itself.
set -f
# shellcheck disable=SC2086
set -- ${INPUT_PATHS:-}
set +f
status=0
"$venv/bin/execplan-ls" check --format github --fail-on "$fail_on" "$@" || status=$?
if [ "${INPUT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  "$venv/bin/execplan-ls" report --format markdown "$@" >> "$GITHUB_STEP_SUMMARY" \
    || echo "::warning title=execplan-ls::could not write the plans overview to the job summary"
fi
exit "$status"
