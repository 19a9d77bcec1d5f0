#!/usr/bin/env bash
# Set everything up, then start the web pages and the REST API on http://127.0.0.1:8000/.
# With arguments, run the spinecheck command line instead, for example:
#   bash scripts/run.sh check --present low_back_pain --age 45
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "$#" -eq 0 ]; then
  exec .venv/bin/python -m spinecheck.interfaces.http.server --host 127.0.0.1 --port "${SPINECHECK_PORT:-8000}"
fi
exec .venv/bin/spinecheck "$@"
