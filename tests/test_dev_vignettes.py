"""Accuracy and triage safety on the development vignettes, findings mode (issues: core, full breadth)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from spinecheck.core.model import CompiledModel
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services.evaluation import EvalReport, Vignette, evaluate_vignettes, read_vignettes

VIGNETTES = Path(__file__).parents[1] / "data" / "vignettes"
# The sets with findings; second.jsonl and holdout.jsonl are narratives only (see docs/vignettes.md).
DEV_FILES = [VIGNETTES / "dev.jsonl", VIGNETTES / "groups.jsonl", VIGNETTES / "conditions.jsonl"]


def development_set() -> list[Vignette]:
    """The general set (dev.jsonl), the population groups (groups.jsonl) and the conditions beyond
    the spine (conditions.jsonl)."""
    return [vignette for path in DEV_FILES for vignette in read_vignettes(path)]


@pytest.fixture(scope="module")
def report(model: CompiledModel) -> EvalReport:
    return evaluate_vignettes(model, development_set(), "findings")


def test_the_development_set_covers_every_condition_at_least_four_times(model: CompiledModel) -> None:
    vignettes = development_set()
    counts = Counter(model.kb.condition_by_name(v.gold_condition).id for v in vignettes)  # type: ignore[union-attr]
    assert len(vignettes) >= 160
    assert {c for c in model.condition_ids if counts[c] < 4} == set()


def test_the_development_set_uses_all_four_triage_levels() -> None:
    assert {v.gold_triage for v in development_set()} == set(TriageLevel)


def test_every_vignette_names_where_its_facts_come_from() -> None:
    assert all(v.source.strip() for v in development_set())


def test_no_emergency_is_missed(report: EvalReport) -> None:
    assert report.emergency_sensitivity == 1.0


def test_under_triage_is_at_most_three_percent(report: EvalReport) -> None:
    assert report.under_triage <= 0.03


def test_triage_is_exact_in_at_least_85_percent(report: EvalReport) -> None:
    assert report.triage_exact >= 0.85


def test_the_gold_condition_ranks_first_in_at_least_75_percent(report: EvalReport) -> None:
    assert report.top1 >= 0.75


def test_the_gold_condition_is_in_the_top_three_in_at_least_92_percent(report: EvalReport) -> None:
    assert report.top3 >= 0.92


def test_every_vignette_condition_is_known_to_the_knowledge_base(report: EvalReport) -> None:
    assert report.out_of_scope == 0
