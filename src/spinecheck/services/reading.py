"""Use-case: how well the text reader recovers findings that people annotated by hand.

Two kinds of annotated text are scored the same way: sentences with the findings they state
present and absent (`data/parse/*.jsonl`), and cases whose hand-made `findings` map was drawn
from their `narrative` (`data/vignettes/external/*.jsonl`). Precision and recall are counted on
present findings; a finding the reader only deduced from another ("implied") counts when
annotated and is not held against precision when not. Warning signs (the red-flag findings and
every finding an urgent or emergency rule reads) are also scored on their own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spinecheck.core.kb.schema import FindingCategory, exception_findings, expression_findings
from spinecheck.core.model import CompiledModel
from spinecheck.core.text import TextReader
from spinecheck.core.triage_levels import TriageLevel


@dataclass(frozen=True)
class AnnotatedText:
    id: str
    text: str
    present: frozenset[str]
    absent: frozenset[str]


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        return self.true_positive / max(1, self.true_positive + self.false_positive)

    @property
    def recall(self) -> float:
        return self.true_positive / max(1, self.true_positive + self.false_negative)


@dataclass
class ReadingScore:
    """Present findings, warning signs, and findings annotated absent (recall of 'absent' only)."""

    texts: int = 0
    present: Counts = field(default_factory=Counts)
    warning: Counts = field(default_factory=Counts)
    absent: Counts = field(default_factory=Counts)
    misses: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float | int]:
        return {
            "texts": self.texts,
            "precision": round(self.present.precision, 3),
            "recall": round(self.present.recall, 3),
            "warning_precision": round(self.warning.precision, 3),
            "warning_recall": round(self.warning.recall, 3),
            "warning_annotated": self.warning.true_positive + self.warning.false_negative,
            "absent_recall": round(self.absent.recall, 3),
        }


def warning_signs(model: CompiledModel) -> set[str]:
    """The red-flag findings and every finding an urgent or emergency rule reads (not its exceptions)."""
    kb = model.kb
    signs = {f.id for f in kb.findings.values() if f.category == FindingCategory.RED_FLAG}
    for rule in kb.red_flags:
        if rule.level in (TriageLevel.URGENT, TriageLevel.EMERGENCY):
            signs |= expression_findings(rule.when) - exception_findings(rule.when)
    return signs


def read_annotated(path: Path, text_field: str = "narrative") -> list[AnnotatedText]:
    """Sentences (`text`, `present`, `absent`) or cases (`narrative`, `findings` map) from a JSONL file."""
    items: list[AnnotatedText] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "findings" in row:
            findings = row["findings"]
            items.append(AnnotatedText(
                row["id"], row[text_field],
                frozenset(f for f, value in findings.items() if value is True),
                frozenset(f for f, value in findings.items() if value is False),
            ))
        else:
            items.append(AnnotatedText(
                row["id"], row["text"], frozenset(row.get("present", [])), frozenset(row.get("absent", []))
            ))
    return items


def score_reading(reader: TextReader, model: CompiledModel, items: Iterable[AnnotatedText]) -> ReadingScore:
    """Precision and recall of the reader against the annotations, overall and for warning signs."""
    signs = warning_signs(model)
    score = ReadingScore()
    for item in items:
        result = reader.parse(item.text)
        stated = {f.id for f in result.present if f.via != "implied"}
        found = set(result.present_ids)
        score.texts += 1
        for counts, wanted in ((score.present, None), (score.warning, signs)):
            expected = set(item.present) if wanted is None else set(item.present) & wanted
            extra = stated - set(item.present)
            extra = extra if wanted is None else extra & wanted
            counts.true_positive += len(found & expected)
            counts.false_positive += len(extra)
            counts.false_negative += len(expected - found)
        denied = set(result.absent_ids)
        score.absent.true_positive += len(denied & item.absent)
        score.absent.false_negative += len(item.absent - denied)
        missed, extra = set(item.present) - found, stated - set(item.present)
        if missed or extra:
            score.misses.append(f"{item.id}: missed {sorted(missed)}, extra {sorted(extra)}")
    return score
