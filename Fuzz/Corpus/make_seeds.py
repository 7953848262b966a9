#!/usr/bin/env python3
"""Writes the committed seed corpus of each fuzz target (Fuzz/Corpus/<target>/): small,
real-looking inputs. Run from anywhere: python3 Fuzz/Corpus/make_seeds.py. Deterministic."""
import bz2, gzip, io, lzma, os, shutil, subprocess, tarfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def head(path, lines):
    with open(os.path.join(ROOT, path), "rb") as f:
        return b"".join(f.readlines()[:lines])


def write(target, name, data):
    folder = os.path.join(HERE, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


for target in os.listdir(HERE):
    if os.path.isdir(os.path.join(HERE, target)):
        shutil.rmtree(os.path.join(HERE, target))

# CSV tables (the dataset checks' reader).
tables = {
    "train-head": head("datasets/flight-cancellations/train.csv", 12),
    "test-head": head("datasets/flight-cancellations/test.csv", 8),
    "crlf": "id,x,city\r\n1,1.5,Paris\r\n2,,Lyon\r\n3,NA,\r\n",
    "bom": "\ufeffid,x,note\n1,2e3,a\n2,-0.5,b\n",
    "quoted": 'id,text,x\n1,"a, b",1\n2,"say ""hi""",2\n3,"two\nlines",3\n',
    "empty-lines": "a,b\n\n1,2\n\n\n3,4",
    "lone-cr": "a,b\r1,2\r3,x\r",
    "ragged": "a,b,c\n1,2,3\n4,5\n",
    "header-only": "a,b,c\n",
    "late-text": "k,v\n" + "".join(f"{i},{i * 0.25}\n" for i in range(30)) + "30,thirty\n",
    "na-words": "a,b\nnull,1\nNone,n/a\n#N/A,-\ninf,nan\n",
    "spaces": "a , b\n 1 ,\t2\n",
}
for name, data in tables.items():
    write("fuzz-csv-table", name, data)

# Solutions (binary and regression).
solutions = {
    "flights": head("datasets/flight-cancellations/solution.csv", 10),
    "unordered": "id,label,Usage\nb,1,Public\na,0,Private\nc,1,ignored\n",
    "regression": "Usage,label,id\nPublic,1.5,1\nPrivate,-2e-3,2\nPublic,7,3\n",
    "crlf": "id,label,Usage\r\n1,0,Public\r\n2,1,PRIVATE\r\n",
    "quoted-id": 'id,label,Usage\n"x,1",1,Public\n"x""2",0,Private\n',
    "duplicate": "id,label,Usage\n1,0,Public\n2,1,Public\n1,1,Private\n",
    "bad-usage": "id,label,Usage\n1,0,Public\n2,1,Hidden\n",
    "float-label": "id,label,Usage\n1,1.0,Public\n2, 0,Private\n",
}
for name, data in solutions.items():
    write("fuzz-csv-solution", name, data)

# Submissions: `solution NUL submission`, or a submission alone (of ids 1, 2, 3, x-4).
small = "id,prediction\n1,0.1\n2,0.9\n3,0.5\nx-4,0\n"
predictions = {
    "small": small,
    "shuffled": "prediction,id\n0.5,3\n0.1,1\n0,x-4\n0.9,2\n",
    "crlf": small.replace("\n", "\r\n"),
    "quoted": 'id,prediction\n"1",0.1\n2,"0.9"\n3,.5\nx-4,1e-1\n',
    "missing": "id,prediction\n1,0.1\n2,0.9\n",
    "unknown": small + "5,0.3\n",
    "duplicate": small + "2,0.3\n",
    "empty-value": "id,prediction\n1,\n2,0.9\n3,0.5\nx-4,0\n",
    "flights": head("datasets/flight-cancellations/solution.csv", 6) + b"\0" + head("datasets/flight-cancellations/baseline.csv", 6),
    "unordered": b"id,label,Usage\nb,1,Public\na,0,Private\nc,1,Public\n\0id,prediction\nc,0.2\na,0.4\nb,0.9\n",
    "multiclass": b"id,label,Usage\n1,cat,Public\n2,dog,Private\n\0id,prediction,cat,dog\n1,cat,0.9,0.1\n2,dog,0.2,0.8\n",
}
for name, data in predictions.items():
    write("fuzz-csv-predictions", name, data)

# Rankings: `solution NUL submission`, or a submission alone (queries q1, q2, q3).
rsol = "query_id,item_id,relevance,Usage\nq1,a,3,Public\nq1,b,1,Public\nq2,a,2,Private\nq3,c,0,Ignored\n"
rankings = {
    "long": "query_id,item_id,score\nq1,a,0.9\nq1,b,0.5\nq1,z,0.1\nq2,a,1\nq3,c,2\n",
    "ties": "query_id,item_id,score\nq1,b,0.5\nq1,a,0.5\nq2,a,1\nq2,a,1\nq3,c,0\n",
    "shuffled": "item_id,score,query_id\na,1,q2\nb,0.5,q1\nc,2,q3\na,0.9,q1\n",
    "missing-query": "query_id,item_id,prediction\nq1,a,0.9\n",
    "list": "query_id,items\nq1,a b z\nq2,\nq3,\"c a\"\n",
    "crlf": "query_id,item_id,score\r\nq1,a,0.9\r\nq2,a,1\r\nq3,c,2\r\n",
    "solution-crlf": (rsol.replace("\n", "\r\n") + "\0query_id,item_id,score\nq1,a,1\n"),
    "solution-split-query": "query_id,item_id,relevance,Usage\nq1,a,3,Public\nq2,a,1,Private\nq1,b,2,Public\n\0query_id,item_id,score\nq2,a,1\nq1,b,2\nq1,a,3\n",
    "solution-bad": "query_id,item_id,relevance,Usage\nq1,a,3,Public\nq1,a,2,Public\nq2,b,1.5,Private\n\0query_id,items\nq1,a\n",
}
for name, data in rankings.items():
    write("fuzz-csv-ranking", name, data)

# Numbers.
numbers = ["0", "-0", "1.5", ".5", "5.", "+3", "1e-3", "1E+2", " 2.5\t", "123456789012345678901234567890",
           "0.1000000000000000055511151231257827", "2.2250738585072011e-308", "4.9e-324", "1.7976931348623157e308",
           "1e999", "1e-999", "NA", "n/a", "null", "NaN", "-inf", "Infinity", "abc", "1.2.3", "1e", "0x10", "1,5",
           "9007199254740993", "0.000000000000000000000000000001e30", "00000000000000000001.5e+0000000000003"]
for i, text in enumerate(numbers):
    write("fuzz-number", f"n{i:02d}", text)

# challenge.yaml: the datasets' and the tests' shapes.
for d in ["fashion-images", "flight-cancellations", "movie-recommendations", "review-sentiment"]:
    write("fuzz-challenge-yaml", d, head(f"datasets/{d}/challenge.yaml", 1000))
yamls = {
    "minimal": "id: a\ntask: binary\nmetric: auc\n",
    "columns": "id: a\ntask: regression\nmetric: rmse\ncolumns:\n  id: key\n  target: y\n  prediction: yhat\n",
    "time": "id: a\ntask: binary\nmetric: auc\ntime:\n  column: t\n  gap: 12h\n",
    "checks": "id: a\ntask: binary\nmetric: auc\nchecks:\n  duplicate_rows: {warn: 0.1, block: 0.5}\n  group_leak: {block: 2}\n",
    "ladder": "id: a\ntask: binary\nmetric: auc\nleaderboard:\n  display: ladder\n  step: 0.005\n",
    "flow": "{id: a, task: multiclass, metric: accuracy, classes: [x, y, z]}\n",
    "anchors": "id: &x a\ntask: binary\nmetric: auc\ntitle: *x\n",
    "duplicate": "id: a\ntask: binary\nmetric: auc\nmetric: f1\n",
    "tabs-and-quotes": "id: 'a'\ntask: \"binary\"\nmetric: auc # comment\nthreshold: 0.25\n",
}
for name, data in yamls.items():
    write("fuzz-challenge-yaml", name, data)

# bundle.yaml.
bundles = {
    "plain": "run: python3 predict.py\n",
    "training": head("datasets/flight-cancellations/bundle/bundle.yaml", 100),
    "quoted": "run: 'python3 \"my model.py\" --flag=a\\ b'\ntraining:\n  ids: train_ids.txt\n",
    "list": "run: [python3, x.py]\n",
    "unknown": "run: x\nenv: y\n",
    "empty-run": "run: ''\n",
    "unterminated": "run: python3 'x\n",
}
for name, data in bundles.items():
    write("fuzz-bundle-yaml", name, data)

# Archives of each format, well-formed and hostile.
CSV = b"id,prediction\n1,0.1\n2,0.9\n3,0.5\n"


def tar(entries, mode="w"):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode, format=tarfile.USTAR_FORMAT) as t:
        for name, kind, data in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if kind == "file":
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            elif kind == "dir":
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            elif kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, data
                t.addfile(info)
            elif kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, data
                t.addfile(info)
    return out.getvalue()


def zipped(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


archives = {
    "csv.gz": gzip.compress(CSV, mtime=0),
    "csv.bz2": bz2.compress(CSV),
    "csv.xz": lzma.compress(CSV),
    "plain.tar": tar([("sub.csv", "file", CSV)]),
    "nested.tar": tar([("out/", "dir", None), ("out/sub.csv", "file", CSV), ("out/readme.txt", "file", b"hi\n")]),
    "csv.tar.gz": gzip.compress(tar([("./sub.csv", "file", CSV)]), mtime=0),
    "csv.zip": zipped([("sub.csv", CSV)]),
    "macos.zip": zipped([("sub.csv", CSV), ("__MACOSX/._sub.csv", b"junk")]),
    "two.zip": zipped([("a.csv", CSV), ("b/b.csv", CSV)]),
    "bundle.tar": tar([("bundle.yaml", "file", b"run: python3 predict.py\n"), ("predict.py", "file", b"print(1)\n")]),
    "dotdot.tar": tar([("../x.csv", "file", CSV)]),
    "absolute.tar": tar([("/tmp/x.csv", "file", CSV)]),
    "symlink.tar": tar([("link", "symlink", "/etc"), ("link/x.csv", "file", CSV)]),
    "hardlink.tar": tar([("a.csv", "file", CSV), ("b.csv", "hardlink", "a.csv")]),
    "repeated.tar": tar([("a.csv", "file", CSV), ("a.csv", "file", CSV)]),
    "empty.tar": tar([]),
    "dotdot.zip": zipped([("../x.csv", CSV)]),
    "zeros.gz": gzip.compress(b"\n" * 20000, mtime=0),
}
if shutil.which("zstd"):
    archives["csv.zst"] = subprocess.run(["zstd", "-q", "-c"], input=CSV, capture_output=True, check=True).stdout
for name, data in archives.items():
    write("fuzz-archive", name, data)
