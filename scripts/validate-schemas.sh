#!/usr/bin/env bash
# Validates `check --format json` against docs/json-report.schema.json and
# `check --format sarif` against the official SARIF 2.1.0 schema. Installs
# what it needs (the schema from the npm registry, jsonschema from PyPI) into
# the ignored folder .cache/schemas. Fails, never skips, when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=.cache/schemas
mkdir -p "$cache"
if [ ! -f "$cache/sarif-2.1.0.json" ]; then
  # The SARIF project's schema, as shipped inside this npm package.
  (cd "$cache" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null \
    && tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json \
    && mv package/lib/schemas/sarif-2.1.0-rtm.5.json sarif-2.1.0.json \
    && rm -rf package microsoft-jest-sarif-1.0.0-beta.0.tgz)
fi
if [ ! -x "$cache/venv/bin/python" ]; then
  python3 -m venv "$cache/venv"
  "$cache/venv/bin/pip" install --quiet jsonschema
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.git" "$work/.agent/plans"
cat > "$work/.agent/plans/sample.md" <<'PLAN'
# Sample plan

This ExecPlan is a living document.

## Progress

- [x] Done without a stamp.
- [x] (2026-01-05) Date only.

## Plan of work

```sh
cargo test
```
PLAN
printf '# Sample repository\n' > "$work/README.md"
cargo build --quiet --locked -p execplan-ls
bin=$(pwd)/target/debug/execplan-ls
(cd "$work" && "$bin" check --format json --show-skipped > report.json 2>/dev/null || test $? -eq 1)
(cd "$work" && "$bin" check --format sarif > report.sarif 2>/dev/null || test $? -eq 1)
"$cache/venv/bin/python" - "$work/report.json" docs/json-report.schema.json "$work/report.sarif" "$cache/sarif-2.1.0.json" <<'PY'
import json, sys
import jsonschema
report, schema, sarif, sarif_schema = (json.load(open(p)) for p in sys.argv[1:5])
assert report["files"] and report["files"][0]["diagnostics"], "the sample produced no findings"
assert report["skipped"], "the README was not listed as skipped"
jsonschema.validate(report, schema)
jsonschema.validate(sarif, sarif_schema)
print(f"schemas: the JSON report and the SARIF log are valid ({len(report['files'][0]['diagnostics'])} findings)")
PY
