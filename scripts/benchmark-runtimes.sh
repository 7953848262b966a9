#!/usr/bin/env bash
# Benchmarks the bundle runtimes: size on disk, cold start in the sandbox against outside it.
# usage: scripts/benchmark-runtimes.sh [--runs N]   (as root; after scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product podium >&2
swift build -c release --product podium-launcher --static-swift-stdlib >&2
/usr/bin/python3 scripts/bench/runtimes.py "$PWD/.build/release" "$@"
