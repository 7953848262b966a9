#!/usr/bin/env bash
# A class at the deadline, with failures: N students (default 200) each upload a predictions
# file of the flight-cancellations challenge (55,403 rows) to a live `podium serve` on loopback,
# wait for the score and read the board, while the server is killed with SIGKILL K times
# (default 3) and restarted. Then checks the store: every accepted submission is scored, once.
# Prints the load client's figures (scripts/bench/load.py) and the verdict; exit 1 on a loss.
# usage: scripts/load-test.sh [--students N] [--kills K] [--workers W] [--debug]
set -euo pipefail
cd "$(dirname "$0")/.."
students=200 kills=3 workers="" config=release
while [ $# -gt 0 ]; do
  case "$1" in
    --students) students=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --workers) workers="--workers $2"; shift 2 ;;
    --debug) config=debug; shift ;;
    *) echo "usage: $0 [--students N] [--kills K] [--workers W] [--debug]" >&2; exit 2 ;;
  esac
done
swift build -c "$config" --product podium >&2
swift build -c "$config" --product podium-launcher >&2
podium="$PWD/.build/$config/podium"
work=$(mktemp -d /tmp/podium-load.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill -9 "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
home="$work/home"
"$podium" publish datasets/flight-cancellations --home "$home" >/dev/null
{ echo "name,display"; for i in $(seq -w 1 "$students"); do echo "s$i,Student $i"; done; } >"$work/roster.csv"
"$podium" users import "$work/roster.csv" --home "$home" --invites "$work/invites.csv" >/dev/null
for i in $(seq -w 1 "$students"); do echo "s$i $("$podium" users token "s$i" --home "$home" 2>/dev/null)"; done >"$work/tokens"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start() {
  # shellcheck disable=SC2086
  "$podium" serve --home "$home" --port "$port" $workers --rate-limit 100000 >>"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "the server did not start: $(tail -5 "$work/serve.log")" >&2
  exit 1
}

start
/usr/bin/python3 scripts/bench/load.py --base "http://127.0.0.1:$port" --tokens "$work/tokens" \
  --challenge flight-cancellations --file datasets/flight-cancellations/baseline.csv --seconds 900 \
  >"$work/result.json" &
client=$!
for k in $(seq 1 "$kills"); do
  sleep "$(/usr/bin/python3 -c 'import random; print(round(random.uniform(0.3, 1.0), 2))')"
  kill -9 "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  echo "kill -9 number $k" >&2
  start
done
wait "$client"
kill -TERM "$server"
wait "$server" 2>/dev/null || true
server=""
cat "$work/result.json"
db="$home/flight-cancellations/podium.sqlite"
rows=$(sqlite3 "$db" "SELECT COUNT(*) FROM submission")
scored=$(sqlite3 "$db" "SELECT COUNT(*) FROM submission WHERE status = 'scored'")
doubles=$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT submissionId FROM score GROUP BY submissionId, version HAVING COUNT(*) > 1)")
scores=$(sqlite3 "$db" "SELECT COUNT(*) FROM score")
per_student=$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT participant FROM submission GROUP BY participant HAVING COUNT(*) > 1)")
echo "store: $rows submissions, $scored scored, $scores score rows, $doubles doubled scores, $per_student students with two rows"
if [ "$rows" = "$students" ] && [ "$scored" = "$students" ] && [ "$scores" = "$students" ] && [ "$doubles" = 0 ]; then
  echo "verdict: every accepted submission scored exactly once"
else
  echo "verdict: LOSS OR DUPLICATE" >&2
  exit 1
fi
