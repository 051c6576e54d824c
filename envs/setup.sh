#!/usr/bin/env bash
# Create (or refresh) .venv with the locked environment and the package, idempotently.
#   bash envs/setup.sh            # uses python3.11 if found, else python3 (must be 3.11+)
# The environment is rebuilt only when envs/requirements.lock or pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-$(command -v python3.11 || command -v python3)}
stamp=.venv/.environment-sha256
want=$(cat envs/requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
echo "setting up .venv with $("$PY" --version) from envs/requirements.lock ..." >&2
"$PY" -m venv --clear .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
  -r envs/requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
  --no-build-isolation -e .
echo "$want" > "$stamp"
