#!/usr/bin/env bash
# The README demo: build Podium and score the flight-cancellations baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && ! pkg-config --exists libarchive 2>/dev/null; then
  apt-get update && apt-get install -y libarchive-dev libseccomp-dev libsqlite3-dev pkg-config
fi
swift build -c release --product podium >&2
podium=.build/release/podium
challenge=datasets/flight-cancellations

echo "== podium score: the baseline submission"
$podium score --challenge $challenge $challenge/baseline.csv --ci

echo
echo "== the same, as JSON"
$podium score --challenge $challenge $challenge/baseline.csv --json

echo
echo "== a compressed submission is read through libarchive"
tmp=$(mktemp -d)
gzip -c $challenge/baseline.csv > "$tmp/baseline.csv.gz"
$podium score --challenge $challenge "$tmp/baseline.csv.gz" --metric accuracy

echo
echo "== a broken submission is refused with a code, the row and the column"
{ head -n 100 $challenge/baseline.csv; echo "999999999,0.3"; } > "$tmp/broken.csv"
$podium score --challenge $challenge "$tmp/broken.csv" 2>&1 || echo "(exit status $?)"
rm -rf "$tmp"
