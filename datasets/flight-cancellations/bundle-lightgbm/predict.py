"""The LightGBM example bundle (runtime `tabular`): reads the booster from model.txt (trained by
train_model.py) and writes the probability of cancellation for every flight of $PODIUM_INPUT
(test.csv) to $PODIUM_OUTPUT."""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import lightgbm as lgb
import pandas as pd

CATEGORIES = ["carrier", "origin", "dest"]
NUMBERS = ["sched_dep_time", "sched_arr_time", "distance", "hour", "temp", "dewp", "humid", "wind_dir",
           "wind_speed", "wind_gust", "precip", "pressure", "visib"]


def features(frame):
    x = frame[CATEGORIES + NUMBERS].copy()
    x["weekday"] = pd.to_datetime(frame["timestamp"]).dt.day_of_week
    for c in CATEGORIES:
        x[c] = x[c].astype("category")  # re-coded with model.txt's category lists by predict()
    return x


booster = lgb.Booster(model_file="model.txt")
test = pd.read_csv(os.environ["PODIUM_INPUT"])
p = booster.predict(features(test), num_threads=int(os.environ["OMP_NUM_THREADS"]))
pd.DataFrame({"id": test["id"], "prediction": p}).to_csv(os.environ["PODIUM_OUTPUT"], index=False, float_format="%.17g")
