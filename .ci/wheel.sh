#!/usr/bin/env bash
# Builds dist/modelgate_registry-<version>-py3-none-manylinux_<glibc>_<arch>.whl from the release binary: stages the
# binary with the libraries it needs beyond glibc (.ci/bundle-libraries.sh, as the release archive does),
# then builds python/ with hatchling, whose build hook (python/hatch_build.py) puts the staged bin/ and lib/
# into the package and tags the wheel for this machine's glibc and architecture. Reproducible for a commit
# (SOURCE_DATE_EPOCH is the commit's time).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:?usage: wheel.sh BINARY PYTHON}
python=${2:?usage: wheel.sh BINARY PYTHON (a Python with build and hatchling)}
stage="$PWD/.build/wheel-stage"

rm -rf "$stage" && mkdir -p "$stage/bin" dist
install -m 755 "$binary" "$stage/bin/modelgate"
.ci/bundle-libraries.sh "$stage"

rm -f dist/modelgate_registry-*.whl
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 315532800) MODELGATE_WHEEL_STAGE="$stage" \
  "$python" -m build --wheel --no-isolation --outdir dist python
