"""Trains the LightGBM example bundle: gradient-boosted trees on the schedule, carrier, airports,
day of the week and weather, with carrier, origin and destination as pandas categories (LightGBM's own
categorical splits). Saved with booster.save_model to model.txt — plain text, which also records
the category lists, so predict.py needs no pickle. Run it with the `tabular` runtime's Python
(sandbox/runtimes/tabular: LightGBM 4.7.0). Deterministic (fixed seed, deterministic=True).

Writes expected_scores.json: the model's scores on the hidden labels by scikit-learn.

usage: sandbox/runtimes/tabular/venv/bin/python datasets/flight-cancellations/bundle-lightgbm/train_model.py
"""
import json
import os

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, f1_score, log_loss, roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.dirname(HERE)
CATEGORIES = ["carrier", "origin", "dest"]
NUMBERS = ["sched_dep_time", "sched_arr_time", "distance", "hour", "temp", "dewp", "humid", "wind_dir",
           "wind_speed", "wind_gust", "precip", "pressure", "visib"]
THRESHOLD = 0.1  # challenge.yaml
# Chosen on January–August against September–October (validation AUC 0.8625).
PARAMS = {"objective": "binary", "learning_rate": 0.03, "num_leaves": 15, "min_child_samples": 200,
          "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
          "cat_smooth": 20, "seed": 0, "deterministic": True, "force_row_wise": True, "num_threads": 2,
          "verbose": -1}
ROUNDS = 200


def features(frame):
    """The columns the model reads, and the day of the week (predict.py has the same function)."""
    x = frame[CATEGORIES + NUMBERS].copy()
    x["weekday"] = pd.to_datetime(frame["timestamp"]).dt.day_of_week
    for c in CATEGORIES:
        x[c] = x[c].astype("category")
    return x


def main():
    train = pd.read_csv(f"{FOLDER}/train.csv")
    x = features(train)
    for c in CATEGORIES:  # sorted category lists, recorded in model.txt
        x[c] = x[c].cat.set_categories(sorted(x[c].cat.categories))
    booster = lgb.train(PARAMS, lgb.Dataset(x, train["label"]), ROUNDS)
    booster.save_model(f"{HERE}/model.txt")

    # Scores by scikit-learn on the hidden labels, with the model read back as predict.py does.
    booster = lgb.Booster(model_file=f"{HERE}/model.txt")
    test = pd.read_csv(f"{FOLDER}/test.csv")
    solution = pd.read_csv(f"{FOLDER}/solution.csv").set_index("id").loc[test["id"]]
    p = booster.predict(features(test))
    expected = {}
    for split in ("Public", "Private"):
        rows = (solution["Usage"] == split).to_numpy()
        y, s = solution["label"].to_numpy()[rows], p[rows]
        expected[split.lower()] = {
            "auc": roc_auc_score(y, s),
            "f1": f1_score(y, (s >= THRESHOLD).astype(int), zero_division=0),
            "average_precision": average_precision_score(y, s),
            "logloss": log_loss(y, np.clip(s, 1e-15, 1 - 1e-15), labels=[0, 1]),
        }
    with open(f"{HERE}/expected_scores.json", "w") as f:
        json.dump(expected, f, indent=2)
    print(json.dumps(expected, indent=2))
    print("training.max_time:", train["timestamp"].max())


if __name__ == "__main__":
    main()
