#!/usr/bin/env bash
# Benchmarks `podium score` against pandas + scikit-learn, polars and pytrec_eval in one run.
# usage: scripts/benchmark.sh [--quick] [--runs N] [--check]
# The Python side goes into .venv-bench (pip); data is generated into bench-data/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-bench/bin/python ]; then
  /usr/bin/python3 -m venv .venv-bench 2>/dev/null || { apt-get install -y python3-venv && /usr/bin/python3 -m venv .venv-bench; }
  .venv-bench/bin/pip install -q numpy pandas scikit-learn polars pytrec_eval-terrier
fi
swift build -c release --product podium >&2
.venv-bench/bin/python scripts/bench/run.py "$PWD/.build/release/podium" bench-data "$@"
