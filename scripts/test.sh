#!/usr/bin/env bash
# Builds Podium and runs every test (unit, conformance, end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
