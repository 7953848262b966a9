#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/, a package of their own, with -sanitize=fuzzer,address)
# and runs each for SECONDS (default 60) from a copy of its committed seed corpus
# (Fuzz/Corpus/<target>/, which therefore never grows). A crash, a sanitizer report, a
# timeout or a disagreement between two readers keeps its reproducer and log in
# Fuzz/Findings/<target>/; the script then exits 1 once every target has run.
# Replay one: Fuzz/.build/debug/<target> Fuzz/Findings/<target>/crash-…
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"
seconds=${1:-60}
# debug builds in half the time of release (which runs about 2.5 times as many inputs a second).
configuration=${FUZZ_CONFIGURATION:-debug}
targets=(fuzz-csv-table fuzz-csv-solution fuzz-csv-predictions fuzz-csv-ranking fuzz-number fuzz-challenge-yaml fuzz-bundle-yaml fuzz-archive)
flags=(-c "$configuration" -Xswiftc -sanitize=fuzzer,address)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
if ! swift build "${flags[@]}" > "$work/build.log" 2>&1; then
  grep -v "Cannot export local symbol" "$work/build.log" | tail -40 >&2
  exit 1
fi
echo "fuzz: built ($configuration) in $(( $(date +%s) - start )) s"
bin=$(swift build "${flags[@]}" --show-bin-path)
# Leaks are not reported: the Swift runtime's caches and EscapedIds' interned ids live for the
# whole process on purpose (growth would still hit -rss_limit_mb).
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t" "Findings/$t"
  cp Corpus/"$t"/* "$work/$t/"
  dict=()
  [[ $t == fuzz-csv-* ]] && dict=(-dict=Corpus/csv.dict)
  if "$bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=0 -print_final_stats=1 "${dict[@]}" \
      -artifact_prefix="Findings/$t/" "$work/$t" > "$work/$t.log" 2>&1; then
    result=ok
  else
    result=FAILED
    failed=$((failed + 1))
    cp "$work/$t.log" "Findings/$t/last.log"
    grep -E "FUZZ FAILURE|ERROR:|SUMMARY|Test unit written" "$work/$t.log" | head -8 >&2 || true
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
  echo "fuzz: $t: ${runs:-0} executions in $seconds s: $result"
  rmdir "Findings/$t" 2>/dev/null || true
done
rmdir Findings 2>/dev/null || true
echo "fuzz: $(( ${#targets[@]} - failed )) passed, $failed failed"
[ "$failed" = 0 ]
