#!/usr/bin/env python3
"""Times `podium score` end to end (process start to JSON printed) against pandas +
scikit-learn, polars and pytrec_eval, in the same run, on generated data.

usage: run.py PODIUM_BINARY DATA_DIR [--runs N] [--quick] [--check]
Prints a markdown table of median wall times, ratios to Podium, and peak memory, then one row
per case: its time against the in-order (grouped) case and the other tools' times against Podium's.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(cmd):
    """Runs cmd; returns (seconds, peak RSS bytes of that process, stdout, CPU seconds)."""
    import tempfile
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"failed: {' '.join(cmd)}\n{err.read().decode()}")
    return seconds, usage.ru_maxrss * 1024, out.decode(), usage.ru_utime + usage.ru_stime


def scores(stdout):
    data = json.loads(stdout)
    return data["scores"] if "scores" in data else data


def agree(a, b):
    for split in ("public", "private"):
        for metric, value in b[split].items():
            if abs(a[split][metric] - value) > 1e-9 * max(1.0, abs(value)):
                return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("podium")
    ap.add_argument("data")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--check", action="store_true", help="exit 1 when a target of issue 10 is missed")
    ap.add_argument("--quick", action="store_true",
                    help="the four id-order cases at 1M binary rows and 10k ranking queries (grouped and shuffled)")
    args = ap.parse_args()
    py = sys.executable
    n, label, q = ("1000000", "1M", "10000") if args.quick else ("10000000", "10M", "100000")
    # The four id-order cases of a binary challenge, then ranking grouped and shuffled.
    sets = [
        (f"binary {label} rows, sequential ids in order", f"b{label.lower()}", ["binary", n]),
        (f"binary {label} rows, random integer ids in the solution's order", f"b{label.lower()}-int",
         ["binary", n, "--ids", "int"]),
        (f"binary {label} rows, random integer ids shuffled", f"b{label.lower()}-int-shuffled",
         ["binary", n, "--ids", "int", "--shuffle"]),
        (f"binary {label} rows, UUID ids shuffled", f"b{label.lower()}-uuid-shuffled",
         ["binary", n, "--ids", "uuid", "--shuffle"]),
        (f"ranking {q[:-3]}k queries x 100 items", f"r{q[:-3]}k", ["ranking", q, "100"]),
        (f"ranking {q[:-3]}k queries x 100 items, rows shuffled", f"r{q[:-3]}k-shuffled",
         ["ranking", q, "100", "--shuffle"]),
    ]
    rows = []
    summary = []
    for title, name, gen in sets:
        folder = os.path.join(args.data, name)
        if not os.path.exists(os.path.join(folder, "submission.csv")):
            print(f"generating {title} ...", file=sys.stderr)
            subprocess.run([py, os.path.join(HERE, "generate.py")] + gen + [folder], check=True)
        sub = os.path.join(folder, "submission.csv")
        size = os.path.getsize(sub) + os.path.getsize(os.path.join(folder, "solution.csv"))
        tools = [("podium", [args.podium, "score", "--challenge", folder, sub, "--json"])]
        if gen[0] == "binary":
            tools += [("pandas + scikit-learn", [py, os.path.join(HERE, "binary_pandas.py"), folder, sub]),
                      ("polars", [py, os.path.join(HERE, "binary_polars.py"), folder, sub])]
        else:
            tools += [("pytrec_eval", [py, os.path.join(HERE, "ranking_pytrec.py"), folder, sub]),
                      ("polars", [py, os.path.join(HERE, "ranking_polars.py"), folder, sub])]
        # The read-only floor: map both files and touch every page.
        floor = [py, "-c", "import mmap,sys\nfor p in sys.argv[1:]:\n f=open(p,'rb'); m=mmap.mmap(f.fileno(),0,prot=mmap.PROT_READ); m[::4096]", sub, os.path.join(folder, "solution.csv")]
        reference = None
        results = []
        for tool, cmd in tools:
            measure(cmd)  # warm the page cache and the interpreter
            times, peaks, cpus, out = [], [], [], None
            for _ in range(args.runs):
                t, peak, out, cpu = measure(cmd)
                times.append(t)
                peaks.append(peak)
                cpus.append(cpu)
            got = scores(out)
            if reference is None:
                reference = got
            elif not agree(reference, got):
                sys.exit(f"{tool} disagrees with podium on {title}: {got} vs {reference}")
            results.append((tool, statistics.median(times), max(peaks), statistics.median(cpus)))
            print(f"{title}: {tool} {statistics.median(times):.3f} s", file=sys.stderr)
        floor_times = [measure(floor)[0] for _ in range(args.runs)]
        base = results[0][1]
        for tool, t, mem, cpu in results:
            rows.append((title, tool, t, t / base, mem, mem / size, cpu))
        rows.append((title, "read-only floor (python mmap, touch every page)", statistics.median(floor_times),
                     statistics.median(floor_times) / base, None, None, None))
        rows.append((title, f"(files: {size / 1e6:.0f} MB)", None, None, None, None, None))
        summary.append((title, results, size))
    # CPU seconds (user + system, median) are steadier than wall time on a shared machine.
    print("| data | tool | median s | × Podium's time | peak MB | peak / file size | CPU s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for title, tool, t, ratio, mem, share, cpu in rows:
        print(f"| {title} | {tool} | {'' if t is None else f'{t:.3f}'} | {'' if ratio is None else f'{ratio:.1f}'} | "
              f"{'' if mem is None else f'{mem / 1e6:.0f}'} | {'' if share is None else f'{share:.2f}'} | "
              f"{'' if cpu is None else f'{cpu:.2f}'} |")

    # Each case against the first of its kind (in-order binary, grouped ranking), all from this run.
    print()
    # Issue 10's targets: binary ≥ 15× pandas + scikit-learn and ≥ 5× polars, shuffled cases
    # within 1.5× of the in-order one, peak ≤ 1.5× the files; ranking shuffled within 2× of grouped.
    print("| case | Podium s | × first case | pandas + scikit-learn / Podium | polars / Podium | Podium peak / files | targets |")
    print("|---|---:|---:|---:|---:|---:|---|")
    first = {}
    missed = []
    for title, results, size in summary:
        kind = title.split()[0]
        podium = results[0][1]
        first.setdefault(kind, podium)
        others = {tool: t / podium for tool, t, _, _ in results[1:]}
        baseline = others.get("pandas + scikit-learn", others.get("pytrec_eval"))
        share = results[0][2] / size
        slower = podium / first[kind]
        if kind == "binary":
            checks = [("15x pandas", baseline >= 15), ("5x polars", others["polars"] >= 5)]
            if not args.quick:  # at 1M rows the process's fixed memory outweighs the files
                checks.append(("peak 1.5x", share <= 1.5))
            if "shuffled" in title:
                checks.append(("1.5x in-order", slower <= 1.5))
        else:
            checks = [("2x grouped", slower <= 2)] if "shuffled" in title else []
        misses = [name for name, ok in checks if not ok]
        missed += [f"{title}: {name}" for name in misses]
        print(f"| {title} | {podium:.3f} | {slower:.2f} | {baseline:.1f}"
              f"{'' if 'pandas + scikit-learn' in others else ' (pytrec_eval)'} | {others['polars']:.1f} | "
              f"{share:.2f} | {'missed: ' + ', '.join(misses) if misses else 'met'} |")
    if args.check and missed:
        sys.exit("targets missed:\n" + "\n".join(missed))


if __name__ == "__main__":
    main()
