#!/usr/bin/env python3
"""Baseline: pandas + scikit-learn. Read both files, merge on id, AUC and F1 per split."""
import json
import sys

import pandas as pd
from sklearn.metrics import f1_score, roc_auc_score

folder, submission = sys.argv[1], sys.argv[2]
sol = pd.read_csv(f"{folder}/solution.csv")
sub = pd.read_csv(submission)
df = sol.merge(sub, on="id", how="left", validate="one_to_one")
out = {}
for split in ("Public", "Private"):
    part = df[df["Usage"] == split]
    y, s = part["label"].to_numpy(), part["prediction"].to_numpy()
    out[split.lower()] = {"auc": roc_auc_score(y, s), "f1": f1_score(y, s >= 0.5)}
print(json.dumps(out))
