#!/usr/bin/env python3
"""Boards from PostgreSQL against boards from SQLite, at 500 teams x 40 submissions (issue 13's
target: within 2x). Builds the board challenge of scripts/bench/leaderboard.py in a new home
(rows inserted into its SQLite database), copies it into PostgreSQL with `podium migrate`, then
times the same reads from both stores in the same run:

- `podium leaderboard board` (json; public, and private --reveal --no-ties): whole processes;
- `GET /api/v1/challenges/board/leaderboard` (public and private) from `podium serve --home` and
  from `podium serve --store` on loopback, as an instructor, after one warm-up request.

usage: store.py PODIUM WORKDIR STORE_URL [--runs N]
Prints one table (medians) and the PostgreSQL/SQLite ratios.
"""
import argparse
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from leaderboard import make_binary_challenge, predictions, timed  # noqa: E402


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(podium, args):
    port = free_port()
    process = subprocess.Popen([podium, "serve", "--port", str(port), "--rate-limit", "1000000"] + args,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("the server did not start")


def get(port, path, token):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    request.add_header("Authorization", "Bearer " + token)
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as reply:
        reply.read()
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("podium")
    ap.add_argument("work")
    ap.add_argument("store")
    ap.add_argument("--runs", type=int, default=15)
    a = ap.parse_args()
    work = os.path.abspath(a.work)
    home = f"{work}/home"
    subprocess.run(["rm", "-rf", work])
    os.makedirs(work)
    env = dict(os.environ, PODIUM_HOME=home)
    env.pop("PODIUM_STORE", None)
    folder = f"{work}/board"
    labels = make_binary_challenge(folder, 1000, 3)
    sub = f"{work}/board.csv"
    predictions(sub, labels, 4)
    timed([a.podium, "publish", folder], env)
    timed([a.podium, "submit", "board", sub, "--as", "seed"], env)
    db = sqlite3.connect(f"{home}/board/podium.sqlite")
    sha = db.execute("SELECT fileSha256 FROM submission").fetchone()[0]
    rng = random.Random(5)
    with db:
        for p in range(500):
            for k in range(40):
                t = f"2026-11-{1 + k % 28:02d}T{p % 24:02d}:{k % 60:02d}:00.000Z"
                cur = db.execute(
                    "INSERT INTO submission (participant, team, fileSha256, fileName, submittedAt, day, late, status,"
                    " version, selected) VALUES (?, ?, ?, 'x.csv', ?, ?, 0, 'scored', 1, 0)",
                    (f"p{p}", f"p{p}", sha, t, t[:10]))
                db.execute("INSERT INTO score VALUES (?, 1, 'scored', ?, ?, '{}', ?)",
                           (cur.lastrowid, rng.random(), rng.random(), t))
    db.close()
    timed([a.podium, "users", "add", "prof", "--role", "instructor"], env)
    token = timed([a.podium, "users", "token", "prof"], env)[1].strip()
    moved = timed([a.podium, "migrate", "--from", home, "--to", a.store], env)[0]

    stores = {"SQLite": ["--home", home], "PostgreSQL": ["--store", a.store, "--home", f"{work}/cache"]}
    rows = []
    for name, extra in [("public", []), ("private", ["--private", "--reveal", "--no-ties"])]:
        medians = {}
        for store, args in stores.items():
            cmd = [a.podium, "leaderboard", "board", "--json"] + extra + args
            timed(cmd, env)
            medians[store] = statistics.median(timed(cmd, env)[0] for _ in range(a.runs))
        rows.append((f"podium leaderboard, {name}, json (a process)", medians))
    for name, path in [("public", "/api/v1/challenges/board/leaderboard"),
                       ("private", "/api/v1/challenges/board/leaderboard?board=private")]:
        medians = {}
        for store, args in stores.items():
            process, port = serve(a.podium, args)
            try:
                get(port, path, token)
                medians[store] = statistics.median(get(port, path, token) for _ in range(a.runs))
            finally:
                process.terminate()
                process.wait()
        rows.append((f"GET {name} board (API)", medians))
    print(f"500 teams x 40 submissions (20,001 rows); migrate took {moved:.1f} s; medians of {a.runs}")
    print(f"{'read':48} {'SQLite':>9} {'PostgreSQL':>11} {'ratio':>6}")
    for label, m in rows:
        print(f"{label:48} {m['SQLite']:8.3f}s {m['PostgreSQL']:10.3f}s {m['PostgreSQL'] / m['SQLite']:5.2f}x")


if __name__ == "__main__":
    main()
