#!/usr/bin/env bash
# Set everything up, then run spinecheck. With no arguments it shows an example
# assessment; any arguments are passed to the spinecheck command line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "$#" -eq 0 ]; then
  set -- check --present low_back_pain,leg_pain_below_knee,leg_pain_unilateral --absent bladder_retention,saddle_numbness,fever --age 42 --sex male
fi
exec .venv/bin/spinecheck "$@"
