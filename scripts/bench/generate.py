#!/usr/bin/env python3
"""Generates benchmark data: binary `id,prediction` / `id,label,Usage` files of N rows, and
long-form ranking data (Q queries × I items, 20 judged items per query).

usage: generate.py binary N OUTDIR [--ids sequential|int|uuid] [--shuffle]
       generate.py ranking Q I OUTDIR [--shuffle]

Binary ids: `sequential` is 0..N-1, `int` distinct random integers below 10^12, `uuid` random
UUID strings; the solution lists them in that order. `--shuffle` writes the submission in
another random order. Every variant holds the same (label, score, Usage) rows, so every case
scores the same. Ranking `--shuffle` writes the submission's rows in random order (queries
not grouped).
"""
import argparse
import os

import numpy as np
import polars as pl


def uuids(rng, n):
    """n random UUID-shaped strings (8-4-4-4-12 lowercase hex)."""
    hexdigits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    nibbles = rng.integers(0, 16, size=(n, 32), dtype=np.uint8)
    text = np.full((n, 36), ord("-"), dtype=np.uint8)
    at = [c for c in range(36) if c not in (8, 13, 18, 23)]
    text[:, at] = hexdigits[nibbles]
    return pl.Series("id", text.view("S36").ravel()).cast(pl.String)


def binary(n, out, ids, shuffle):
    rng = np.random.default_rng(1)
    labels = (rng.random(n) < 0.1).astype(np.int8)
    scores = np.clip(rng.normal(0.3 + 0.25 * labels, 0.2), 0, 1)
    usage = np.where(rng.random(n) < 0.3, "Public", "Private")
    order_rng = np.random.default_rng(7)
    if ids == "sequential":
        id_col = pl.Series("id", np.arange(n))
    elif ids == "int":
        pool = np.unique(order_rng.integers(0, 10**12, size=n + n // 50 + 100))
        id_col = pl.Series("id", order_rng.permutation(pool)[:n])
    else:
        id_col = uuids(order_rng, n)
    os.makedirs(out, exist_ok=True)
    pl.DataFrame({"id": id_col, "label": labels, "Usage": usage}).write_csv(f"{out}/solution.csv")
    sub = pl.DataFrame({"id": id_col, "prediction": scores})
    if shuffle:
        sub = sub[order_rng.permutation(n)]
    sub.write_csv(f"{out}/submission.csv")
    with open(f"{out}/challenge.yaml", "w") as f:
        f.write("id: bench-binary\ntask: binary\nmetric: auc\nmetrics: [f1]\n")


def ranking(q, items, out, shuffle):
    rng = np.random.default_rng(2)
    qids = np.repeat(np.array([f"q{k}" for k in range(q)]), items)
    iids = np.tile(np.array([f"i{k}" for k in range(items)]), q)
    scores = rng.random(q * items).round(6)
    os.makedirs(out, exist_ok=True)
    sub = pl.DataFrame({"query_id": qids, "item_id": iids, "score": scores})
    if shuffle:
        sub = sub[np.random.default_rng(7).permutation(q * items)]
    sub.write_csv(f"{out}/submission.csv")
    judged = 20
    jq = np.repeat(np.array([f"q{k}" for k in range(q)]), judged)
    ji = np.concatenate([rng.choice(items, judged, replace=False) for _ in range(q)])
    rel = rng.choice([0, 0, 1, 2, 3], q * judged)
    usage = np.repeat(np.where(rng.random(q) < 0.5, "Public", "Private"), judged)
    pl.DataFrame({"query_id": jq, "item_id": [f"i{k}" for k in ji], "relevance": rel, "Usage": usage}).write_csv(
        f"{out}/solution.csv")
    with open(f"{out}/challenge.yaml", "w") as f:
        f.write("id: bench-ranking\ntask: ranking\nmetric: ndcg@10\nmetrics: [precision@10]\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["binary", "ranking"])
    ap.add_argument("sizes", type=int, nargs="+")
    ap.add_argument("out")
    ap.add_argument("--ids", choices=["sequential", "int", "uuid"], default="sequential")
    ap.add_argument("--shuffle", action="store_true")
    a = ap.parse_args()
    if a.task == "binary":
        binary(a.sizes[0], a.out, a.ids, a.shuffle)
    else:
        ranking(a.sizes[0], a.sizes[1], a.out, a.shuffle)
