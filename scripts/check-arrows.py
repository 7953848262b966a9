#!/usr/bin/env python3
"""The arrows of DESIGN §6, checked: every Swift file imports only modules its target declares
in Package.swift, declared dependencies follow the layer table below, and the pure layers
import nothing that does I/O (no Foundation, GRDB, processes or HTTP).

usage: scripts/check-arrows.py   (exit 1 and a list on any crossing)
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# What each module may import besides the targets and products Package.swift declares for it.
SYSTEM_PURE = {"Glibc", "Darwin", "Dispatch", "Synchronization"}
SYSTEM_ANY = SYSTEM_PURE | {"Foundation"}
# The layers, lowest first: a target may depend only on targets of a lower layer (or C shims).
LAYERS = [
    {"PodiumParallel", "SandboxProtocol"},
    {"PodiumMetrics", "PodiumTables"},
    {"PodiumChecks"},
    {"PodiumDomain"},
    {"PodiumApp"},
    {"PodiumSystem", "PodiumSQLite", "PodiumFiles", "PodiumSandbox", "PodiumRendering", "PodiumPasswords",
     "PodiumClient", "PodiumPostgres"},
    {"PodiumHTTP", "PodiumWorker", "PodiumTestSupport"},
    {"podium"},
]
# Pure computation: no Foundation (so no file, process or network API beyond what the C shims give).
PURE = {"PodiumParallel", "PodiumMetrics", "PodiumChecks", "SandboxProtocol", "PodiumTables"}
# Adapters never import each other, except the shared POSIX helpers.
ADAPTERS = LAYERS[5]
SHARED_ADAPTER = {"PodiumSystem"}


def layer(name):
    for i, group in enumerate(LAYERS):
        if name in group:
            return i
    return None


def main():
    dump = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout)
    problems = []
    for target in dump["targets"]:
        name, kind = target["name"], target["type"]
        if kind not in ("regular", "executable") or name == "podium-launcher":
            continue
        declared = set()
        for dep in target.get("dependencies", []):
            for key in ("byName", "target", "product"):
                if key in dep:
                    declared.add(dep[key][0])
        own = layer(name)
        if own is None:
            problems.append(f"{name}: not in the layer table of scripts/check-arrows.py")
            continue
        for dep in declared:
            dep_layer = layer(dep)
            if dep_layer is None:
                continue  # a C shim or an external product
            if dep_layer > own or (dep_layer == own and dep not in SHARED_ADAPTER):
                problems.append(f"{name} depends on {dep}: an arrow pointing up or sideways")
        allowed = declared | (SYSTEM_PURE if name in PURE else SYSTEM_ANY)
        for path in sorted((ROOT / "Sources" / name).rglob("*.swift")):
            in_text = False  # inside a multi-line string literal (a template's text, not Swift)
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if line.count('"""') % 2 == 1:
                    in_text = not in_text
                    continue
                if in_text:
                    continue
                match = re.match(r"\s*(?:@\w+\s+)*import\s+(?:struct\s+|enum\s+|class\s+|func\s+)?([A-Za-z_]\w*)", line)
                if match and match.group(1) not in allowed:
                    problems.append(f"{path.relative_to(ROOT)}:{number}: imports {match.group(1)}, "
                                    f"which {name} does not declare (or may not use)")
    for p in problems:
        print(p)
    print(f"arrows: {len(problems)} crossing{'s' if len(problems) != 1 else ''}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
