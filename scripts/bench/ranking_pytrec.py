#!/usr/bin/env python3
"""Baseline: pytrec_eval (trec_eval's C code). Reads both files with the csv module, NDCG@10 and
P@10 per split (queries of the split; a query without a submitted row scores 0)."""
import csv
import json
import sys
from collections import defaultdict

import pytrec_eval

folder, submission = sys.argv[1], sys.argv[2]
qrels, usage = defaultdict(dict), {}
with open(f"{folder}/solution.csv", newline="") as f:
    for row in csv.DictReader(f):
        qrels[row["query_id"]][row["item_id"]] = int(row["relevance"])
        usage[row["query_id"]] = row["Usage"]
run = defaultdict(dict)
with open(submission, newline="") as f:
    for row in csv.DictReader(f):
        run[row["query_id"]][row["item_id"]] = float(row["score"])
per_query = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "P.10"}).evaluate(run)
out = {}
for split in ("Public", "Private"):
    qs = [q for q in qrels if usage[q] == split]
    out[split.lower()] = {
        "ndcg@10": sum(per_query.get(q, {}).get("ndcg_cut_10", 0.0) for q in qs) / len(qs),
        "precision@10": sum(per_query.get(q, {}).get("P_10", 0.0) for q in qs) / len(qs),
    }
print(json.dumps(out))
