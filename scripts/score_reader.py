"""How well the reader recovers hand-annotated findings: precision and recall, overall and for warning signs.

    .venv/bin/python scripts/score_reader.py                 # every annotated set
    .venv/bin/python scripts/score_reader.py --misses exam   # and what it missed or added on one

The external cases are scored on their `narrative` against the blind `findings` maps; the
sentence banks against their `present`/`absent` lists.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spinecheck.interfaces import wiring  # noqa: F401  (plugs the text reader in)
from spinecheck.services.assessment import load_model
from spinecheck.services.evaluation import read_published_sets
from spinecheck.services.narrative import reader_for
from spinecheck.services.reading import read_annotated, score_reading

ROOT = Path(__file__).resolve().parents[1]
PARSE = ROOT / "data" / "parse"
EXTERNAL = ROOT / "data" / "vignettes" / "external"
SETS = {
    "annotated": PARSE / "annotated.jsonl",
    "paraphrases": PARSE / "paraphrases.jsonl",
    "external_annotated": PARSE / "external_annotated.jsonl",
    **{name: EXTERNAL / f"{name}.jsonl" for name in read_published_sets(EXTERNAL).every},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", help=f"any of {', '.join(SETS)} (default: all)")
    parser.add_argument("--misses", action="store_true", help="list each text's misses and extras")
    args = parser.parse_args()
    model = load_model()
    reader = reader_for(model)
    for name in args.sets or list(SETS):
        if name not in SETS:
            parser.error(f"unknown set '{name}'")
        if not SETS[name].exists():
            continue
        score = score_reading(reader, model, read_annotated(SETS[name]))
        print(name.ljust(20), json.dumps(score.summary()))
        if args.misses:
            print("\n".join("    " + line for line in score.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
