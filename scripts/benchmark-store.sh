#!/usr/bin/env bash
# Boards from PostgreSQL against SQLite at 500 teams x 40 submissions (issue 13: within 2x),
# on a private PostgreSQL 15 started and stopped here (scripts/pg-cluster.sh).
# usage: scripts/benchmark-store.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product podium >&2
work=$(mktemp -d /tmp/podium-store-bench.XXXXXX)
chmod 755 "$work"
trap 'bash scripts/pg-cluster.sh stop "$work/pg"; rm -rf "$work"' EXIT
url=$(bash scripts/pg-cluster.sh start "$work/pg" | tail -1)
/usr/bin/python3 scripts/bench/store.py "$PWD/.build/release/podium" "$work/bench" "$url" "$@"
