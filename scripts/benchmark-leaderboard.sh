#!/usr/bin/env bash
# Benchmarks the leaderboard side: submit vs score (1M rows), leaderboard over 500 x 40
# submissions in every format, rescore of 2,000 stored 100k-row submissions with --jobs 1 and 2.
# usage: scripts/benchmark-leaderboard.sh [--rescore-count N] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product podium >&2
/usr/bin/python3 scripts/bench/leaderboard.py "$PWD/.build/release/podium" bench-data/leaderboard "$@"
