"""Record what the free-text reader makes of every text in the repository, to compare two versions.

Run: .venv/bin/python benchmarks/record_readings.py OUT.json [--compare OTHER.json]

Reads every `narrative` and `narrative_patient` of data/vignettes/*.jsonl and
data/vignettes/external/*.jsonl and every `text` of data/parse/*.jsonl with the shipped reader,
and writes each full parse result (findings with their spans, sides, context, cues and how they
were read; age, sex, laterality, what was not understood) as JSON. With `--compare`, it then
lists every text whose reading differs from the other file and exits 1 if any does. A change
meant only to make the reader faster must leave the recording unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("narrative", "narrative_patient", "text")


def texts() -> list[tuple[str, str]]:
    """(where, text) for every text to read, in a fixed order."""
    files = [
        *sorted((ROOT / "data" / "vignettes").glob("*.jsonl")),
        *sorted((ROOT / "data" / "vignettes" / "external").glob("*.jsonl")),
        *sorted((ROOT / "data" / "parse").glob("*.jsonl")),
    ]
    found: list[tuple[str, str]] = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            for name in FIELDS:
                value = record.get(name)
                if isinstance(value, str) and value.strip():
                    found.append((f"{path.relative_to(ROOT)}:{number}:{name}", value))
    return found


def record() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "tests"))
    from nlp_support import shipped_parser

    reader = shipped_parser()
    return {where: reader.parse(text).model_dump(mode="json") for where, text in texts()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the readings (JSON)")
    parser.add_argument("--compare", type=Path, help="readings of another version to compare with")
    args = parser.parse_args()
    readings = record()
    args.out.write_text(json.dumps(readings, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(readings)} texts read, written to {args.out}")
    if args.compare is None:
        return
    other = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = sorted(key for key in readings.keys() | other.keys() if readings.get(key) != other.get(key))
    for key in differ[:50]:
        print(f"differs: {key}")
    print(f"{len(differ)} of {len(readings.keys() | other.keys())} texts read differently")
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
