#!/usr/bin/env bash
# The README demo: build Podium, set up the bundle runtime and the two challenges built from
# installed packages, score the flight-cancellations baseline, run a leaderboard with students
# (a broken file, a late one, model bundles, a hostile bundle), run the leakage checks on the
# course's four challenges and on a leaky variant, then publish them and score their
# baselines — one through a sandboxed scikit-learn bundle; then serve it to a class over HTTP, and
# move it into PostgreSQL with a worker scoring beside the server; back it up, restore it, read the
# audit trail; try the example bundles of the runtimes for real models.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && ! { pkg-config --exists libarchive && pkg-config --exists libcrypto && [ -e /usr/include/sqlite3.h ] \
    && [ -d /usr/share/datasets/fashion-mnist ] && /usr/bin/python3 -c 'import ensurepip' && command -v curl \
    && [ -x /usr/lib/postgresql/15/bin/initdb ] ; } >/dev/null 2>&1; then
  apt-get update && apt-get install -y libarchive-dev libseccomp-dev libsqlite3-dev libssl-dev pkg-config python3-venv dataset-fashion-mnist curl postgresql
fi
swift build -c release --product podium >&2
swift build -c release --product podium-launcher --static-swift-stdlib >&2
bash scripts/setup.sh
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

echo
echo "== a leaderboard: publish the challenge into a fresh home, let seven students submit"
export PODIUM_HOME="$tmp/home"
$podium publish $challenge
# bob's model: the baseline with some noise; carol's file is broken; dave submits after the close;
# frank submits a model bundle, mallory a hostile one.
awk -F, 'NR==1{print;next}{srand(NR); p=$2+(rand()-0.5)*0.02; if(p<0)p=0; print $1","p}' $challenge/baseline.csv > "$tmp/bob.csv"
awk -F, 'NR==1{print;next}{print $1","1-$2}' $challenge/baseline.csv > "$tmp/erin.csv"
$podium submit flight-cancellations $challenge/baseline.csv --as alice --message "carrier x origin rate"
$podium submit flight-cancellations "$tmp/bob.csv" --as bob
$podium submit flight-cancellations "$tmp/erin.csv" --as erin
$podium submit flight-cancellations "$tmp/broken.csv" --as carol 2>&1 || echo "(exit status $?: refused, recorded, and not counted against carol's limit)"
PODIUM_NOW=2027-07-01T12:00:00Z $podium submit flight-cancellations $challenge/baseline.csv --as dave || true

echo
echo "== a model bundle (predict.py + model.json) runs in the sandbox; a hostile one is stopped"
tar -czf "$tmp/model.tar.gz" -C $challenge/bundle bundle.yaml predict.py model.json
$podium submit flight-cancellations "$tmp/model.tar.gz" --as frank --message "bundle: rates x visibility"
mkdir -p "$tmp/evil"
printf 'run: python3 predict.py\n' > "$tmp/evil/bundle.yaml"
cat > "$tmp/evil/predict.py" <<'PY'
import os
# Look for the answer key, then try to take the machine down.
print([f for d, _, fs in os.walk("/") if not d.startswith("/proc") for f in fs if f == "solution.csv"])
while True:
    os.fork()
PY
tar -czf "$tmp/evil.tar.gz" -C "$tmp/evil" .
$podium submit flight-cancellations "$tmp/evil.tar.gz" --as mallory 2>&1 || echo "(exit status $?)"
echo
$podium submissions flight-cancellations
echo
$podium leaderboard flight-cancellations
echo
echo "== the private leaderboard (instructors can look before the close with --reveal)"
$podium leaderboard flight-cancellations --private --reveal
$podium leaderboard flight-cancellations --private --reveal --format html --output "$tmp/leaderboard.html"
cp "$tmp/leaderboard.html" ./leaderboard-demo.html
echo "the HTML page (board, score over time, public vs private) is in ./leaderboard-demo.html"

echo
echo "== the leakage checks: the four challenges, and a leaky variant of the flight data"
for name in flight-cancellations fashion-images review-sentiment movie-recommendations; do
  $podium check datasets/$name
done
.venv-prepare/bin/python $challenge/prepare.py --leaky "$tmp/leaky-flight"
$podium check "$tmp/leaky-flight" || echo "(exit status $?: publish would refuse it without --allow and a reason)"

echo
echo "== the course's four challenges: publish the other three (each passes the leakage checks)"
for name in fashion-images review-sentiment movie-recommendations; do
  $podium publish datasets/$name
done
echo
echo "== baselines and a few students"
# fashion-images: the logistic-regression probabilities, and the same kind of model as a
# pickled scikit-learn bundle scored inside the sandbox (numpy, pandas, scikit-learn from
# sandbox/runtimes/tabular/venv, bound read-only).
$podium submit fashion-images datasets/fashion-images/baseline.csv --as alice --message "logistic regression, probabilities"
tar -czf "$tmp/fashion.tar.gz" -C datasets/fashion-images/bundle bundle.yaml predict.py model.pkl
$podium submit fashion-images "$tmp/fashion.tar.gz" --as frank --message "pickled scikit-learn pipeline, run in the sandbox"
tar -czf "$tmp/flight-sklearn.tar.gz" -C $challenge/bundle-sklearn bundle.yaml predict.py model.pkl
$podium submit flight-cancellations "$tmp/flight-sklearn.tar.gz" --as grace --message "gradient boosting bundle"
# review-sentiment: TF-IDF + logistic regression; bob cuts every score to a hard label at 0.6.
$podium submit review-sentiment datasets/review-sentiment/baseline.csv --as alice --message "tf-idf + logistic regression"
awk -F, 'NR==1{print;next}{print $1","($2>=0.6?1:0)}' datasets/review-sentiment/baseline.csv > "$tmp/review-bob.csv"
$podium submit review-sentiment "$tmp/review-bob.csv" --as bob --message "hard labels at 0.6"
# movie-recommendations: the most-liked films; bob reverses each list.
$podium submit movie-recommendations datasets/movie-recommendations/baseline.csv --as alice --message "most liked, unseen"
awk -F, 'NR==1{print;next}{n=split($2,a," "); s=a[n]; for(i=n-1;i>=1;i--) s=s" "a[i]; print $1","s}' datasets/movie-recommendations/baseline.csv > "$tmp/movies-bob.csv"
$podium submit movie-recommendations "$tmp/movies-bob.csv" --as bob --message "same films, reversed"
for name in flight-cancellations fashion-images review-sentiment movie-recommendations; do
  echo
  $podium leaderboard $name
done

echo
echo "== podium serve: the same course for a class, over HTTP (accounts, a queue, workers, web pages)"
$podium users add helen --display "Helen (remote)" >/dev/null
$podium users add prof --role instructor >/dev/null
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$podium serve --port "$port" >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
head -1 "$tmp/serve.log"
# A student on her laptop: the remote command line (PODIUM_SERVER and PODIUM_TOKEN, or `podium login`).
remote() { PODIUM_SERVER="http://127.0.0.1:$port" PODIUM_TOKEN="$1" "${@:2}"; }
helen=$($podium users token helen 2>/dev/null)
remote "$helen" $podium challenges
remote "$helen" $podium download flight-cancellations -o "$tmp/helen"
remote "$helen" $podium submit flight-cancellations "$tmp/bob.csv" -m "from my laptop"
remote "$helen" $podium leaderboard flight-cancellations
echo "(an instructor reads the private board and the check report the same way)"
prof=$($podium users token prof 2>/dev/null)
remote "$prof" $podium leaderboard flight-cancellations --private | head -5
curl -fsS "http://127.0.0.1:$port/metrics" | grep -E '^podium_(queue_depth|submissions\{)'
kill -TERM "$server"
wait "$server" 2>/dev/null || true

echo
echo "== More than one machine: the course moved into PostgreSQL, a worker scoring beside the server"
# A private PostgreSQL 15 (Debian's postgresql), stopped at the end.
pg=$(mktemp -d /tmp/podium-demo-pg.XXXXXX)
trap 'bash scripts/pg-cluster.sh stop "$pg" >/dev/null 2>&1 || true; rm -rf "$pg"' EXIT
store=$(bash scripts/pg-cluster.sh start "$pg" | tail -1)
$podium migrate --from "${PODIUM_HOME:-./leaderboards}" --to "$store"
$podium leaderboard flight-cancellations --store "$store" --home "$tmp/cache-board" | head -4
$podium serve --store "$store" --home "$tmp/cache-server" --port "$port" --workers 0 >"$tmp/serve2.log" 2>&1 &
server=$!
$podium worker --store "$store" --home "$tmp/cache-worker" --slots 1 --name scorer-1 >"$tmp/worker.log" 2>&1 &
worker=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
head -1 "$tmp/serve2.log"
remote "$helen" $podium submit flight-cancellations "$tmp/bob.csv" -m "scored by the worker"
kill -TERM "$worker" "$server"
wait "$worker" "$server" 2>/dev/null || true
grep -E 'evaluating|scored in|stopped' "$tmp/worker.log" | sed 's/^[^ ]* /worker: /'
bash scripts/pg-cluster.sh stop "$pg"
trap - EXIT

echo
echo "== Running a term safely: a backup (every file hashed), a verified restore, the audit trail"
$podium backup "$tmp/backup"
$podium restore "$tmp/backup" --home "$tmp/restored"
$podium audit flight-cancellations --limit 6

echo
echo "== Real models: example bundles on their runtimes, tried as a submission would run (nothing recorded)"
$podium bundle test datasets/flight-cancellations/bundle-lightgbm --challenge datasets/flight-cancellations
$podium bundle test datasets/fashion-images/bundle-keras --challenge datasets/fashion-images
rm -rf "$tmp" "$pg"
