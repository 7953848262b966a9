"""The scikit-learn example bundle: loads the pickled pipeline (model.pkl, trained by
train_model.py) and writes the probability of cancellation for every flight of $PODIUM_INPUT
(test.csv) to $PODIUM_OUTPUT."""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pickle

import pandas as pd

with open("model.pkl", "rb") as f:
    saved = pickle.load(f)
test = pd.read_csv(os.environ["PODIUM_INPUT"])
p = saved["model"].predict_proba(test[saved["columns"]])[:, 1]
pd.DataFrame({"id": test["id"], "prediction": p}).to_csv(os.environ["PODIUM_OUTPUT"], index=False, float_format="%.17g")
