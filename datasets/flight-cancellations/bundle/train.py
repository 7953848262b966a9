#!/usr/bin/env python3
"""Trains the example bundle's model from ../train.csv with the standard library only:
a smoothed cancellation rate per carrier and origin, times the relative risk of the hour's
visibility. Writes model.json next to this file. Run: python3 train.py"""
import csv
import json
import os

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, "..", "train.csv"))))
prior = sum(int(r["label"]) for r in rows) / len(rows)


def bucket(r):
    v = float(r["visib"]) if r["visib"] else 10.0
    return "low" if v < 3 else "mid" if v < 9.9 else "clear"


def rates(key, weight=50.0):
    total, positive = {}, {}
    for r in rows:
        k = key(r)
        total[k] = total.get(k, 0) + 1
        positive[k] = positive.get(k, 0) + int(r["label"])
    return {k: (positive[k] + weight * prior) / (total[k] + weight) for k in total}


model = {
    "prior": prior,
    "carrier_origin": rates(lambda r: r["carrier"] + "|" + r["origin"]),
    "visibility": {k: v / prior for k, v in rates(bucket).items()},
}
json.dump(model, open(os.path.join(here, "model.json"), "w"), indent=1, sort_keys=True)
print("wrote model.json from", len(rows), "training rows")
