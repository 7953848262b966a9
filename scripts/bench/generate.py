#!/usr/bin/env python3
"""Generates benchmark data: binary `id,prediction` / `id,label,Usage` files of N rows, and
long-form ranking data (Q queries × I items, 20 judged items per query).

usage: generate.py binary N OUTDIR | generate.py ranking Q I OUTDIR
"""
import os
import sys

import numpy as np
import polars as pl


def binary(n, out):
    rng = np.random.default_rng(1)
    labels = (rng.random(n) < 0.1).astype(np.int8)
    scores = np.clip(rng.normal(0.3 + 0.25 * labels, 0.2), 0, 1)
    usage = np.where(rng.random(n) < 0.3, "Public", "Private")
    ids = np.arange(n)
    os.makedirs(out, exist_ok=True)
    pl.DataFrame({"id": ids, "label": labels, "Usage": usage}).write_csv(f"{out}/solution.csv")
    pl.DataFrame({"id": ids, "prediction": scores}).write_csv(f"{out}/submission.csv")
    with open(f"{out}/challenge.yaml", "w") as f:
        f.write("id: bench-binary\ntask: binary\nmetric: auc\nmetrics: [f1]\n")


def ranking(q, items, out):
    rng = np.random.default_rng(2)
    qids = np.repeat(np.array([f"q{k}" for k in range(q)]), items)
    iids = np.tile(np.array([f"i{k}" for k in range(items)]), q)
    scores = rng.random(q * items).round(6)
    os.makedirs(out, exist_ok=True)
    pl.DataFrame({"query_id": qids, "item_id": iids, "score": scores}).write_csv(f"{out}/submission.csv")
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
    if sys.argv[1] == "binary":
        binary(int(sys.argv[2]), sys.argv[3])
    else:
        ranking(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
