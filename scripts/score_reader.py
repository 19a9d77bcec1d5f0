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
from spinecheck.services.narrative import reader_for
from spinecheck.services.reading import read_annotated, score_reading

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "annotated": ROOT / "data" / "parse" / "annotated.jsonl",
    "paraphrases": ROOT / "data" / "parse" / "paraphrases.jsonl",
    "external_annotated": ROOT / "data" / "parse" / "external_annotated.jsonl",
    "exam": ROOT / "data" / "vignettes" / "external" / "exam.jsonl",
    "reports": ROOT / "data" / "vignettes" / "external" / "reports.jsonl",
    "exam_more": ROOT / "data" / "vignettes" / "external" / "exam_more.jsonl",
    "reports_more": ROOT / "data" / "vignettes" / "external" / "reports_more.jsonl",
    "exam_third": ROOT / "data" / "vignettes" / "external" / "exam_third.jsonl",
    "reports_third": ROOT / "data" / "vignettes" / "external" / "reports_third.jsonl",
    "exam_fourth": ROOT / "data" / "vignettes" / "external" / "exam_fourth.jsonl",
    "reports_fourth": ROOT / "data" / "vignettes" / "external" / "reports_fourth.jsonl",
    "exam_fifth": ROOT / "data" / "vignettes" / "external" / "exam_fifth.jsonl",
    "reports_fifth": ROOT / "data" / "vignettes" / "external" / "reports_fifth.jsonl",
    "exam_sixth": ROOT / "data" / "vignettes" / "external" / "exam_sixth.jsonl",
    "reports_sixth": ROOT / "data" / "vignettes" / "external" / "reports_sixth.jsonl",
    "exam_eighth": ROOT / "data" / "vignettes" / "external" / "exam_eighth.jsonl",
    "reports_eighth": ROOT / "data" / "vignettes" / "external" / "reports_eighth.jsonl",
    "reports_ninth": ROOT / "data" / "vignettes" / "external" / "reports_ninth.jsonl",
    "reports_tenth": ROOT / "data" / "vignettes" / "external" / "reports_tenth.jsonl",
    "reports_eleventh": ROOT / "data" / "vignettes" / "external" / "reports_eleventh.jsonl",
    "exam_twelfth": ROOT / "data" / "vignettes" / "external" / "exam_twelfth.jsonl",
    "reports_thirteenth": ROOT / "data" / "vignettes" / "external" / "reports_thirteenth.jsonl",
    "reports_fourteenth": ROOT / "data" / "vignettes" / "external" / "reports_fourteenth.jsonl",
    "reports_fifteenth": ROOT / "data" / "vignettes" / "external" / "reports_fifteenth.jsonl",
    "reports_sixteenth": ROOT / "data" / "vignettes" / "external" / "reports_sixteenth.jsonl",
    "reports_seventeenth": ROOT / "data" / "vignettes" / "external" / "reports_seventeenth.jsonl",
    "reports_eighteenth": ROOT / "data" / "vignettes" / "external" / "reports_eighteenth.jsonl",
    "reports_nineteenth": ROOT / "data" / "vignettes" / "external" / "reports_nineteenth.jsonl",
    "reports_twentieth": ROOT / "data" / "vignettes" / "external" / "reports_twentieth.jsonl",
    "reports_twentyfirst": ROOT / "data" / "vignettes" / "external" / "reports_twentyfirst.jsonl",
    "reports_twentysecond": ROOT / "data" / "vignettes" / "external" / "reports_twentysecond.jsonl",
    "reports_twentythird": ROOT / "data" / "vignettes" / "external" / "reports_twentythird.jsonl",
    "exam_seventh": ROOT / "data" / "vignettes" / "external" / "exam_seventh.jsonl",
    "reports_seventh": ROOT / "data" / "vignettes" / "external" / "reports_seventh.jsonl",
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
