#!/usr/bin/env python3
"""Leaderboard benchmarks (issue 3's targets), against the real `podium` binary:

1. `podium submit` of a 1M-row predictions file against `podium score` of the same file.
2. `podium leaderboard` over 500 participants x 40 submissions, every format.
3. `podium rescore` of N stored 100k-row submissions, --jobs 2 against --jobs 1.

usage: leaderboard.py PODIUM WORKDIR [--rescore-count N]
Submissions for (2) and (3) are inserted straight into the challenge's SQLite database (the
files they name are stored through `podium submit` first), since submitting 20,000 files one
by one would measure nothing new.
"""
import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time


def timed(cmd, env=None):
    start = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if res.returncode not in (0,):
        sys.exit(f"failed ({res.returncode}): {' '.join(cmd)}\n{res.stdout}\n{res.stderr}")
    return elapsed, res.stdout


def make_binary_challenge(folder, n, seed):
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed)
    labels = [1 if rng.random() < 0.1 else 0 for _ in range(n)]
    with open(f"{folder}/solution.csv", "w") as f:
        f.write("id,label,Usage\n")
        for i, y in enumerate(labels):
            f.write(f"{i},{y},{'Public' if i % 3 == 0 else 'Private'}\n")
    with open(f"{folder}/test.csv", "w") as f:
        f.write("id,x\n")
        for i in range(n):
            f.write(f"{i},{i % 97}\n")
    with open(f"{folder}/train.csv", "w") as f:
        # A small honest training set (the leakage checks run on publish).
        f.write("id,x,label\n")
        for i in range(2000):
            f.write(f"t{i},{rng.randrange(97)},{1 if rng.random() < 0.1 else 0}\n")
    with open(f"{folder}/challenge.yaml", "w") as f:
        f.write(f"id: {os.path.basename(folder)}\ntask: binary\nmetric: auc\nmetrics: [f1]\n"
                "submissions:\n  per_day: 100000\n")
    return labels


def predictions(path, labels, seed):
    rng = random.Random(seed)
    with open(path, "w") as f:
        f.write("id,prediction\n")
        for i, y in enumerate(labels):
            f.write(f"{i},{min(1.0, max(0.0, rng.gauss(0.3 + 0.2 * y, 0.2)))!r}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("podium")
    ap.add_argument("work")
    ap.add_argument("--rescore-count", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    podium, work = args.podium, os.path.abspath(args.work)
    home = f"{work}/home"
    subprocess.run(["rm", "-rf", home])
    env = dict(os.environ, PODIUM_HOME=home)
    rows = []

    # 1. submit against score, 1M rows.
    folder = f"{work}/submit-1m"
    labels = make_binary_challenge(folder, 1_000_000, 1)
    sub = f"{work}/submit-1m.csv"
    predictions(sub, labels, 2)
    timed([podium, "publish", folder], env)
    timed([podium, "score", "--challenge", folder, sub, "--json"], env)  # warm the cache
    score_t = statistics.median(timed([podium, "score", "--challenge", folder, sub, "--json"], env)[0] for _ in range(args.runs))
    submit_t = statistics.median(
        timed([podium, "submit", "submit-1m", sub, "--as", f"p{k}", "--json"], env)[0] for k in range(args.runs))
    rows.append(("podium score, 1M rows", score_t, ""))
    rows.append(("podium submit, 1M rows", submit_t, f"{submit_t / score_t:.2f}x score (target <= 1.3x)"))

    # 2. leaderboard over 500 participants x 40 submissions.
    folder = f"{work}/board"
    labels = make_binary_challenge(folder, 1000, 3)
    sub = f"{work}/board.csv"
    predictions(sub, labels, 4)
    timed([podium, "publish", folder], env)
    timed([podium, "submit", "board", sub, "--as", "seed"], env)
    db = sqlite3.connect(f"{home}/board/podium.sqlite")
    sha = db.execute("SELECT fileSha256 FROM submission").fetchone()[0]
    rng = random.Random(5)
    with db:
        for p in range(500):
            for k in range(40):
                t = f"2026-11-{1 + k % 28:02d}T{p % 24:02d}:{k % 60:02d}:00.000Z"
                cur = db.execute(
                    "INSERT INTO submission (participant, team, fileSha256, fileName, submittedAt, day, late, status, version, selected)"
                    " VALUES (?, ?, ?, 'x.csv', ?, ?, 0, 'scored', 1, 0)", (f"p{p}", f"p{p}", sha, t, t[:10]))
                db.execute("INSERT INTO score VALUES (?, 1, 'scored', ?, ?, '{}', ?)",
                           (cur.lastrowid, rng.random(), rng.random(), t))
    db.close()
    for fmt in ("table", "csv", "json", "markdown", "html"):
        timed([podium, "leaderboard", "board", "--format", fmt], env)
        t = statistics.median(timed([podium, "leaderboard", "board", "--format", fmt], env)[0] for _ in range(args.runs))
        rows.append((f"podium leaderboard, 500 x 40, {fmt}", t, "target < 50 ms"))

    # 3. rescore N stored 100k-row submissions.
    folder = f"{work}/rescore"
    labels = make_binary_challenge(folder, 100_000, 6)
    timed([podium, "publish", folder], env)
    files = []
    for k in range(20):
        path = f"{work}/rescore-{k}.csv"
        predictions(path, labels, 100 + k)
        timed([podium, "submit", "rescore", path, "--as", f"s{k}"], env)
        files.append(path)
    db = sqlite3.connect(f"{home}/rescore/podium.sqlite")
    shas = [r[0] for r in db.execute("SELECT fileSha256 FROM submission")]
    with db:
        for i in range(args.rescore_count - len(shas)):
            db.execute(
                "INSERT INTO submission (participant, team, fileSha256, fileName, submittedAt, day, late, status, version, selected)"
                " VALUES (?, ?, ?, 'x.csv', '2026-11-02T00:00:00.000Z', '2026-11-02', 0, 'received', 1, 0)",
                (f"r{i % 300}", f"r{i % 300}", shas[i % len(shas)]))
    db.close()
    results = {}
    for jobs in (1, 2):
        db = sqlite3.connect(f"{home}/rescore/podium.sqlite")
        with db:
            db.execute("DELETE FROM score")
        db.close()
        t, out = timed([podium, "rescore", "rescore", "--jobs", str(jobs), "--json"], env)
        summary = json.loads(out)
        results[jobs] = summary["scored"] / t
        rows.append((f"podium rescore --jobs {jobs}, {summary['pending']} x 100k rows", t, f"{results[jobs]:.1f} submissions/s"))
    rows.append(("rescore throughput, --jobs 2 / --jobs 1", results[2] / results[1], "target >= 1.7"))

    print("| measurement | value | note |")
    print("|---|---:|---|")
    for name, value, note in rows:
        shown = f"{value:.3f} s" if "throughput" not in name else f"{value:.2f}x"
        print(f"| {name} | {shown} | {note} |")


if __name__ == "__main__":
    main()
