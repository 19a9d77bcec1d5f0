#!/usr/bin/env bash
# Create .venv and install the locked dependencies and spinecheck itself, and WeasyPrint's Debian
# libraries when they are missing. Safe to run again: it only installs what the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-packages.sh pdf
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.lock-$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # The lock is complete (every transitive dependency pinned), so it is installed as it stands:
  # --no-deps keeps pip from re-resolving WordLlama's declared numpy>=2 (requirements-overrides.txt).
  .venv/bin/python -m pip install --quiet --no-deps -r requirements.lock
  .venv/bin/python -m pip install --quiet --no-deps -e .
  rm -f .venv/.lock-*
  touch "$stamp"
fi
# An editable install leaves spinecheck's own modules uncompiled, and a machine that sets
# PYTHONDONTWRITEBYTECODE would then compile them at every start: compile them once here, as pip
# does for the packages it installs (only files changed since the last run are compiled again).
.venv/bin/python -m compileall -q src >/dev/null
# Build the free-text reader once, so that its kept work (the parsed lexicon, the vectors of every
# finding's names: adapters/nlp/build_cache.py) is in the user's cache folder before the first check.
.venv/bin/spinecheck parse "back pain" >/dev/null || echo "setup: the free-text reader could not be built (see: spinecheck parse 'back pain')" >&2
