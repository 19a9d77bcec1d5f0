"""Interview mode on the development vignettes: safe triage in few questions, the differential kept.

A simulated patient answers the engine's questions from each vignette's findings and says
"don't know" to everything else.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinecheck.core.interview import interview_policy
from spinecheck.core.model import CompiledModel
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services import interview
from spinecheck.services.evaluation import EvalReport, Vignette, evaluate_vignettes, read_vignettes

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "vignettes" / "dev.jsonl"
EMERGENCY_WITHIN = 6

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DEV_SET.exists(), reason=f"the development vignettes ({DEV_SET.name}) are not there yet"),
]


@pytest.fixture(scope="module")
def vignettes() -> list[Vignette]:
    return read_vignettes(DEV_SET)


@pytest.fixture(scope="module")
def findings_report(model: CompiledModel, vignettes: list[Vignette]) -> EvalReport:
    return evaluate_vignettes(model, vignettes, "findings")


@pytest.fixture(scope="module")
def interview_report(model: CompiledModel, vignettes: list[Vignette]) -> EvalReport:
    return evaluate_vignettes(model, vignettes, "interview")


def test_every_emergency_is_recognised(interview_report: EvalReport) -> None:
    assert interview_report.emergency_sensitivity == 1.0, [
        row.id for row in interview_report.rows
        if row.gold_triage == TriageLevel.EMERGENCY and row.predicted_triage != TriageLevel.EMERGENCY
    ]


def test_under_triage_is_at_most_three_percent(interview_report: EvalReport) -> None:
    assert interview_report.under_triage <= 0.03, [
        (row.id, row.gold_triage.value, row.predicted_triage.value) for row in interview_report.rows
        if row.predicted_triage.rank < row.gold_triage.rank
    ]


def test_top3_keeps_at_least_95_percent_of_the_findings_mode_top3(
    interview_report: EvalReport, findings_report: EvalReport
) -> None:
    assert interview_report.top3 >= 0.95 * findings_report.top3


@pytest.fixture(scope="module")
def transcripts(model: CompiledModel, vignettes: list[Vignette]) -> dict[str, interview.Transcript]:
    """Each vignette's simulated interview."""
    return {
        vignette.id: interview.simulate(
            model, {f: v for f, v in vignette.findings.items() if f in model.finding_index}, vignette.age, vignette.sex
        )
        for vignette in vignettes
    }


def _after_the_opening(model: CompiledModel, transcript: interview.Transcript, upto: int | None = None) -> int:
    """Questions asked (up to `upto`) not counting the opening (where it hurts, how bad), which everyone is asked."""
    opening = set(interview_policy(model).opening)
    turns = transcript.turns[:upto] if upto is not None else transcript.turns
    return sum(1 for question, _, _ in turns if question.id not in opening)


def test_half_the_interviews_need_at_most_12_questions_after_the_opening(
    model: CompiledModel, transcripts: dict[str, interview.Transcript]
) -> None:
    counts = sorted(_after_the_opening(model, transcript) for transcript in transcripts.values())
    assert float(np.median(counts)) <= 12


def test_nine_in_ten_interviews_need_at_most_20_questions(interview_report: EvalReport) -> None:
    assert interview_report.questions_p90 is not None
    assert interview_report.questions_p90 <= 20


def _late(model: CompiledModel, vignettes: list[Vignette], transcripts: dict[str, interview.Transcript]) -> list[str]:
    late: list[str] = []
    for vignette in vignettes:
        if vignette.gold_triage != TriageLevel.EMERGENCY:
            continue
        transcript = transcripts[vignette.id]
        reached = transcript.first_reaching(TriageLevel.EMERGENCY)
        if reached is None or _after_the_opening(model, transcript, reached) > EMERGENCY_WITHIN:
            late.append(vignette.id)
    return late


def test_every_emergency_is_reached_within_six_questions_after_the_opening(
    model: CompiledModel, vignettes: list[Vignette], transcripts: dict[str, interview.Transcript]
) -> None:
    """The opening (where it hurts, how bad) comes first; the warning signs within six questions after it."""
    assert _late(model, vignettes, transcripts) == []


def test_a_screen_yes_leaving_an_urgent_rule_one_answer_short_is_followed_up_after_the_screen(
    model: CompiledModel,
) -> None:
    """Pregnant, with pain in one leg: whether the leg is swollen (a clot) is asked soon after the screen."""
    knows = interview.what_the_patient_knows(
        model, {"pregnancy": True, "leg_pain": True, "leg_pain_unilateral": True, "leg_swelling_one_side": True},
    )
    transcript = interview.simulate(model, knows, 29, "female")
    asked = [question.id for question, _, _ in transcript.turns]
    assert "leg_swelling_one_side" in asked[:10]
    assert transcript.turns[-1][2] == TriageLevel.URGENT


def test_a_leg_or_foot_can_be_the_main_complaint(model: CompiledModel) -> None:
    opening = interview.simulate(model, {"leg_pain": True}, 58, "male").turns[0]
    assert opening[0].id == "pain_where"
    assert "leg_pain" in opening[0].findings
