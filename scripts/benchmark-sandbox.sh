#!/usr/bin/env bash
# Benchmarks the sandbox: start-up overhead against bubblewrap, unpacking against bsdtar.
# usage: scripts/benchmark-sandbox.sh [--runs N]   (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v bwrap >/dev/null || apt-get install -y bubblewrap
command -v bsdtar >/dev/null || apt-get install -y libarchive-tools
swift build -c release --product podium >&2
swift build -c release --product podium-launcher --static-swift-stdlib >&2
/usr/bin/python3 scripts/bench/sandbox.py "$PWD/.build/release" /tmp/podium-sandbox-bench "$@"
