#!/usr/bin/env python3
"""Baseline: polars. Read both files, join on id, AUC (Mann–Whitney with average ranks) and F1 per split."""
import json
import sys

import polars as pl

folder, submission = sys.argv[1], sys.argv[2]
sol = pl.read_csv(f"{folder}/solution.csv")
sub = pl.read_csv(submission)
df = sol.join(sub, on="id", how="left")
stats = (
    df.with_columns(pl.col("prediction").rank("average").over("Usage").alias("r"))
    .group_by("Usage")
    .agg(
        pos=(pl.col("label") == 1).sum(),
        neg=(pl.col("label") == 0).sum(),
        rank_sum=pl.col("r").filter(pl.col("label") == 1).sum(),
        tp=((pl.col("label") == 1) & (pl.col("prediction") >= 0.5)).sum(),
        fp=((pl.col("label") == 0) & (pl.col("prediction") >= 0.5)).sum(),
        fn=((pl.col("label") == 1) & (pl.col("prediction") < 0.5)).sum(),
    )
)
out = {}
for row in stats.iter_rows(named=True):
    auc = (row["rank_sum"] - row["pos"] * (row["pos"] + 1) / 2) / (row["pos"] * row["neg"])
    f1 = 2 * row["tp"] / (2 * row["tp"] + row["fp"] + row["fn"])
    out[row["Usage"].lower()] = {"auc": auc, "f1": f1}
print(json.dumps(out))
