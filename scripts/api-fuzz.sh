#!/usr/bin/env bash
# Property-based tests of the API against its contract (docs/openapi.json) with schemathesis:
# a throwaway course (flight-cancellations, open, with teams; a tiny closed challenge), a student
# and an instructor with tokens and real submissions, a real `podium serve`, then one schemathesis
# run with the student's token and one with the instructor's. Checks: no 5xx, statuses, content
# types, bodies and headers as documented, and (scripts/fuzz_checks.py) that the student's token
# never gets instructor data, another team's submissions or the private board before `closes`.
# After each run the server must still answer /healthz at once. Exit status non-zero on any failure.
#
#   bash scripts/api-fuzz.sh [--budget N]   # N: examples per operation (default 25)
#
# Builds nothing: uses .build/debug/podium or $PODIUM. PODIUM_FUZZ_KEEP=1 keeps the temporary
# folder (home, server log, schemathesis logs and events). schemathesis (pinned) is installed into a
# cached venv (PODIUM_FUZZ_VENV, default ~/.cache/podium-fuzz-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
budget=25
while [ $# -gt 0 ]; do
    case "$1" in
        --budget) budget="$2"; shift 2 ;;
        *) echo "usage: bash scripts/api-fuzz.sh [--budget N]" >&2; exit 2 ;;
    esac
done
podium="${PODIUM:-$PWD/.build/debug/podium}"
[ -x "$podium" ] || { echo "api-fuzz: $podium is missing: run swift build first" >&2; exit 2; }

venv="${PODIUM_FUZZ_VENV:-$HOME/.cache/podium-fuzz-venv}"
if [ ! -x "$venv/bin/schemathesis" ] || [ "$("$venv/bin/schemathesis" --version 2>/dev/null | grep -o '[0-9.]*$')" != 4.32.5 ]; then
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q schemathesis==4.32.5
fi

start_time=$SECONDS
tmp="$(mktemp -d /tmp/podium-api-fuzz.XXXXXX)"
home="$tmp/home"
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    if [ -n "${PODIUM_FUZZ_KEEP:-}" ]; then echo "api-fuzz: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
p() { "$podium" "$@" --home "$home"; }

# The course: flight-cancellations (open until 2027-06-30) with two teams, and a tiny closed
# challenge whose private board every account may read.
cp -r datasets/flight-cancellations "$tmp/flight"
rm -rf "$tmp/flight/bundle" "$tmp/flight/bundle-sklearn" "$tmp/flight/prepare.py"
printf 'member,team\nalice,team-a\nbob,team-a\ncarol,team-b\n' >"$tmp/flight/teams.csv"
p publish "$tmp/flight" >/dev/null
mkdir -p "$tmp/closed"
printf 'id: closed-arena\ntitle: A closed arena\ntask: regression\nmetric: mae\nmetrics: [rmse]\nopens: 2020-01-01T00:00:00Z\ncloses: 2021-01-01T00:00:00Z\n' \
    >"$tmp/closed/challenge.yaml"
{ echo id,x,label; for i in $(seq 1 20); do echo "$((100 + i)),$((i % 7)),$(((i * 13) % 11))"; done; } >"$tmp/closed/train.csv"
{ echo id,x; for i in $(seq 1 20); do echo "$i,$((i % 7))"; done; } >"$tmp/closed/test.csv"
{ echo id,label,Usage; for i in $(seq 1 20); do echo "$i,$i,$([ "$i" -le 10 ] && echo Public || echo Private)"; done; } \
    >"$tmp/closed/solution.csv"
allow=()
for check in target_leak_feature id_order_leak duplicate_rows near_duplicate_rows; do
    allow+=(--allow "$check" --reason "fuzz data")
done
p publish "$tmp/closed" "${allow[@]}" >/dev/null

invite() { p users add "$@" | grep -o 'inv_[A-Za-z0-9_-]*' | head -1; }
alice_code="$(invite alice --display "Alice Example")"
invite bob >/dev/null
invite carol >/dev/null
invite prof --role instructor >/dev/null
invite spare >/dev/null
student="$(p users token alice)"
carol="$(p users token carol)"
bob="$(p users token bob)"
instructor="$(p users token prof)"
spare="$(p users token spare)"

# A high request rate for the fuzzer (the default, 600 a minute per token, is checked below).
"$podium" serve --home "$home" --port 0 --workers 2 --rate-limit 1000000 >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 200); do
    grep -q "listening on" "$tmp/serve.log" 2>/dev/null && break
    sleep 0.1
done
port="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$tmp/serve.log" | grep -o '[0-9]*$' || true)"
[ -n "$port" ] || { cat "$tmp/serve.log" >&2; exit 1; }
base="http://127.0.0.1:$port"

# alice's password (the documented example of POST /tokens), from her invite.
curl -sf -o /dev/null -X POST "$base/invite/$alice_code" \
    --data-urlencode "password=correct horse battery" --data-urlencode "again=correct horse battery"

# Real submissions: alice's (1) and carol's (2) on the open challenge, alice's on the closed one,
# bob's (alice's team) held one.
submit() { # TOKEN CHALLENGE FILE -> the submission id, once final
    local answer id
    answer="$(curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/octet-stream' \
        -H "Podium-File-Name: $(basename "$3")" -H 'Podium-Message: fuzz%20seed' --data-binary @"$3" \
        "$base/api/v1/challenges/$2/submissions")"
    id="$(echo "$answer" | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
    curl -sf -H "Authorization: Bearer $1" "$base/api/v1/submissions/$id?wait=60" >/dev/null
    echo "$id"
}
{ echo id,prediction; for i in $(seq 1 20); do echo "$i,$i.5"; done; } >"$tmp/closed.csv"
ids="$(submit "$student" flight-cancellations datasets/flight-cancellations/baseline.csv)"
ids="$ids,$(submit "$carol" flight-cancellations datasets/flight-cancellations/baseline.csv)"
ids="$ids,$(submit "$student" closed-arena "$tmp/closed.csv")"
# A perfect score (the answer key itself) is held for the instructor: something to clear.
awk -F, 'NR == 1 { print "id,prediction"; next } { print $1 "," $2 }' "$tmp/flight/solution.csv" >"$tmp/perfect.csv"
held="$(submit "$bob" flight-cancellations "$tmp/perfect.csv")"
ids="$ids,$held"
curl -sf -H "Authorization: Bearer $instructor" "$base/api/v1/submissions/$held" | grep -q '"held":true' ||
    { echo "api-fuzz: $held (a perfect score) was not held" >&2; exit 1; }
# The private board's bootstrap intervals are computed once and kept: computed here, so that the
# runs' request timeout measures the API and not a debug build's bootstrap.
curl -sf -o /dev/null -H "Authorization: Bearer $instructor" \
    "$base/api/v1/challenges/flight-cancellations/leaderboard?board=private"
echo "api-fuzz: course ready at $base (submissions $ids) after $((SECONDS - start_time)) s"

healthy() { # the server is alive and answers at once
    kill -0 "$server" 2>/dev/null || { echo "api-fuzz: the server died" >&2; tail -20 "$tmp/serve.log" >&2; return 1; }
    curl -sf --max-time 2 "$base/healthz" >/dev/null || { echo "api-fuzz: /healthz did not answer within 2 s" >&2; return 1; }
}

failures=0
summary=""
run() { # ROLE TOKEN
    local role="$1" token="$2" log="$tmp/schemathesis-$1.log" started=$SECONDS status=0
    FUZZ_ROLE="$role" FUZZ_STUDENT=alice FUZZ_TEAMS='{"flight-cancellations": "team-a", "closed-arena": "alice"}' \
        FUZZ_OPEN=flight-cancellations FUZZ_IDS="$ids" FUZZ_CHALLENGES="flight-cancellations,closed-arena" \
        SCHEMATHESIS_HOOKS=fuzz_checks PYTHONPATH="$PWD/scripts" \
        timeout 150 env -C "$tmp" "$venv/bin/schemathesis" run "$base/api/v1/openapi.json" --url "$base" \
        -H "Authorization: Bearer $token" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,student_sees_no_instructor_data \
        --exclude-operation-id logout \
        --phases examples,coverage,fuzzing --max-examples "$budget" --max-time 45 --request-timeout 20 \
        --workers 1 --seed 1 --no-shrink --suppress-health-check all \
        --report ndjson --report-ndjson-path "$tmp/events-$role.ndjson" >"$log" 2>&1 || status=$?
    local requests
    requests="$("$venv/bin/python" scripts/fuzz_checks.py count "$tmp/events-$role.ndjson")"
    tail -n 25 "$log"
    if [ "$status" != 0 ]; then
        echo "api-fuzz: schemathesis with the $role's token failed (exit $status); the full log:" >&2
        cat "$log" >&2
        failures=$((failures + 1))
    fi
    healthy || failures=$((failures + 1))
    summary="$summary
  $role: $requests requests in $((SECONDS - started)) s, schemathesis exit $status"
}
run student "$student"
run instructor "$instructor"

# DELETE /tokens/current (left out of the runs: it would revoke the fuzzer's own token).
code="$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $spare" "$base/api/v1/tokens/current")"
again="$(curl -s -w ' %{http_code}' -X DELETE -H "Authorization: Bearer $spare" "$base/api/v1/tokens/current")"
if [ "$code" != 204 ] || [[ "$again" != *'"code":"unauthorized"'*' 401' ]]; then
    echo "api-fuzz: DELETE /api/v1/tokens/current answered $code, then $again" >&2
    failures=$((failures + 1))
fi

# The default rate limit is untouched: a server started without --rate-limit says 429 with
# Retry-After after 600 requests a minute from one token.
kill "$server"; wait "$server" 2>/dev/null || true; server=""
"$podium" serve --home "$home" --port "$port" --workers 1 >"$tmp/serve2.log" 2>&1 &
server=$!
for _ in $(seq 1 200); do grep -q "listening on" "$tmp/serve2.log" 2>/dev/null && break; sleep 0.1; done
# The limit counts in fixed one-minute windows: 1,250 requests within a minute put more than 600
# into one window however the burst straddles a window's end.
seq 1 1250 | xargs -P 8 -I{} curl -s -o /dev/null -D - -H "Authorization: Bearer $student" \
    "$base/api/v1/me" >"$tmp/burst.headers"
limited="$(grep -c '^HTTP/[0-9.]* 429' "$tmp/burst.headers" || true)"
retry="$(grep -i -m 1 '^retry-after:' "$tmp/burst.headers" | tr -d '\r' || true)"
if [ "$limited" -lt 1 ] || [ -z "$retry" ]; then
    echo "api-fuzz: the default rate limit did not answer 429 with Retry-After ($limited times 429; '$retry')" >&2
    failures=$((failures + 1))
fi
healthy || failures=$((failures + 1))

echo "api-fuzz: summary (budget $budget examples per operation, $((SECONDS - start_time)) s in all):$summary
  DELETE /tokens/current: $code then ${again##* }; default rate limit: $limited of 1250 requests answered 429 ($retry)"
[ "$failures" = 0 ] || { echo "api-fuzz: $failures failure(s)" >&2; exit 1; }
echo "api-fuzz: ok"
