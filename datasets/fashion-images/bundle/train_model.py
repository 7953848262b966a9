"""Trains the example bundle's model: pixels scaled to [0, 1] -> logistic regression, pickled to
model.pkl with the bundle runtime's scikit-learn (sandbox/runtimes/tabular/requirements.txt), so that
predict.py can load it inside the sandbox. Also writes expected_scores.json: the model's scores
on the hidden labels, computed here with scikit-learn, which the tests compare with what
Podium reports for the bundle.

usage: sandbox/runtimes/tabular/venv/bin/python datasets/fashion-images/bundle/train_model.py
"""
import json
import os
import pickle

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.dirname(HERE)


def main():
    train = pd.read_csv(f"{FOLDER}/train.csv")
    pixels = [c for c in train.columns if c.startswith("p")]
    model = make_pipeline(MinMaxScaler(clip=True), LogisticRegression(max_iter=200, C=0.02))
    model.fit(train[pixels].to_numpy(dtype=float), train["label"])
    with open(f"{HERE}/model.pkl", "wb") as f:
        pickle.dump({"model": model, "pixels": pixels}, f, protocol=5)

    # The scores it should get, by scikit-learn, on the hidden labels.
    test = pd.read_csv(f"{FOLDER}/test.csv")
    solution = pd.read_csv(f"{FOLDER}/solution.csv").set_index("id").loc[test["id"]]
    proba = model.predict_proba(test[pixels].to_numpy(dtype=float))
    classes = list(model.classes_)
    expected = {}
    for split in ("Public", "Private"):
        rows = (solution["Usage"] == split).to_numpy()
        truth = solution["label"].to_numpy()[rows]
        p = np.clip(proba[rows], 1e-15, 1 - 1e-15)
        predicted = np.array(classes)[proba[rows].argmax(axis=1)]
        expected[split.lower()] = {
            "accuracy": accuracy_score(truth, predicted),
            "f1_macro": f1_score(truth, predicted, average="macro", labels=np.union1d(truth, predicted)),
            "logloss": log_loss(truth, p / p.sum(axis=1, keepdims=True), labels=classes),
        }
    with open(f"{HERE}/expected_scores.json", "w") as f:
        json.dump(expected, f, indent=2)
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
