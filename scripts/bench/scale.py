#!/usr/bin/env python3
"""Uploads many submissions to a live `podium serve` (standard library only), for
scripts/scale-test.sh: each (student, file) pair is sent once; a refusal of the server's side
(5xx: the store is away) or a lost connection is retried after a pause, and a lost answer is
looked up in the student's own list before the file is sent again, so that no file is ever
accepted twice. Prints one JSON object: accepted ids, retries, seconds.
"""
import argparse
import concurrent.futures
import json
import sys
import threading
import time
import urllib.error
import urllib.request


def call(base, method, path, token, body=None, headers=None, timeout=120):
    request = urllib.request.Request(base + path, data=body, method=method)
    request.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--challenge", required=True)
    p.add_argument("--jobs", required=True, help="lines: TOKEN FILE NAME")
    p.add_argument("--threads", type=int, default=12)
    p.add_argument("--seconds", type=float, default=1800)
    a = p.parse_args()
    jobs = [line.split() for line in open(a.jobs) if line.strip()]
    lock = threading.Lock()
    out = {"accepted": [], "retries": 0, "refused": [], "found_after_lost_answer": 0}
    deadline = time.time() + a.seconds
    payloads = {}
    for _, path, _ in jobs:
        if path not in payloads:
            payloads[path] = open(path, "rb").read()

    def one(job):
        token, path, name = job
        while time.time() < deadline:
            try:
                status, body = call(a.base, "POST", f"/api/v1/challenges/{a.challenge}/submissions", token,
                                    payloads[path],
                                    {"Content-Type": "application/octet-stream", "Podium-File-Name": name})
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                status, body = None, b""
            if status == 202:
                with lock:
                    out["accepted"].append(json.loads(body)["id"])
                return
            if status is not None and status < 500 and status != 429:
                with lock:
                    out["refused"].append([status, body.decode()[:200]])
                return
            with lock:
                out["retries"] += 1
            time.sleep(1 if status == 429 else 0.5)
            if status is None or status >= 500:
                # The answer was lost or a failure: was the file accepted? (its name is unique)
                try:
                    s, listing = call(a.base, "GET", f"/api/v1/challenges/{a.challenge}/submissions", token)
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    continue
                if s == 200:
                    mine = [row for row in json.loads(listing) if row.get("file") == name]
                    if mine:
                        with lock:
                            out["accepted"].append(f"{a.challenge}-{mine[0]['id']}")
                            out["found_after_lost_answer"] += 1
                        return
        with lock:
            out["refused"].append(["timeout", name])

    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(a.threads) as pool:
        list(pool.map(one, jobs))
    out["seconds"] = round(time.time() - start, 2)
    out["unique"] = len(set(out["accepted"]))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
