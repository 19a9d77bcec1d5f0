"""Tune the semantic matcher's thresholds on the development sentences and write them into the lexicon.

For every development text the reader reports, per finding, the best similarity of any piece
of the text that no phrase read. A finding's threshold is the one that best separates the texts
whose annotation names the finding (present or absent: the context decides which) from those
that do not: it maximises the texts rightly read less the texts wrongly read, a wrong reading
costing half as much for a warning sign (recall matters more there). A finding with fewer than
`--min-positives` annotated texts, or no threshold that reads more rightly than wrongly, keeps
the default of 0.85, which reads only close paraphrases (0.75 for a red-flag finding:
`red_flag_threshold` in the lexicon).

    .venv/bin/python scripts/tune_reader.py            # tune on every development set, write en.yaml
    .venv/bin/python scripts/tune_reader.py --leave-out reports --dry-run   # without one set

Development sets: data/parse/annotated.jsonl, data/parse/paraphrases.jsonl and the `narrative`
field of data/vignettes/external/exam.jsonl and reports.jsonl.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "annotated": ROOT / "data" / "parse" / "annotated.jsonl",
    "paraphrases": ROOT / "data" / "parse" / "paraphrases.jsonl",
    "exam": ROOT / "data" / "vignettes" / "external" / "exam.jsonl",
    "reports": ROOT / "data" / "vignettes" / "external" / "reports.jsonl",
}
GRID = [round(0.60 + 0.01 * step, 2) for step in range(36)]
WARNING_COST = 0.5


def development_items(names: Iterable[str]) -> list[tuple[str, set[str], set[str]]]:
    """(text, findings named present, findings named absent) for every line of the named sets."""
    items: list[tuple[str, set[str], set[str]]] = []
    for name in names:
        for line in SETS[name].read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if "findings" in row:
                present = {f for f, value in row["findings"].items() if value is True}
                absent = {f for f, value in row["findings"].items() if value is False}
                items.append((row["narrative"], present, absent))
            else:
                items.append((row["text"], set(row.get("present", [])), set(row.get("absent", []))))
    return items


def best_threshold(scores: list[tuple[float, bool]], cost: float) -> tuple[float, float, int, int, int]:
    """The threshold with the most texts rightly read less `cost` times those wrongly read (ties: the higher)."""
    best = (GRID[-1], 0.0, 0, 0, 0)
    for threshold in GRID:
        tp = sum(1 for score, positive in scores if positive and score >= threshold)
        fp = sum(1 for score, positive in scores if not positive and score >= threshold)
        fn = sum(1 for score, positive in scores if positive and score < threshold)
        value = tp - cost * fp
        if value > best[1]:
            best = (threshold, value, tp, fp, fn)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leave-out", action="append", default=[], choices=sorted(SETS))
    parser.add_argument("--min-positives", type=int, default=3)
    parser.add_argument("--dry-run", action="store_true", help="print the thresholds; do not write the lexicon")
    parser.add_argument("--cache", type=Path, help="keep the similarities in this JSON file and reuse them")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from spinecheck.adapters.nlp import NarrativeParser, lexicon_path, load_lexicon
    from spinecheck.core.kb.loader import load_knowledge_base
    from spinecheck.core.kb.schema import FindingCategory, expression_findings

    kb = load_knowledge_base()
    reader = NarrativeParser(kb.findings, load_lexicon(lexicon_path()))
    warning = {f.id for f in kb.findings.values() if f.category == FindingCategory.RED_FLAG}
    for rule in kb.red_flags:
        if rule.level.value in ("emergency", "urgent"):
            warning |= expression_findings(rule.when)
    names = [name for name in SETS if name not in args.leave_out]
    items = development_items(names)

    cache: dict[str, tuple[list[str], dict[str, float]]] = {}
    if args.cache and args.cache.exists():
        cache = json.loads(args.cache.read_text(encoding="utf-8"))
    per_key: dict[str, list[tuple[float, bool]]] = {}
    for text, present, absent in items:
        named = present | absent
        if text not in cache:
            parsed = reader.parse(text)
            by_phrase = sorted(
                f.id for f in [*parsed.present, *parsed.absent, *parsed.unknown] if f.via not in ("semantic", "implied")
            )
            cache[text] = (by_phrase, reader.similarities(text))
        by_phrase, similarities = cache[text]
        for key, score in similarities.items():
            kind, finding = key.split("|", 1)
            if kind == "normal" or finding in by_phrase:
                continue
            per_key.setdefault(finding, []).append((score, finding in named))

    thresholds: dict[str, float] = {}
    for finding, scores in sorted(per_key.items()):
        positives = sum(1 for _, positive in scores if positive)
        if positives < args.min_positives:
            continue
        cost = WARNING_COST if finding in warning else 1.0
        threshold, value, tp, fp, fn = best_threshold(scores, cost)
        if tp < 2 or value <= 0:
            continue
        thresholds[finding] = threshold
        print(f"{finding:40s} {threshold:.2f}  tp={tp} fp={fp} fn={fn}")
    print(f"{len(thresholds)} findings tuned on {len(items)} texts from {', '.join(names)}; "
          "the others keep the lexicon's default_threshold (red_flag_threshold for red-flag findings)")
    if args.cache:
        args.cache.write_text(json.dumps(cache), encoding="utf-8")
    if args.dry_run:
        return 0

    path = lexicon_path()
    text = path.read_text(encoding="utf-8")
    body = ", ".join(f"{finding}: {threshold:.2f}" for finding, threshold in sorted(thresholds.items()))
    wrapped = re.sub(r"(.{1,110})(?:, |$)", lambda m: "    " + m.group(1) + ",\n", body).rstrip(",\n")
    text = re.sub(r"  thresholds: \{[^}]*\}", "  thresholds: {\n" + wrapped + "\n  }", text)
    text = re.sub(r"  tuned_on: \[[^\]]*\]", "  tuned_on: [" + ", ".join(names) + "]", text)
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
