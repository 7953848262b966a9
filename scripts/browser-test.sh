#!/usr/bin/env bash
# The web pages in a real browser (headless Chromium through Selenium): sign in, open the
# challenge, submit datasets/flight-cancellations/baseline.csv through the form, watch the status
# page turn "scored" by itself, find the team on the leaderboard, and fail on any console CSP
# violation. Screenshots (desktop and 390 px wide) go to a temporary folder, printed at the end.
#
# Builds nothing: uses .build/debug/podium (run `swift build` first). Needs Debian's chromium and
# chromium-driver (apt-get install -y chromium chromium-driver) and python3; Selenium is installed
# into a cached venv (PODIUM_BROWSER_VENV, default ~/.cache/podium-browser-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
podium="$PWD/.build/debug/podium"
[ -x "$podium" ] || { echo "browser-test: $podium is missing: run swift build first" >&2; exit 2; }
command -v chromium >/dev/null && command -v chromedriver >/dev/null || {
    echo "browser-test: needs chromium and chromedriver (apt-get install -y chromium chromium-driver)" >&2; exit 2; }

venv="${PODIUM_BROWSER_VENV:-$HOME/.cache/podium-browser-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q selenium==4.51.0
fi

tmp="$(mktemp -d /tmp/podium-browser.XXXXXX)"
home="$tmp/home"
server=""
cleanup() { if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; }
trap cleanup EXIT

"$podium" publish datasets/flight-cancellations --home "$home" >/dev/null 2>&1
invite() { "$podium" users add "$@" --home "$home" | grep -o 'inv_[A-Za-z0-9_-]*' | head -1; }
alice_code="$(invite alice --display "Alice Example")"
prof_code="$(invite prof --role instructor --display "Prof. Example")"

"$podium" serve --home "$home" --port 0 --workers 1 >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$tmp/serve.log" 2>/dev/null && break
    sleep 0.1
done
port="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$tmp/serve.log" | grep -o '[0-9]*$')"
[ -n "$port" ] || { cat "$tmp/serve.log" >&2; exit 1; }

mkdir -p "$tmp/shots"
BASE_URL="http://127.0.0.1:$port" ALICE_INVITE="$alice_code" PROF_INVITE="$prof_code" \
    SUBMISSION="$PWD/datasets/flight-cancellations/baseline.csv" SHOTS="$tmp/shots" \
    "$venv/bin/python" tests/browser/test_pages.py
echo "browser-test: screenshots in $tmp/shots"
