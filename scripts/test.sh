#!/usr/bin/env bash
# Set everything up, then run every check: lint, types, layers, the knowledge base, and the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-browser.sh
bash scripts/install-system-packages.sh postgres   # the tests start their own server on 127.0.0.1 and stop it
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff";          ruff check src tests benchmarks
echo "== mypy";          mypy
echo "== import-linter"; lint-imports
echo "== knowledge base"; spinecheck kb validate && spinecheck kb lint
echo "== pytest";        pytest "$@"
