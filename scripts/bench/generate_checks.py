"""A dataset-check benchmark challenge: train.csv with N rows and 12 columns (id, 8 numeric
features with missing values and correlation, 2 categorical, label at 5% positives), test.csv
with N/5 rows, solution.csv. Clean data: the checks must find no blocking leak."""
import os
import sys

import numpy as np

n = int(sys.argv[1])
out = sys.argv[2]
m = n // 5
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(11)


def frame(rows, start):
    z = rng.normal(size=(rows, 8))
    z[:, 1] += 0.6 * z[:, 0]
    logit = -3.2 + 0.9 * z[:, 0] + 0.5 * z[:, 2]
    y = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    ids = rng.permutation(rows) + start
    city = rng.integers(0, 500, rows)
    shop = rng.integers(0, 60, rows)
    return ids, z, city, shop, y


def write(path, ids, z, city, shop, y=None):
    cols = [ids.astype(str)]
    for k in range(8):
        col = np.char.mod("%.5f", z[:, k])
        if k in (3, 5):
            col = np.where(rng.random(len(ids)) < 0.05, "", col)
        cols.append(col)
    cols.append(np.char.add("city", city.astype(str)))
    cols.append(np.char.add("shop", shop.astype(str)))
    header = "id," + ",".join(f"x{k}" for k in range(8)) + ",city,shop"
    if y is not None:
        cols.append(y.astype(str))
        header += ",label"
    with open(path, "w") as f:
        f.write(header + "\n")
        chunk = 500_000
        for s in range(0, len(ids), chunk):
            rows = zip(*[c[s:s + chunk] for c in cols])
            f.write("\n".join(",".join(r) for r in rows) + "\n")


ids, z, city, shop, y = frame(n, 0)
write(f"{out}/train.csv", ids, z, city, shop, y)
tid, tz, tcity, tshop, ty = frame(m, 10 * n)
write(f"{out}/test.csv", tid, tz, tcity, tshop)
with open(f"{out}/solution.csv", "w") as f:
    f.write("id,label,Usage\n")
    usage = np.where(rng.random(m) < 0.5, "Public", "Private")
    f.write("\n".join(f"{a},{b},{u}" for a, b, u in zip(tid, ty, usage)) + "\n")
with open(f"{out}/challenge.yaml", "w") as f:
    f.write("id: check-bench\ntask: binary\nmetric: auc\n")
