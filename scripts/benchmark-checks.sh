#!/usr/bin/env bash
# Benchmarks the dataset checks (issue 5): `podium check` on a clean 10M-row, 12-column
# train.csv and a 2M-row test.csv, against the time Podium's table reader takes to read the
# two files (the first two phases of the same run), with the peak memory.
# usage: scripts/benchmark-checks.sh [ROWS]   (default 10000000; needs ~1.2 GB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-10000000}
swift build -c release --product podium >&2
if [ ! -x .venv-bench/bin/python ]; then
  /usr/bin/python3 -m venv .venv-bench && .venv-bench/bin/pip install -q numpy
fi
dir=bench-data/checks-$rows
[ -f "$dir/solution.csv" ] || .venv-bench/bin/python scripts/bench/generate_checks.py "$rows" "$dir"
PODIUM_TRACE=1 /usr/bin/time -v .build/release/podium check "$dir" > /tmp/podium-check-bench.out 2> /tmp/podium-check-bench.err || true
cat /tmp/podium-check-bench.out
/usr/bin/python3 - "$dir" <<'PY'
import os, re, sys
err = open("/tmp/podium-check-bench.err").read()
phases = [(m.group(1), float(m.group(2)) / 1000) for m in re.finditer(r"trace: (.+?) ([0-9.]+) ms", err)]
wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", err)
seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3)))
peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
read = sum(t for name, t in phases if name.startswith("read "))
files = sum(os.path.getsize(os.path.join(sys.argv[1], f)) for f in ("train.csv", "test.csv")) / 2**20
print("| phase | seconds |\n|---|---:|")
for name, t in phases:
    print(f"| {name} | {t:.2f} |")
print(f"| **total (wall)** | **{seconds:.2f}** |")
print(f"\nchecks / reading the files once: {seconds / read:.2f}x (target <= 3x); peak memory {peak:.0f} MB for {files:.0f} MB of CSV (target well under 2 GB)")
PY
