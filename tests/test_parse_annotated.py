"""Accuracy of the free-text reader on the annotated sentences in data/parse/annotated.jsonl.

Each line: {"id", "text", "present": [ids], "absent": [ids], "age": null|int, "sex": null|"female"|"male"}.
Present findings are scored for precision and recall. A finding the reader only deduced from
another (via "implied", such as leg weakness from weakness in both legs) counts when the
annotation lists it and is not held against precision when it does not. Red-flag findings are
held to a stricter standard: not one may be marked absent unless annotated absent, and at
most three may be marked present unless annotated present (the semantic matcher reads a few
loose pieces as warning signs: "my leg is worse" as progressive weakness, "can't keep my legs
still" and "can barely get out of bed" as severe weakness; the reader errs towards asking).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlp_support import present_counts, shipped_findings, shipped_parser
from spinecheck.core.kb.schema import FindingCategory

ANNOTATED = Path(__file__).resolve().parents[1] / "data" / "parse" / "annotated.jsonl"

pytestmark = pytest.mark.skipif(
    not ANNOTATED.exists(), reason="data/parse/annotated.jsonl is not in the repository yet"
)


def sentences() -> list[dict[str, Any]]:
    lines = ANNOTATED.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def scored() -> dict[str, Any]:
    red_flags = {f.id for f in shipped_findings().values() if f.category == FindingCategory.RED_FLAG}
    true_positive = false_positive = false_negative = 0
    red_flag_errors: list[str] = []
    red_flag_extras: list[str] = []
    misses: list[str] = []
    for item in sentences():
        result = shipped_parser().parse(item["text"])
        expected_present, expected_absent = set(item.get("present", [])), set(item.get("absent", []))
        stated = {f.id for f in result.present if f.via != "implied"}
        found = set(result.present_ids)
        tp, fp, fn = present_counts(result, expected_present)
        true_positive, false_positive, false_negative = true_positive + tp, false_positive + fp, false_negative + fn
        if fp or fn:
            misses.append(f"{item['id']}: extra {sorted(stated - expected_present)}, "
                          f"missed {sorted(expected_present - found)}")
        for finding in (found & red_flags) - expected_present:
            red_flag_extras.append(f"{item['id']}: {finding} marked present: {item['text']!r}")
        for finding in (set(result.absent_ids) & red_flags) - expected_absent:
            red_flag_errors.append(f"{item['id']}: {finding} marked absent: {item['text']!r}")
    return {
        "n": len(sentences()),
        "precision": true_positive / max(1, true_positive + false_positive),
        "recall": true_positive / max(1, true_positive + false_negative),
        "red_flag_errors": red_flag_errors,
        "red_flag_extras": red_flag_extras,
        "misses": misses,
    }


def test_the_set_holds_at_least_250_sentences(scored: dict[str, Any]) -> None:
    assert scored["n"] >= 250


def test_every_annotated_id_is_a_known_finding() -> None:
    known = shipped_findings().keys()
    unknown = {
        f"{item['id']}: {finding}"
        for item in sentences() for finding in [*item.get("present", []), *item.get("absent", [])]
        if finding not in known
    }
    assert sorted(unknown) == []


def test_precision_for_present_findings_is_at_least_0_92(scored: dict[str, Any]) -> None:
    assert scored["precision"] >= 0.92, "\n".join(scored["misses"][:40])


def test_recall_for_present_findings_is_at_least_0_90(scored: dict[str, Any]) -> None:
    assert scored["recall"] >= 0.90, "\n".join(scored["misses"][:40])


def test_no_red_flag_is_wrongly_absent(scored: dict[str, Any]) -> None:
    assert scored["red_flag_errors"] == []


def test_at_most_three_red_flags_are_wrongly_present(scored: dict[str, Any]) -> None:
    assert len(scored["red_flag_extras"]) <= 3, "\n".join(scored["red_flag_extras"])
