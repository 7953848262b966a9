#!/usr/bin/env bash
# Several scoring machines on one PostgreSQL (DESIGN §8), with failures. A private PostgreSQL 15
# (scripts/pg-cluster.sh), `podium serve --store … --workers 0` answering the API, W worker
# processes (`podium worker`, one slot each, each with its own cache folder: they share only the
# database). Students upload N prediction files and B model bundles (scripts/bench/scale.py);
# meanwhile one worker is killed with SIGKILL in the middle of a bundle (another worker finishes
# it once its lease expires) and PostgreSQL is stopped for 10 s (the server answers 503, the
# workers wait, both recover). Then the store is checked: every accepted submission scored,
# exactly once, none lost, none twice. Then (unless --quick) the throughput of re-scoring the
# N prediction files of a second challenge with 1, 2 and 3 workers, and the queue's claim cost.
# usage: scripts/scale-test.sh [--files N] [--bundles B] [--workers W] [--quick] [--debug]
set -euo pipefail
cd "$(dirname "$0")/.."
files=2000 bundles=100 workers=3 config=release throughput=1 lease=10
while [ $# -gt 0 ]; do
  case "$1" in
    --files) files=$2; shift 2 ;;
    --bundles) bundles=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --quick) files=150 bundles=8 throughput=0; shift ;;
    --debug) config=debug; shift ;;
    *) echo "usage: $0 [--files N] [--bundles B] [--workers W] [--quick] [--debug]" >&2; exit 2 ;;
  esac
done
swift build -c "$config" --product podium >&2
swift build -c "$config" --product podium-launcher >&2
podium="$PWD/.build/$config/podium"
work=$(mktemp -d /tmp/podium-scale.XXXXXX)
chmod 755 "$work"
pids=()
server=""
cleanup() {
  for p in "${pids[@]}" $server; do { kill -9 "$p" && wait "$p"; } 2>/dev/null || true; done
  scripts/pg-cluster.sh stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "scale-test: $*" >&2; }

url=$(scripts/pg-cluster.sh start "$work/pg" | tail -1)
export PODIUM_STORE="$url"
psql() { /usr/lib/postgresql/15/bin/psql -h "$work/pg/socket" -U podium -d podium -tAq -c "$1"; }

# Two copies of the flight challenge with room for everyone's uploads: A takes files and
# bundles, B (the throughput runs) prediction files only.
for id in scale-a scale-b; do
  mkdir -p "$work/$id"
  cp datasets/flight-cancellations/{challenge.yaml,train.csv,test.csv,solution.csv,README.md} "$work/$id/"
  sed -i -e "s/^id: .*/id: $id/" -e 's/per_day: .*/per_day: 100000/' -e 's/total: .*/total: 100000/' \
    -e 's/cpu_seconds: .*/cpu_seconds: 30/' -e 's/wall_seconds: .*/wall_seconds: 60/' "$work/$id/challenge.yaml"
  "$podium" publish "$work/$id" --home "$work/publisher" >/dev/null 2>&1
done
students=40
{ echo "name,display"; for i in $(seq -w 1 $students); do echo "s$i,Student $i"; done; } >"$work/roster.csv"
"$podium" users import "$work/roster.csv" --home "$work/publisher" --invites "$work/invites.csv" >/dev/null
for i in $(seq -w 1 $students); do
  echo "$("$podium" users token "s$i" --home "$work/publisher" 2>/dev/null)"
done >"$work/tokens"

# Twenty different prediction files (the baseline with noise) and a bundle that works about a
# second of CPU before writing the baseline's predictions.
/usr/bin/python3 - "$work" <<'PY'
import random, sys
work = sys.argv[1]
lines = open("datasets/flight-cancellations/baseline.csv").read().splitlines()
for v in range(20):
    rng = random.Random(v)
    out = [lines[0]]
    for line in lines[1:]:
        i, p = line.rsplit(",", 1)
        out.append(f"{i},{min(1.0, max(0.0, float(p) + rng.gauss(0, 0.02 * v))):.6f}")
    open(f"{work}/pred{v}.csv", "w").write("\n".join(out) + "\n")
PY
mkdir -p "$work/bundle"
cp datasets/flight-cancellations/baseline.csv "$work/bundle/predictions.csv"
echo "run: python3 predict.py" >"$work/bundle/bundle.yaml"
cat >"$work/bundle/predict.py" <<'PY'
import os, shutil, time
start = time.process_time()
while time.process_time() - start < 1.0:
    sum(range(10000))
shutil.copy("predictions.csv", os.environ["PODIUM_OUTPUT"])
PY
tar -czf "$work/bundle.tar.gz" -C "$work/bundle" .
/usr/bin/python3 - "$work" "$files" "$bundles" <<'PY'
import sys
work, files, bundles = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tokens = open(f"{work}/tokens").read().split()
jobs, b = [], 0
for i in range(files):
    jobs.append(f"{tokens[i % len(tokens)]} {work}/pred{i % 20}.csv u{i:05d}.csv")
    # The bundles spread through the run.
    if b < bundles and i % max(1, files // bundles) == 0:
        jobs.append(f"{tokens[b % len(tokens)]} {work}/bundle.tar.gz b{b:04d}.tar.gz")
        b += 1
while b < bundles:
    jobs.append(f"{tokens[b % len(tokens)]} {work}/bundle.tar.gz b{b:04d}.tar.gz")
    b += 1
open(f"{work}/jobs-a", "w").write("\n".join(jobs) + "\n")
open(f"{work}/jobs-b", "w").write(
    "\n".join(f"{tokens[i % len(tokens)]} {work}/pred{i % 20}.csv v{i:05d}.csv" for i in range(files)) + "\n")
PY

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$podium" serve --store "$url" --home "$work/server-cache" --workers 0 --port "$port" --rate-limit 1000000 \
  >>"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
declare -A worker_pid
start_worker() {
  "$podium" worker --store "$url" --slots 1 --name "$1" --home "$work/cache-$1" --lease "$lease" \
    >>"$work/$1.log" 2>&1 &
  worker_pid[$1]=$!
  pids+=($!)
}
# A worker stops within a minute of SIGTERM (one stuck on a dead connection would not).
stop_workers() {
  for name in "${!worker_pid[@]}"; do kill -TERM "${worker_pid[$name]}" 2>/dev/null || true; done
  for name in "${!worker_pid[@]}"; do
    for _ in $(seq 1 600); do kill -0 "${worker_pid[$name]}" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "${worker_pid[$name]}" 2>/dev/null; then
      say "FAILED: worker $name did not stop within 60 s of SIGTERM: $(tail -3 "$work/$name.log")"
      exit 1
    fi
    wait "${worker_pid[$name]}" 2>/dev/null || true
  done
  worker_pid=()
}
drained() { [ "$(psql "SELECT count(*) FROM submission WHERE status IN ('queued','running')")" = 0 ]; }
wait_drained() {
  for _ in $(seq 1 "$1"); do drained && return 0; sleep 1; done
  say "the queue did not drain: $(psql "SELECT status, count(*) FROM submission GROUP BY status")"
  exit 1
}

for k in $(seq 1 "$workers"); do start_worker "w$k"; done
t0=$(date +%s.%N)
/usr/bin/python3 scripts/bench/scale.py --base "http://127.0.0.1:$port" --challenge scale-a --jobs "$work/jobs-a" \
  >"$work/upload-a.json" &
uploader=$!

# Failure 1: SIGKILL the worker running a bundle.
killed=""
for _ in $(seq 1 600); do
  row=$(psql "SELECT id || ' ' || lease_owner FROM submission WHERE challenge = 'scale-a' AND status = 'running'
              AND file_name LIKE '%.tar.gz' LIMIT 1")
  if [ -n "$row" ]; then
    killed=${row%% *}
    victim=$(echo "$row" | sed -E 's/.* worker-(w[0-9]+)-.*/\1/')
    { kill -9 "${worker_pid[$victim]}" && wait "${worker_pid[$victim]}"; } 2>/dev/null || true
    unset "worker_pid[$victim]"
    say "killed worker $victim (SIGKILL) in the middle of bundle submission $killed"
    start_worker "w$((workers + 1))"
    break
  fi
  sleep 0.1
done
[ -n "$killed" ] || { say "no bundle was ever running"; exit 1; }

# Failure 2: PostgreSQL stopped for 10 s while uploads and evaluations go on.
sleep 2
scripts/pg-cluster.sh pause "$work/pg"
say "PostgreSQL stopped"
sleep 10
scripts/pg-cluster.sh resume "$work/pg"
say "PostgreSQL started again"

wait "$uploader"
wait_drained 1800
t1=$(date +%s.%N)
total=$((files + bundles))
accepted=$(/usr/bin/python3 -c "import json; d=json.load(open('$work/upload-a.json')); print(d['unique'], len(d['accepted']), d['retries'], len(d['refused']))")
read -r unique answers retries refused <<<"$accepted"
rows=$(psql "SELECT count(*) FROM submission WHERE challenge = 'scale-a'")
scored=$(psql "SELECT count(*) FROM submission WHERE challenge = 'scale-a' AND status = 'scored'")
scores=$(psql "SELECT count(*) FROM score WHERE challenge = 'scale-a' AND version = 1")
twice=$(psql "SELECT count(*) FROM (SELECT file_name FROM submission WHERE challenge = 'scale-a' GROUP BY file_name HAVING count(*) > 1) d")
killed_row=$(psql "SELECT status || ' after ' || attempts || ' claims' FROM submission WHERE challenge = 'scale-a' AND id = $killed")
say "uploads: $unique accepted ($answers answers, $retries retries, $refused refused) of $total in $(/usr/bin/python3 -c "print(round($t1 - $t0, 1))") s"
say "store: $rows submissions, $scored scored, $scores score rows, $twice files accepted twice; killed bundle: $killed_row"
ok=1
[ "$unique" = "$total" ] && [ "$answers" = "$total" ] || ok=0
[ "$rows" = "$total" ] && [ "$scored" = "$total" ] && [ "$scores" = "$total" ] && [ "$twice" = 0 ] || ok=0
case "$killed_row" in scored*) ;; *) ok=0 ;; esac
if [ "$ok" != 1 ]; then say "FAILED: a submission was lost, refused or scored twice"; exit 1; fi
say "every submission scored exactly once"

if [ "$throughput" = 1 ]; then
  /usr/bin/python3 scripts/bench/scale.py --base "http://127.0.0.1:$port" --challenge scale-b --jobs "$work/jobs-b" \
    >"$work/upload-b.json"
  wait_drained 1800
  stop_workers
  for n in 1 2 3; do
    sed -i "s/^title: .*/title: Re-score run $n/" "$work/scale-b/challenge.yaml"
    "$podium" publish "$work/scale-b" --force --home "$work/publisher" >/dev/null 2>&1
    for k in $(seq 1 "$n"); do start_worker "r$n-$k"; done
    sleep 1
    s0=$(date +%s.%N)
    "$podium" rescore scale-b --jobs 0 --home "$work/publisher" >/dev/null 2>&1
    s1=$(date +%s.%N)
    stop_workers
    /usr/bin/python3 -c "
s = $s1 - $s0
print(f'scale-test: re-score of $files files with $n workers: {s:.1f} s, {$files / s * 60:.0f} jobs/min, {s / $files * 1000 * $n:.1f} ms per job per worker')" >&2
    grep -h "stopped:" "$work"/r$n-*.log | sed 's/^/scale-test:   /' >&2
  done
fi
stop_workers
grep -h "stopped:" "$work"/w*.log 2>/dev/null | sed 's/^/scale-test: /' >&2 || true
{ kill -TERM "$server" && wait "$server"; } 2>/dev/null || true
server=""
