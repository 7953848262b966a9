"""The example model bundle: loads the pickled scikit-learn pipeline (model.pkl, trained by
train_model.py) and writes one probability column per class for every image of
$PODIUM_INPUT (test.csv) to $PODIUM_OUTPUT."""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core's worth of threads in the sandbox

import pickle

import pandas as pd

CLASSES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"]

with open("model.pkl", "rb") as f:
    saved = pickle.load(f)
model, pixels = saved["model"], saved["pixels"]
test = pd.read_csv(os.environ["PODIUM_INPUT"])
proba = model.predict_proba(test[pixels].to_numpy(dtype=float))
out = pd.DataFrame(proba, columns=list(model.classes_))[CLASSES]
out.insert(0, "id", test["id"])
out.to_csv(os.environ["PODIUM_OUTPUT"], index=False, float_format="%.17g")
