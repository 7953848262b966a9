#!/usr/bin/env python3
"""Baseline: polars. NDCG@10 (trec_eval: gain = relevance, ties by item id descending) and P@10."""
import json
import sys

import polars as pl

folder, submission = sys.argv[1], sys.argv[2]
sol = pl.read_csv(f"{folder}/solution.csv")
sub = pl.read_csv(submission)
top = (
    sub.sort(["query_id", "score", "item_id"], descending=[False, True, True])
    .with_columns(rank=pl.col("score").cum_count().over("query_id"))
    .filter(pl.col("rank") <= 10)
    .join(sol.select("query_id", "item_id", "relevance"), on=["query_id", "item_id"], how="left")
    .with_columns(pl.col("relevance").fill_null(0))
)
dcg = top.group_by("query_id").agg(
    dcg=(pl.col("relevance") / (pl.col("rank") + 1).log(2)).sum(),
    hits=(pl.col("relevance") >= 1).sum(),
)
ideal = (
    sol.sort(["query_id", "relevance"], descending=[False, True])
    .with_columns(rank=pl.col("relevance").cum_count().over("query_id"))
    .filter(pl.col("rank") <= 10)
    .group_by("query_id")
    .agg(idcg=(pl.col("relevance") / (pl.col("rank") + 1).log(2)).sum(), Usage=pl.col("Usage").first())
)
per_query = ideal.join(dcg, on="query_id", how="left").with_columns(
    ndcg=pl.when(pl.col("idcg") > 0).then(pl.col("dcg").fill_null(0) / pl.col("idcg")).otherwise(0.0),
    p10=pl.col("hits").fill_null(0) / 10,
)
out = {}
for row in per_query.group_by("Usage").agg(pl.col("ndcg").mean(), pl.col("p10").mean()).iter_rows(named=True):
    out[row["Usage"].lower()] = {"ndcg@10": row["ndcg"], "precision@10": row["p10"]}
print(json.dumps(out))
