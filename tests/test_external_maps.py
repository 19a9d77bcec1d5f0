"""The findings maps of the external development cases speak the knowledge base's language.

The cases are scored from their `findings` maps; a misspelt id or two answers to one choice would
quietly change what a case says, so every map is checked against the catalogue.
"""

from __future__ import annotations

import json
from pathlib import Path

from spinecheck.core.model import CompiledModel

EXTERNAL = sorted((Path(__file__).resolve().parents[1] / "data" / "vignettes" / "external").glob("*.jsonl"))


def maps() -> dict[str, dict[str, object]]:
    rows = [json.loads(line) for path in EXTERNAL for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {row["id"]: row["findings"] for row in rows}


def test_every_mapped_finding_is_in_the_catalogue_and_is_true_or_false(model: CompiledModel) -> None:
    found = maps()
    assert len(found) >= 150
    unknown = {case: sorted(set(findings) - model.finding_index.keys()) for case, findings in found.items()}
    assert {case: ids for case, ids in unknown.items() if ids} == {}
    not_boolean = {
        case: sorted(f for f, v in findings.items() if not isinstance(v, bool)) for case, findings in found.items()
    }
    assert {case: ids for case, ids in not_boolean.items() if ids} == {}


def test_no_map_gives_two_answers_to_one_choice(model: CompiledModel) -> None:
    clashes = {
        (case, group): present
        for case, findings in maps().items()
        for group, members in model.exclusive_groups.items()
        if len(present := [m for m in members if findings.get(m) is True]) > 1
    }
    assert clashes == {}
