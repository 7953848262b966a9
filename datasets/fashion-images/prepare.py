"""Builds the fashion-images challenge from Fashion-MNIST (Zalando Research, MIT licence), as
installed by the Debian package `dataset-fashion-mnist` under /usr/share/datasets/fashion-mnist.

A stratified subset: 500 images per class from the training set (train.csv, 5,000 rows) and 200
per class from the test set (test.csv, 2,000 rows), each image as 784 pixel columns p0..p783
(0-255, row-major 28x28). Ids are random, rows shuffled; Public/Private is stratified by class,
half and half. The baseline is a scikit-learn logistic regression on scaled pixels; its scores
are computed here with scikit-learn and written to baseline_scores.json.

usage: .venv-prepare/bin/python datasets/fashion-images/prepare.py
"""
import gzip
import json
import os
import struct

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss

SOURCE = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))
CLASSES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"]


def idx(name):
    with gzip.open(os.path.join(SOURCE, name)) as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    return np.frombuffer(data, dtype=np.uint8, offset=8)


def stratified(labels, per_class, rng):
    picks = [rng.choice(np.flatnonzero(labels == c), per_class, replace=False) for c in range(10)]
    out = np.concatenate(picks)
    rng.shuffle(out)
    return out


def write(path, ids, pixels, labels=None):
    header = "id," + ",".join(f"p{k}" for k in range(784)) + ("" if labels is None else ",label")
    with open(path, "w") as f:
        f.write(header + "\n")
        for r in range(len(ids)):
            row = ids[r] + "," + ",".join(map(str, pixels[r].tolist()))
            f.write(row + ("" if labels is None else "," + CLASSES[labels[r]]) + "\n")


def scores(truth, proba, split):
    y = truth[split]
    p = proba[split]
    predicted = p.argmax(axis=1)
    return {
        "accuracy": accuracy_score(y, predicted),
        "f1_macro": f1_score(y, predicted, average="macro", labels=np.union1d(y, predicted)),
        "logloss": log_loss(y, np.clip(p, 1e-15, 1 - 1e-15) / np.clip(p, 1e-15, 1 - 1e-15).sum(axis=1, keepdims=True), labels=range(10)),
    }


def main():
    rng = np.random.default_rng(2026)
    train_x, train_y = idx("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz")
    test_x, test_y = idx("t10k-images-idx3-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz")
    tr = stratified(train_y, 500, rng)
    te = stratified(test_y, 200, rng)
    names = rng.choice(16**8, size=len(tr) + len(te), replace=False)
    train_ids = [f"img{n:08x}" for n in names[: len(tr)]]
    test_ids = [f"img{n:08x}" for n in names[len(tr):]]
    write(f"{HERE}/train.csv", train_ids, train_x[tr], train_y[tr])
    write(f"{HERE}/test.csv", test_ids, test_x[te])
    # Public/Private: half of each class.
    usage = np.empty(len(te), dtype=object)
    for c in range(10):
        rows = np.flatnonzero(test_y[te] == c)
        rows = rng.permutation(rows)
        usage[rows[: len(rows) // 2]] = "Public"
        usage[rows[len(rows) // 2:]] = "Private"
    with open(f"{HERE}/solution.csv", "w") as f:
        f.write("id,label,Usage\n")
        for i, y, u in zip(test_ids, test_y[te], usage):
            f.write(f"{i},{CLASSES[y]},{u}\n")

    model = LogisticRegression(max_iter=300, C=0.05)
    model.fit(train_x[tr] / 255.0, train_y[tr])
    proba = model.predict_proba(test_x[te] / 255.0)
    with open(f"{HERE}/baseline.csv", "w") as f:
        f.write("id," + ",".join(CLASSES) + "\n")
        for i, p in zip(test_ids, proba):
            f.write(i + "," + ",".join(repr(float(v)) for v in p) + "\n")
    truth = test_y[te]
    expected = {
        "public": scores(truth, proba, usage == "Public"),
        "private": scores(truth, proba, usage == "Private"),
        "computed_with": "scikit-learn accuracy_score, f1_score(average='macro'), log_loss (clipped to [1e-15, 1-1e-15], rows renormalised)",
    }
    with open(f"{HERE}/baseline_scores.json", "w") as f:
        json.dump(expected, f, indent=2)
    print(json.dumps(expected, indent=2))


if __name__ == "__main__":
    main()
