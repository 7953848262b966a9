"""Trains the ONNX example bundle: a scikit-learn pipeline (carrier, origin and destination
ordinal-encoded, missing weather set to -999, then GradientBoostingClassifier) converted with
skl2onnx to model.onnx, which predict.py runs with ONNX Runtime alone (runtime `deep`: no
scikit-learn there). Runs in the preparation environment (.venv-prepare: scikit-learn 1.9.1,
skl2onnx 1.20.0, onnx 1.23.2). Deterministic (random_state=0, a fixed graph name, the opsets sorted): the same bytes on every run.

Why not HistGradientBoostingClassifier: skl2onnx 1.20.0 writes its leaves' missing-value flag
as a Python bool, which onnx 1.23.2 refuses ("Expected an int, got a boolean"). OneHotEncoder
with infrequent categories and SimpleImputer's missing indicators do not convert either.

The numbers enter the graph as float32 (ONNX Runtime has no double Imputer), like the trees'
thresholds, so the probabilities differ from scikit-learn's by about 5e-7. The expected scores
are therefore those of predict.py's own output, scored here with scikit-learn:

usage (from the repository):
  .venv-prepare/bin/python datasets/flight-cancellations/bundle-onnx/train_model.py
  (cd datasets/flight-cancellations/bundle-onnx && PODIUM_INPUT=../test.csv \
     PODIUM_OUTPUT=/tmp/onnx-predictions.csv ../../../sandbox/runtimes/deep/venv/bin/python predict.py)
  .venv-prepare/bin/python datasets/flight-cancellations/bundle-onnx/train_model.py --score /tmp/onnx-predictions.csv
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import average_precision_score, f1_score, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
FOLDER = os.path.dirname(HERE)
CATEGORIES = ["carrier", "origin", "dest"]
NUMBERS = ["sched_dep_time", "sched_arr_time", "distance", "hour", "temp", "dewp", "humid", "wind_dir",
           "wind_speed", "wind_gust", "precip", "pressure", "visib"]
THRESHOLD = 0.1  # challenge.yaml


def features(frame):
    """The graph's inputs, one [n, 1] array per column (predict.py has the same function)."""
    x = {c: frame[[c]].astype(str).to_numpy() for c in CATEGORIES}
    x |= {c: frame[[c]].to_numpy(dtype=np.float32) for c in NUMBERS}
    x["weekday"] = pd.to_datetime(frame["timestamp"]).dt.day_of_week.to_numpy(dtype=np.float32).reshape(-1, 1)
    return x


def train():
    data = features(pd.read_csv(f"{FOLDER}/train.csv"))
    columns = CATEGORIES + NUMBERS + ["weekday"]
    frame = pd.DataFrame({c: data[c][:, 0] for c in columns})
    model = make_pipeline(
        make_column_transformer(
            (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), CATEGORIES),
            (SimpleImputer(strategy="constant", fill_value=-999.0), NUMBERS + ["weekday"])),
        GradientBoostingClassifier(n_estimators=200, learning_rate=0.05, max_depth=4, min_samples_leaf=100,
                                   subsample=0.8, random_state=0))
    model.fit(frame, pd.read_csv(f"{FOLDER}/train.csv", usecols=["label"])["label"])
    types = [(c, StringTensorType([None, 1])) for c in CATEGORIES]
    types += [(c, FloatTensorType([None, 1])) for c in NUMBERS + ["weekday"]]
    onx = convert_sklearn(model, name="flight_cancellations", initial_types=types, target_opset={"": 18, "ai.onnx.ml": 3},
                          options={id(model): {"zipmap": False}})
    imports = sorted(onx.opset_import, key=lambda o: o.domain)  # skl2onnx lists them in set order
    del onx.opset_import[:]
    onx.opset_import.extend(imports)
    with open(f"{HERE}/model.onnx", "wb") as f:
        f.write(onx.SerializeToString())
    print(f"model.onnx: {os.path.getsize(f'{HERE}/model.onnx')} bytes")


def score(predictions):
    """expected_scores.json: predict.py's output scored by scikit-learn on the hidden labels."""
    p = pd.read_csv(predictions).set_index("id")["prediction"]
    solution = pd.read_csv(f"{FOLDER}/solution.csv").set_index("id")
    p = p.loc[solution.index].to_numpy()
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


if __name__ == "__main__":
    if sys.argv[1:2] == ["--score"]:
        score(sys.argv[2])
    else:
        train()
