#!/usr/bin/env python3
"""A class at the deadline, against a live `podium serve` on loopback (standard library only).

N students each: read the challenge list, upload a predictions file, follow it with the
long-poll until it is final, read the public board. Optionally the server is killed (-9) and
restarted K times during the run (by the caller, scripts/load-test.sh, through --kill-file):
clients retry what failed, and a POST whose answer was lost is looked up in the student's own
list before it is sent again (never a double submission).

Prints one JSON object: counts, accept/score/board latencies (median, p95, max), 5xx count.
"""
import argparse
import concurrent.futures
import json
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request


def call(base, method, path, token, body=None, headers=None, timeout=90):
    request = urllib.request.Request(base + path, data=body, method=method)
    request.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def pct(values, q):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 4)


def summary(values):
    return {"n": len(values), "median": round(statistics.median(values), 4) if values else None,
            "p95": pct(values, 0.95), "max": round(max(values), 4) if values else None}


def student(base, name, token, challenge, payload, stats, lock, deadline):
    def retrying(fn):
        while time.time() < deadline:
            try:
                return fn()
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                with lock:
                    stats["retries"] += 1
                time.sleep(0.5)
        raise TimeoutError("gave up")

    def note(status):
        if status >= 500:
            with lock:
                stats["5xx"] += 1

    status, _ = retrying(lambda: call(base, "GET", "/api/v1/challenges", token))
    note(status)
    # Upload, once: when the answer is lost, the student's list says whether it arrived.
    sid = None
    while sid is None and time.time() < deadline:
        t0 = time.time()
        try:
            status, body = call(base, "POST", f"/api/v1/challenges/{challenge}/submissions", token, payload,
                                {"Content-Type": "application/octet-stream", "Podium-File-Name": f"{name}.csv"})
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            with lock:
                stats["retries"] += 1
            time.sleep(0.5)
            try:
                status, body = call(base, "GET", f"/api/v1/challenges/{challenge}/submissions", token)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                continue
            if status == 200 and json.loads(body):
                sid = f"{challenge}-{json.loads(body)[0]['id']}"
                with lock:
                    stats["found_after_lost_answer"] += 1
            continue
        note(status)
        if status == 202:
            sid = json.loads(body)["id"]
            with lock:
                stats["accept_seconds"].append(time.time() - t0)
                stats["accepted"] += 1
        else:
            with lock:
                stats["refused"].append(status)
            return
    t1 = time.time()
    final = None
    while final is None and time.time() < deadline:
        try:
            status, body = call(base, "GET", f"/api/v1/submissions/{sid}?wait=30", token)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            with lock:
                stats["retries"] += 1
            time.sleep(0.5)
            continue
        note(status)
        if status == 200 and json.loads(body)["status"] in ("scored", "rejected", "failed"):
            final = json.loads(body)["status"]
    with lock:
        stats["score_seconds"].append(time.time() - t1)
        stats["final"][final or "timeout"] = stats["final"].get(final or "timeout", 0) + 1
    t2 = time.time()
    status, _ = retrying(lambda: call(base, "GET", f"/api/v1/challenges/{challenge}/leaderboard", token))
    note(status)
    with lock:
        stats["board_seconds"].append(time.time() - t2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--tokens", required=True, help="a file of lines NAME TOKEN")
    parser.add_argument("--challenge", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args()
    people = [line.split() for line in open(args.tokens) if line.strip()]
    payload = open(args.file, "rb").read()
    stats = {"accepted": 0, "refused": [], "retries": 0, "5xx": 0, "found_after_lost_answer": 0, "final": {},
             "accept_seconds": [], "score_seconds": [], "board_seconds": []}
    lock = threading.Lock()
    deadline = time.time() + args.seconds
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(people)) as pool:
        futures = [pool.submit(student, args.base, n, t, args.challenge, payload, stats, lock, deadline)
                   for n, t in people]
        for f in futures:
            f.result()
    out = {"students": len(people), "wall_seconds": round(time.time() - start, 2), "accepted": stats["accepted"],
           "found_after_lost_answer": stats["found_after_lost_answer"], "refused": stats["refused"],
           "final": stats["final"], "retries": stats["retries"], "http_5xx": stats["5xx"],
           "accept_seconds": summary(stats["accept_seconds"]), "score_seconds": summary(stats["score_seconds"]),
           "board_seconds": summary(stats["board_seconds"])}
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
