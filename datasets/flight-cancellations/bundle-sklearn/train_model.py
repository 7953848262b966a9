"""Trains the scikit-learn example bundle: a histogram gradient-boosting classifier on the
schedule, carrier, airports and weather, pickled to model.pkl with the bundle runtime's
scikit-learn (sandbox/runtimes/tabular/requirements.txt) so that predict.py loads it in the sandbox.
Writes expected_scores.json: the model's scores on the hidden labels by scikit-learn, which the
tests compare with what Podium reports for the bundle.

usage: sandbox/runtimes/tabular/venv/bin/python datasets/flight-cancellations/bundle-sklearn/train_model.py
"""
import json
import os
import pickle

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, f1_score, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.dirname(HERE)
CATEGORIES = ["carrier", "origin", "dest"]
NUMBERS = ["sched_dep_time", "sched_arr_time", "distance", "hour", "temp", "dewp", "humid", "wind_dir",
           "wind_speed", "wind_gust", "precip", "pressure", "visib"]
THRESHOLD = 0.1  # challenge.yaml


def main():
    train = pd.read_csv(f"{FOLDER}/train.csv")
    model = make_pipeline(
        make_column_transformer(
            (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-2), CATEGORIES),
            ("passthrough", NUMBERS)),
        HistGradientBoostingClassifier(
            max_iter=150, learning_rate=0.08, early_stopping=False, random_state=0,
            categorical_features=[0, 1, 2]))
    model.fit(train[CATEGORIES + NUMBERS], train["label"])
    with open(f"{HERE}/model.pkl", "wb") as f:
        pickle.dump({"model": model, "columns": CATEGORIES + NUMBERS}, f, protocol=5)

    test = pd.read_csv(f"{FOLDER}/test.csv")
    solution = pd.read_csv(f"{FOLDER}/solution.csv").set_index("id").loc[test["id"]]
    p = model.predict_proba(test[CATEGORIES + NUMBERS])[:, 1]
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
