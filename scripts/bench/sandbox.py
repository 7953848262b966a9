#!/usr/bin/env python3
"""Sandbox benchmarks (issue 4's targets):

1. Start-up overhead of a bundle that runs `python3 -c pass`: podium-launcher against
   bubblewrap (`--unshare-all --new-session` with a minimal read-only root), both measured
   as their time minus a bare `python3 -c pass`, in the same run.
2. Unpacking a 100 MB bundle: `podium unpack` (SafeExtractor) against `bsdtar -xf`.

usage: sandbox.py BUILD_DIR WORKDIR [--runs N]
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import tarfile
import time


def timed(cmd, runs):
    for _ in range(3):
        subprocess.run(cmd, check=True, capture_output=True)
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("work")
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    work = os.path.abspath(args.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    python = "/usr/bin/python3"
    bundle = f"{work}/bundle"
    os.makedirs(bundle)
    with open(f"{work}/test.csv", "w") as f:
        f.write("id,x\n1,1\n")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    launcher = [f"{args.build}/podium-launcher", "--bundle", bundle, "--input", f"{work}/test.csv",
                "--root", f"{work}/root", "--policy", f"{repo}/sandbox/seccomp.policy", "--ro", "/usr",
                "--meta", f"{work}/meta", "--output", f"{work}/out.csv", "--", "python3", "-c", "pass"]
    os.makedirs(f"{work}/root")
    bwrap = ["bwrap", "--unshare-all", "--new-session", "--die-with-parent", "--ro-bind", "/usr", "/usr",
             "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
             "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--ro-bind", bundle, "/bundle",
             "--chdir", "/bundle", python, "-c", "pass"]
    bare = timed([python, "-c", "pass"], args.runs)
    ours = timed(launcher, args.runs)
    theirs = timed(bwrap, args.runs)
    rows = [("python3 -c pass, bare", bare, ""),
            ("podium-launcher (namespaces, cgroups, seccomp)", ours, f"overhead {1000 * (ours - bare):.1f} ms"),
            ("bubblewrap --unshare-all --new-session", theirs, f"overhead {1000 * (theirs - bare):.1f} ms")]

    # A 100 MB bundle: 40 files of random (incompressible) and 60 of repetitive data.
    rng = random.Random(1)
    src = f"{work}/bundle-src"
    os.makedirs(f"{src}/model")
    for i in range(100):
        with open(f"{src}/model/part{i:03d}.bin", "wb") as f:
            f.write(rng.randbytes(1 << 20) if i < 40 else bytes([i]) * (1 << 20))
    with open(f"{src}/bundle.yaml", "w") as f:
        f.write("run: python3 predict.py\n")
    archive = f"{work}/bundle.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as t:
        t.add(src, arcname=".")

    def fresh(name):
        d = f"{work}/{name}"
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    samples = {"podium": [], "bsdtar": []}
    for _ in range(max(3, args.runs // 6)):
        d = fresh("u1")
        t = time.perf_counter()
        subprocess.run([f"{args.build}/podium", "unpack", archive, d], check=True, capture_output=True)
        samples["podium"].append(time.perf_counter() - t)
        d = fresh("u2")
        t = time.perf_counter()
        subprocess.run(["bsdtar", "-xf", archive, "-C", d], check=True, capture_output=True)
        samples["bsdtar"].append(time.perf_counter() - t)
    p, b = statistics.median(samples["podium"]), statistics.median(samples["bsdtar"])
    rows.append(("podium unpack, 100 MB bundle", p, f"{100 / p:.0f} MB/s, {b / p:.2f}x bsdtar's speed (target >= 0.5)"))
    rows.append(("bsdtar -xf, 100 MB bundle", b, f"{100 / b:.0f} MB/s"))
    print("| measurement | median | note |")
    print("|---|---:|---|")
    for name, t, note in rows:
        print(f"| {name} | {1000 * t:.1f} ms | {note} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
