"""The example bundle: reads $PODIUM_INPUT (test.csv), writes $PODIUM_OUTPUT (id,prediction)."""
import csv
import json
import os

model = json.load(open("model.json"))
with open(os.environ["PODIUM_INPUT"]) as src, open(os.environ["PODIUM_OUTPUT"], "w") as out:
    out.write("id,prediction\n")
    for r in csv.DictReader(src):
        v = float(r["visib"]) if r["visib"] else 10.0
        b = "low" if v < 3 else "mid" if v < 9.9 else "clear"
        p = model["carrier_origin"].get(r["carrier"] + "|" + r["origin"], model["prior"]) * model["visibility"].get(b, 1.0)
        out.write(f"{r['id']},{min(p, 1.0):.6f}\n")
