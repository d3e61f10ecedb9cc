#!/usr/bin/env bash
# `execplan-ls check` side by side with `rumdl check` on 1,000 real-sized
# plans (issue 17): cold (no cache on either side) and unchanged (each
# tool's cache warm), wall time, CPU (user + system) and peak resident
# memory, the median of 5 runs each, the two tools alternating, and the
# ratio ours / rumdl's. docs/performance.md describes the method.
#
#   scripts/bench/check-vs-rumdl.sh [PLANS_DIR]
#
# The plans: those in PLANS_DIR when given (every *.md below it), else the
# plans /work/shared/devcorpus/MANIFEST.tsv (or ../shared/devcorpus beside
# the checkout) lists, else generated ones; copied round-robin to 1,000
# files under .agent/plans/ of a git repository in the ignored
# .cache/bench/check-repo, at run time only. RUNS and PLANS change the
# counts; RUMDL is rumdl's binary (scripts/bench/rumdl.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
runs=${RUNS:-5}
count=${PLANS:-1000}
rumdl=${RUMDL:-$(scripts/bench/rumdl.sh)}

if ! [ -x /usr/bin/time ]; then
  echo "installing GNU time (apt)" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq time >&2
fi

# The sources, one path a line.
sources=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -f "$sources"; rm -rf "$tmp"' EXIT
origin=""
if [ $# -ge 1 ]; then
  find "$1" -type f -name '*.md' | sort >"$sources"
  origin="$1"
else
  corpus=""
  for c in /work/shared/devcorpus ../shared/devcorpus; do
    [ -f "$c/MANIFEST.tsv" ] && corpus=$c && break
  done
  if [ -n "$corpus" ]; then
    # MANIFEST.tsv: repo, commit, path, bytes, kind, note; owner/name is
    # stored as owner__name.
    awk -F'\t' -v root="$corpus" 'NR > 1 && $5 == "plan" {
        repo = $1; gsub("/", "__", repo); print root "/" repo "/" $3 }' \
      "$corpus/MANIFEST.tsv" | while read -r f; do [ -f "$f" ] && echo "$f"; done >"$sources"
    origin="$corpus (MANIFEST.tsv)"
  fi
fi

repo=.cache/bench/check-repo
rm -rf "$repo"
mkdir -p "$repo/.agent/plans"
if [ -s "$sources" ]; then
  mapfile -t files <"$sources"
  for ((i = 0; i < count; i++)); do
    f=${files[$((i % ${#files[@]}))]}
    cp "$f" "$repo/.agent/plans/$(printf '%04d' "$i")-$(basename "$f")"
  done
else
  origin="generated"
  for ((i = 0; i < count; i++)); do
    {
      echo "# Plan $i: make the thing faster"
      echo
      echo "This ExecPlan is a living document. The sections Progress, Surprises & Discoveries, Decision Log, and Outcomes & Retrospective must be kept up to date as work proceeds."
      echo
      for s in "Purpose / Big Picture" "Progress" "Surprises & Discoveries" "Decision Log" \
        "Outcomes & Retrospective" "Context and Orientation" "Plan of Work" "Concrete Steps" \
        "Validation and Acceptance" "Idempotence and Recovery" "Artifacts and Notes" \
        "Interfaces and Dependencies"; do
        echo "## $s"
        echo
        if [ "$s" = Progress ]; then
          for j in $(seq 1 30); do
            echo "- [x] (2025-10-0$((j % 9 + 1)) 1$((j % 10)):00Z) Step $j of the work in \`src/module_$j.rs\` is done."
          done
          echo "- [ ] Step 31 remains."
        else
          for j in $(seq 1 12); do
            echo "Paragraph $j of $s says what the reader needs, naming \`src/lib.rs\` and how to run \`cargo test\`, in plain words that a newcomer can follow without any other document."
            echo
          done
        fi
        echo
      done
    } >"$repo/.agent/plans/$(printf '%04d' "$i")-generated.md"
  done
fi
(
  cd "$repo"
  git init -q
  git add -A
  git -c user.name=bench -c user.email=bench@example.invalid commit -q -m "1,000 plans"
)
bytes=$(du -sb "$repo/.agent/plans" | cut -f1)

cargo build --release -q -p execplan-ls
ours=${CARGO_TARGET_DIR:-$top/target}/release/execplan-ls

# One measurement: "wall cpu peak_kb" of a command run in the repository.
# GNU time writes "Command exited with non-zero status 1" first when the
# tool found something, which is not a failure of the measurement.
measure() {
  (cd "$repo" && /usr/bin/time -o "$tmp/one" -f '%e %U %S %M' "$@" >/dev/null 2>&1) || true
  tail -1 "$tmp/one" | awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }'
}

# Median of column $2 over the lines of file $1.
median() { cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "plans: $count files, $((bytes / 1024 / 1024)) MB, from $origin"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# Cold: neither tool reads or writes a cache.
for ((r = 0; r < runs; r++)); do
  measure "$ours" check --no-cache --format json >>"$tmp/ours-cold"
  measure "$rumdl" check --no-config --no-cache .agent/plans >>"$tmp/rumdl-cold"
done
# Unchanged: each tool's cache warmed by one run first, then nothing changes.
rm -rf "$repo/.cache" "$repo/.rumdl_cache"
(cd "$repo" && "$ours" check --format json >/dev/null 2>&1 || true)
(cd "$repo" && "$rumdl" check --no-config .agent/plans >/dev/null 2>&1 || true)
for ((r = 0; r < runs; r++)); do
  measure "$ours" check --format json >>"$tmp/ours-warm"
  measure "$rumdl" check --no-config .agent/plans >>"$tmp/rumdl-warm"
done

echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-22s %10s %10s %10s\n' "median of $runs" "wall s" "CPU s" "peak MB"
row() {
  printf '%-22s %10s %10s %10.1f\n' "$1" "$(median "$2" 1)" "$(median "$2" 2)" \
    "$(awk -v k="$(median "$2" 3)" 'BEGIN { print k / 1024 }')"
}
ratio() {
  printf '%-22s %10.2f %10.2f %10.2f\n' "$1" \
    "$(awk -v a="$(median "$2" 1)" -v b="$(median "$3" 1)" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
    "$(awk -v a="$(median "$2" 2)" -v b="$(median "$3" 2)" 'BEGIN { print (b > 0 ? a / b : 0) }')" \
    "$(awk -v a="$(median "$2" 3)" -v b="$(median "$3" 3)" 'BEGIN { print (b > 0 ? a / b : 0) }')"
}
row "execplan-ls cold" "$tmp/ours-cold"
row "rumdl --no-cache" "$tmp/rumdl-cold"
ratio "ratio cold" "$tmp/ours-cold" "$tmp/rumdl-cold"
row "execplan-ls unchanged" "$tmp/ours-warm"
row "rumdl cached" "$tmp/rumdl-warm"
ratio "ratio unchanged" "$tmp/ours-warm" "$tmp/rumdl-warm"
