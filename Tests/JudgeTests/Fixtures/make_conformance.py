#!/usr/bin/env python3
"""Builds conformance.json: small challenges with expected scores from the references.

Expected values come from scikit-learn (label and regression metrics), pytrec_eval (trec_eval's
ndcg_cut, P, recall, map_cut, map, recip_rank), Kaggle's `apk` (map@K) and the DESIGN §5
formulas written out below where no library exists (Kaggle log loss, ndcg_exp, mrr@K).
Podium's own output is never used. Run: python3 make_conformance.py > conformance.json
Needs: pip install scikit-learn pytrec_eval-terrier numpy
"""
import json
import math
import random

import numpy as np
import pytrec_eval
from sklearn import metrics as skm

SPLITS = ("public", "private")


def csv(header, rows):
    def cell(v):
        s = v if isinstance(v, str) else repr(v)
        if any(c in s for c in ',"\n\r'):
            s = '"' + s.replace('"', '""') + '"'
        return s
    return "\n".join([",".join(header)] + [",".join(cell(v) for v in r) for r in rows]) + "\n"


def kaggle_logloss_binary(y, p):
    if any(s < 0 or s > 1 for s in p):
        return None
    p = np.clip(np.array(p, dtype=float), 1e-15, 1 - 1e-15)
    y = np.array(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def binary_expected(metric, y, s, threshold):
    if len(y) == 0:
        return None
    pred = [1 if v >= threshold else 0 for v in s]
    if metric == "auc":
        return None if len(set(y)) < 2 else skm.roc_auc_score(y, s)
    if metric == "average_precision":
        return None if sum(y) == 0 else skm.average_precision_score(y, s)
    if metric == "logloss":
        return kaggle_logloss_binary(y, s)
    if metric == "accuracy":
        return skm.accuracy_score(y, pred)
    if metric in ("precision", "recall", "f1"):
        f = {"precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score}[metric]
        return f(y, pred, pos_label=1, zero_division=0)
    kind, avg = metric.split("_")
    f = {"precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score}[kind]
    return f(y, pred, average=avg, zero_division=0)


def multiclass_expected(metric, y, pred_labels, proba, classes):
    if len(y) == 0:
        return None
    k = len(classes)
    if proba is None:
        proba = [[1.0 if pred_labels[i] == c else 0.0 for c in range(k)] for i in range(len(y))]
    if metric == "accuracy":
        return skm.accuracy_score(y, pred_labels)
    if metric in ("auc", "auc_weighted"):
        per, weights = [], []
        for c in range(k):
            yc = [1 if t == c else 0 for t in y]
            if 0 < sum(yc) < len(yc):
                per.append(skm.roc_auc_score(yc, [row[c] for row in proba]))
                weights.append(sum(yc))
        if not per:
            return None
        return float(np.mean(per)) if metric == "auc" else float(np.average(per, weights=weights))
    if metric == "logloss":
        p = np.clip(np.array(proba, dtype=float), 1e-15, 1 - 1e-15)
        p = p / p.sum(axis=1, keepdims=True)
        return float(-np.mean(np.log(p[np.arange(len(y)), y])))
    kind, avg = metric.split("_")
    f = {"precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score}[kind]
    return f(y, pred_labels, average=avg, zero_division=0)


def regression_expected(metric, y, p):
    if len(y) == 0:
        return None
    if metric == "mse":
        return skm.mean_squared_error(y, p)
    if metric == "rmse":
        return math.sqrt(skm.mean_squared_error(y, p))
    if metric == "mae":
        return skm.mean_absolute_error(y, p)
    if metric == "r2":
        return None if len(y) < 2 else skm.r2_score(y, p, force_finite=True)


def label_case(name, task, metrics, ids, usage, truth, header, sub_rows, threshold=0.5, classes=None,
               proba=None, pred_labels=None, sub_values=None):
    """Builds a case; `sub_values` maps id -> prediction (binary/regression)."""
    config = {"id": "case", "task": task, "metric": metrics[0], "metrics": metrics[1:], "threshold": threshold}
    if classes:
        config["classes"] = classes
    sol = csv(["id", "label", "Usage"], [[i, t, u] for i, t, u in zip(ids, truth, usage)])
    expected = {}
    for split in SPLITS:
        rows = [k for k, u in enumerate(usage) if u.lower() == split]
        out = {}
        for m in metrics:
            if task == "binary":
                v = binary_expected(m, [truth[k] for k in rows], [sub_values[ids[k]] for k in rows], threshold)
            elif task == "regression":
                v = regression_expected(m, [truth[k] for k in rows], [sub_values[ids[k]] for k in rows])
            else:
                y = [classes.index(truth[k]) for k in rows]
                pl = [pred_labels[ids[k]] for k in rows]
                pr = None if proba is None else [proba[ids[k]] for k in rows]
                v = multiclass_expected(m, y, pl, pr, classes)
            out[m] = None if v is None else float(v)
        expected[split] = out
    return {"name": name, "config": config, "solution": sol, "submission": csv(header, sub_rows), "expected": expected}


def binary_cases():
    rng = random.Random(7)
    cases = []
    allm = ["auc", "f1", "precision", "recall", "accuracy", "average_precision", "logloss",
            "f1_macro", "f1_micro", "f1_weighted", "precision_macro", "recall_weighted"]

    def make(name, truth, scores, usage=None, threshold=0.5, shuffle=True, metrics=allm):
        n = len(truth)
        ids = [f"r{k:04d}" for k in range(n)]
        usage = usage or [("Public" if rng.random() < 0.5 else "Private") for _ in range(n)]
        values = dict(zip(ids, scores))
        order = list(range(n))
        if shuffle:
            rng.shuffle(order)
        rows = [[ids[k], scores[k]] for k in order]
        cases.append(label_case(name, "binary", metrics, ids, usage, truth, ["id", "prediction"], rows,
                                threshold=threshold, sub_values=values))

    t = [int(rng.random() < 0.3) for _ in range(300)]
    make("binary random probabilities", t, [rng.random() for _ in t])
    make("binary rounded scores with many ties", t, [round(rng.random(), 1) for _ in t])
    make("binary all scores tied", t, [0.5] * len(t))
    make("binary one class present in private",
         [0, 1, 0, 1, 0, 0, 0], [0.1, 0.9, 0.4, 0.7, 0.2, 0.3, 0.6],
         usage=["Public", "Public", "Public", "Public", "Private", "Private", "Private"])
    make("binary single positive", [0] * 9 + [1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.35],
         usage=["Public"] * 10)
    make("binary perfect predictions", t, [float(v) for v in t])
    make("binary inverted predictions", t, [1.0 - v for v in t])
    make("binary threshold boundary", [1, 0, 1, 0, 1, 0], [0.5, 0.5, 0.49999999, 0.5000001, 0.7, 0.2],
         usage=["Public"] * 3 + ["Private"] * 3)
    make("binary custom threshold", t, [rng.random() for _ in t], threshold=0.3)
    make("binary hard labels", t, [int(rng.random() < 0.35) for _ in t])
    make("binary scores outside 0..1", t, [rng.gauss(0, 2) for _ in t])
    make("binary signed zero ties", [1, 0, 1, 0], [0.0, -0.0, 0.0, -0.0], usage=["Public"] * 4)
    make("binary empty public split", [0, 1, 1, 0], [0.2, 0.8, 0.6, 0.3], usage=["Private"] * 4)
    make("binary decoy rows ignored", [0, 1, 1, 0, 1, 1], [0.9, 0.1, 0.8, 0.3, 0.99, 0.01],
         usage=["Public", "Public", "Ignored", "Private", "Private", "Ignored"])
    make("binary no positive predicted", [0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], usage=["Public"] * 4)
    big = [int(rng.random() < 0.05) for _ in range(5000)]
    make("binary imbalanced 5000 rows", big, [min(1.0, max(0.0, rng.gauss(0.3 + 0.3 * v, 0.2))) for v in big],
         shuffle=False)
    return cases


def multiclass_cases():
    rng = random.Random(11)
    classes = ["cat", "dog", "bird"]
    cases = []
    m_labels = ["accuracy", "f1_macro", "f1_micro", "f1_weighted", "precision_macro", "precision_weighted",
                "recall_macro", "recall_micro", "auc", "auc_weighted", "logloss"]

    def make_labels(name, truth, preds, usage):
        ids = [str(1000 + k) for k in range(len(truth))]
        rows = [[i, p] for i, p in zip(ids, preds)]
        rng.shuffle(rows)
        cases.append(label_case(name, "multiclass", m_labels, ids, usage, truth, ["id", "prediction"], rows,
                                classes=classes, pred_labels={i: classes.index(p) for i, p in zip(ids, preds)}))

    def make_proba(name, truth, proba, usage):
        ids = [str(1000 + k) for k in range(len(truth))]
        pred = {i: int(np.argmax(p)) for i, p in zip(ids, proba)}  # numpy argmax: first max
        rows = [[i] + list(p) for i, p in zip(ids, proba)]
        rng.shuffle(rows)
        cases.append(label_case(name, "multiclass", m_labels, ids, usage, truth, ["id"] + classes, rows,
                                classes=classes, proba=dict(zip(ids, proba)), pred_labels=pred))

    n = 240
    truth = [rng.choice(classes) for _ in range(n)]
    usage = [rng.choice(["Public", "Private"]) for _ in range(n)]
    make_labels("multiclass labels", truth, [t if rng.random() < 0.6 else rng.choice(classes) for t in truth], usage)
    raw = [[rng.random() for _ in classes] for _ in range(n)]
    make_proba("multiclass probabilities", truth, [[v / sum(r) for v in r] for r in raw], usage)
    make_proba("multiclass unnormalised rows", truth, [[round(v * 3, 2) for v in r] for r in raw], usage)
    absent = [rng.choice(classes[:2]) for _ in range(60)]
    make_labels("multiclass absent class", absent, [rng.choice(classes) for _ in absent], ["Public"] * 60)
    make_proba("multiclass argmax ties", ["cat", "dog", "bird", "dog", "bird", "cat"],
               [[0.4, 0.4, 0.2], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25], [0.2, 0.4, 0.4], [1 / 3, 1 / 3, 1 / 3],
                [0.0, 0.5, 0.5]], ["Public"] * 3 + ["Private"] * 3)
    return cases


def regression_cases():
    rng = random.Random(5)
    cases = []
    ms = ["rmse", "mse", "mae", "r2"]

    def make(name, truth, preds, usage):
        ids = [f"id-{k}" for k in range(len(truth))]
        rows = [[i, p] for i, p in zip(ids, preds)]
        cases.append(label_case(name, "regression", ms, ids, usage, truth, ["id", "prediction"], rows,
                                sub_values=dict(zip(ids, preds))))

    t = [rng.gauss(10, 3) for _ in range(200)]
    make("regression random", t, [v + rng.gauss(0, 1) for v in t], [rng.choice(["Public", "Private"]) for _ in t])
    make("regression constant truth perfect", [2.5] * 6, [2.5] * 6, ["Public"] * 3 + ["Private"] * 3)
    make("regression constant truth imperfect", [2.5] * 6, [2.5, 2.6, 2.5, 2.4, 2.5, 1e-3],
         ["Public"] * 3 + ["Private"] * 3)
    make("regression single private row", [1.0, 2.0, 3.0], [1.5, 2.5, 2.0], ["Public", "Public", "Private"])
    return cases


def apk(actual, predicted, k):
    """Kaggle ml_metrics average_precision.apk, verbatim."""
    if len(predicted) > k:
        predicted = predicted[:k]
    score, num_hits = 0.0, 0.0
    for i, p in enumerate(predicted):
        if p in actual and p not in predicted[:i]:
            num_hits += 1.0
            score += num_hits / (i + 1.0)
    if not actual:
        return 0.0
    return score / min(len(actual), k)


def ranking_case(name, qrels, usage, run_long=None, run_list=None, metrics=None, tieavg=False):
    """qrels: {q: {item: rel}}; run_long: {q: {item: score}}; run_list: {q: [items]}."""
    metrics = metrics or ["ndcg@10", "ndcg@3", "ndcg_exp@5", "ndcg", "precision@5", "recall@5", "map@5",
                          "map_trec@5", "map_trec", "mrr", "mrr@2"]
    if tieavg:
        metrics = metrics + ["ndcg_tieavg@3", "ndcg_tieavg"]
    config = {"id": "case", "task": "ranking", "metric": metrics[0], "metrics": metrics[1:]}
    sol = csv(["query_id", "item_id", "relevance", "Usage"],
              [[q, i, r, usage[q]] for q in qrels for i, r in qrels[q].items()])
    # The ranked order each query's items get: scores descending, ties by item id descending.
    if run_long is not None:
        ranked = {q: [i for i, _ in sorted(run_long[q].items(), key=lambda kv: (kv[1], kv[0]), reverse=True)]
                  for q in run_long}
        trec_run = {q: {i: float(s) for i, s in run_long[q].items()} for q in run_long}
        sub = csv(["query_id", "item_id", "score"], [[q, i, s] for q in run_long for i, s in run_long[q].items()])
    else:
        ranked = {q: list(items) for q, items in run_list.items()}
        trec_run = {}
        for q, items in run_list.items():
            seen, scored = set(), {}
            for pos, item in enumerate(items):
                key = item if item not in seen else f"~repeat{pos}"  # a repeat keeps its slot, never scores
                seen.add(item)
                scored[key] = float(len(items) - pos)
            trec_run[q] = scored
        sub = csv(["query_id", "items"], [[q, " ".join(items)] for q, items in run_list.items()])
    trec_qrels = {q: {i: int(r) for i, r in items.items()} for q, items in qrels.items()}
    evaluator = pytrec_eval.RelevanceEvaluator(
        trec_qrels, {"ndcg_cut.3,10", "P.5", "recall.5", "map_cut.5", "map", "recip_rank", "ndcg"})
    per_query = evaluator.evaluate({q: r for q, r in trec_run.items() if r})

    def value(metric, q):
        rels = qrels[q]
        relevant = [i for i, r in rels.items() if r >= 1]
        lst = ranked.get(q, [])
        seen, gains = set(), []
        for item in lst:
            gains.append(0 if item in seen else rels.get(item, 0))
            seen.add(item)
        t = per_query.get(q)
        if metric == "ndcg@10":
            return t["ndcg_cut_10"] if t else 0.0
        if metric == "ndcg@3":
            return t["ndcg_cut_3"] if t else 0.0
        if metric == "ndcg":
            return t["ndcg"] if t else 0.0
        if metric == "precision@5":
            return t["P_5"] if t else 0.0
        if metric == "recall@5":
            return t["recall_5"] if t else 0.0
        if metric == "map_trec@5":
            return t["map_cut_5"] if t else 0.0
        if metric == "map_trec":
            return t["map"] if t else 0.0
        if metric == "mrr":
            return t["recip_rank"] if t else 0.0
        if metric == "map@5":
            return apk(relevant, [i if i not in lst[:p] else None for p, i in enumerate(lst)], 5)
        if metric == "mrr@2":
            for pos, g in enumerate(gains[:2]):
                if g >= 1:
                    return 1.0 / (pos + 1)
            return 0.0
        if metric == "ndcg_exp@5":
            ideal = sorted(rels.values(), reverse=True)[:5]
            idcg = sum((2 ** r - 1) / math.log2(k + 2) for k, r in enumerate(ideal))
            dcg = sum((2 ** g - 1) / math.log2(k + 2) for k, g in enumerate(gains[:5]))
            return dcg / idcg if idcg > 0 else 0.0
        if metric.startswith("ndcg_tieavg"):
            k = int(metric.split("@")[1]) if "@" in metric else None
            items = sorted(rels)
            y_true = np.array([[rels[i] for i in items]])
            y_score = np.array([[run_long[q][i] for i in items]])
            if y_true.sum() == 0:
                return 0.0
            return skm.ndcg_score(y_true, y_score, k=k, ignore_ties=False)
        raise ValueError(metric)

    expected = {}
    for split in SPLITS:
        qs = [q for q in qrels if usage[q].lower() == split]
        expected[split] = {m: (float(np.mean([value(m, q) for q in qs])) if qs else None) for m in metrics}
    return {"name": name, "config": config, "solution": sol, "submission": sub, "expected": expected}


def ranking_cases():
    rng = random.Random(3)
    cases = []
    queries = [f"q{k}" for k in range(40)]
    usage = {q: ("Public" if k % 2 == 0 else "Private") for k, q in enumerate(queries)}
    qrels, run = {}, {}
    for q in queries:
        items = [f"d{j:02d}" for j in range(rng.randint(3, 25))]
        qrels[q] = {i: rng.choice([0, 0, 0, 1, 2, 3]) for i in items}
        pool = items + [f"x{j}" for j in range(5)]  # some unjudged items
        chosen = rng.sample(pool, rng.randint(1, len(pool)))  # some judged items never submitted
        run[q] = {i: round(rng.random(), 1) for i in chosen}  # many tied scores
    cases.append(ranking_case("ranking long form with ties, unjudged and unsubmitted items", qrels, usage, run_long=run))
    # Only cutoff metrics: Podium then orders just the top ranks (and the ties at the cutoff).
    cases.append(ranking_case("ranking cutoff metrics only, ties across the cutoff", qrels, usage, run_long=run,
                              metrics=["ndcg@3", "ndcg@10", "precision@5", "recall@5", "map@5", "map_trec@5",
                                       "mrr@2", "ndcg_exp@5"]))
    # Queries with no relevant item, and fewer than K items.
    q2 = {"a": {"i1": 0, "i2": 0}, "b": {"i1": 2, "i3": 1}, "c": {"i9": 1}, "d": {"i1": 1, "i2": 1, "i3": 1}}
    u2 = {"a": "Public", "b": "Public", "c": "Private", "d": "Private"}
    r2 = {"a": {"i1": 0.9, "i2": 0.1}, "b": {"i3": 0.5}, "c": {"i1": 0.3, "i9": 0.2}, "d": {"i3": 1.0, "i2": 1.0}}
    cases.append(ranking_case("ranking no relevant items and fewer than K", q2, u2, run_long=r2))
    # A solution query with no submitted row scores 0 (long form).
    r3 = {"a": {"i1": 0.9}, "b": {"i1": 0.5, "i3": 0.4}, "d": {"i1": 0.2}}
    cases.append(ranking_case("ranking long form missing query", q2, u2, run_long=r3))
    # List form with repeated items.
    lists = {"a": ["i2", "i1"], "b": ["i3", "i3", "i1", "zz"], "c": ["i9", "i9"], "d": ["i1", "i4", "i1", "i2", "i3"]}
    cases.append(ranking_case("ranking list form with repeated items", q2, u2, run_list=lists))
    # Tie-averaged NDCG: the submission scores exactly the judged items.
    q4, r4 = {}, {}
    for k in range(12):
        q = f"t{k}"
        q4[q] = {f"m{j}": rng.choice([0, 1, 2, 3]) for j in range(rng.randint(2, 9))}
        r4[q] = {i: rng.choice([0.1, 0.2, 0.3]) for i in q4[q]}
    u4 = {q: ("Public" if k < 6 else "Private") for k, q in enumerate(q4)}
    cases.append(ranking_case("ranking tie-averaged ndcg", q4, u4, run_long=r4, tieavg=True))
    return cases


if __name__ == "__main__":
    cases = binary_cases() + multiclass_cases() + regression_cases() + ranking_cases()
    print(json.dumps(cases, indent=1))
