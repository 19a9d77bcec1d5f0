"""Narrative mode on the development vignettes: every emergency caught, the gold in the top three."""

from __future__ import annotations

from pathlib import Path

import pytest

import spinecheck.interfaces.wiring  # noqa: F401  (plugs the medspaCy reader into the services)
from spinecheck.core.model import CompiledModel
from spinecheck.services import evaluation

DEV = Path(__file__).resolve().parents[1] / "data" / "vignettes" / "dev.jsonl"

pytestmark = pytest.mark.skipif(not DEV.exists(), reason="data/vignettes/dev.jsonl is not in the repository yet")


@pytest.fixture(scope="module")
def report(model: CompiledModel) -> evaluation.EvalReport:
    return evaluation.evaluate_vignettes(model, evaluation.read_vignettes(DEV), "narrative")


def _misses(report: evaluation.EvalReport) -> str:
    return "\n".join(
        f"{row.id}: gold {row.gold_condition} rank {row.rank}, triage {row.predicted_triage} (gold {row.gold_triage})"
        for row in report.rows if row.rank is None or row.rank > 3 or row.predicted_triage != row.gold_triage
    )


def test_every_emergency_vignette_is_triaged_as_an_emergency(report: evaluation.EvalReport) -> None:
    assert report.emergency_sensitivity == 1.0, _misses(report)


def test_the_gold_condition_is_in_the_top_three_for_90_percent(report: evaluation.EvalReport) -> None:
    assert report.top3 >= 0.90, _misses(report)


def test_at_most_one_in_ten_descriptions_is_under_triaged(report: evaluation.EvalReport) -> None:
    assert report.under_triage <= 0.10, [
        (row.id, row.gold_triage.value, row.predicted_triage.value)
        for row in report.rows if row.predicted_triage.rank < row.gold_triage.rank
    ]


SECOND = DEV.with_name("second.jsonl")


@pytest.fixture(scope="module")
def second_report(model: CompiledModel) -> evaluation.EvalReport:
    return evaluation.evaluate_vignettes(model, evaluation.read_vignettes(SECOND), "narrative")


def test_in_the_second_set_every_emergency_is_triaged_as_an_emergency(second_report: evaluation.EvalReport) -> None:
    assert second_report.emergency_sensitivity == 1.0, _misses(second_report)


def test_in_the_second_set_the_gold_condition_is_in_the_top_three_for_85_percent(
    second_report: evaluation.EvalReport,
) -> None:
    assert second_report.top3 >= 0.85, _misses(second_report)


REPORTS = DEV.with_name("reports.jsonl")


def test_in_the_case_report_set_every_emergency_is_triaged_as_an_emergency(model: CompiledModel) -> None:
    report = evaluation.evaluate_vignettes(model, evaluation.read_vignettes(REPORTS), "narrative")
    assert report.emergency_sensitivity == 1.0, _misses(report)
