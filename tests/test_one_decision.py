"""One triage decision: one case, a batch and the interview give the same level for the same evidence,
and a red-flag "yes" never lowers it in any of them (the shipped knowledge base, generated cases).

The decision is the level the evidence supports (`assess(..., screen_floor=False)`); a result whose
warning-sign screen is still open is then never below the policy's floor for that, which only the
result applies (the interview asks the open questions instead).
"""

from __future__ import annotations

from random import Random

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spinecheck.core.assessment import assess
from spinecheck.core.inference import posterior, score_batch
from spinecheck.core.interview import (
    NO,
    UNKNOWN_REPLY,
    YES,
    InterviewState,
    answer,
    plan_next,
    question_by_id,
    question_values,
    state_evidence,
)
from spinecheck.core.kb.schema import FindingCategory
from spinecheck.core.logic import SEX_CODES
from spinecheck.core.model import Evidence
from spinecheck.core.triage import triage_batch
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services.assessment import load_model

MODEL = load_model()
FINDINGS = sorted(MODEL.finding_ids)
RED_FLAG_FINDINGS = sorted(f for f, spec in MODEL.kb.findings.items() if spec.category == FindingCategory.RED_FLAG)
CASES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INTERVIEWS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def consistent(present: set[str], absent: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """At most one option of each choice present, and nothing both present and absent."""
    for members in MODEL.exclusive_groups.values():
        for extra in sorted(present & set(members))[1:]:
            present.discard(extra)
    return frozenset(present), frozenset(absent - present)


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    """Any answers, with red-flag findings drawn often enough that the set-aside step matters."""
    present = set(draw(st.lists(st.sampled_from(FINDINGS), max_size=10)))
    present |= set(draw(st.lists(st.sampled_from(RED_FLAG_FINDINGS), max_size=4)))
    absent = set(draw(st.lists(st.sampled_from(FINDINGS), max_size=14)))
    p, a = consistent(present, absent)
    age = draw(st.one_of(st.none(), st.integers(min_value=5, max_value=100)))
    sex = draw(st.one_of(st.none(), st.sampled_from(["female", "male"])))
    return MODEL.check_evidence(Evidence(present=p, absent=a, age=age, sex=sex))


def with_yes(case: Evidence, flag: str) -> Evidence:
    present, absent = consistent(set(case.present) | {flag}, set(case.absent) - {flag})
    return MODEL.check_evidence(case.model_copy(update={"present": present, "absent": absent}))


def batch_levels(cases: list[Evidence]) -> list[int]:
    states = np.stack([MODEL.state_vector(case) for case in cases])
    age = np.array([np.nan if case.age is None else float(case.age) for case in cases])
    sex = np.array([SEX_CODES.get(case.sex or "", 0) for case in cases], dtype=np.int8)
    probabilities = score_batch(MODEL, states, age, sex, dtype=np.float64)
    return triage_batch(MODEL, states, probabilities, age, sex).tolist()


def supported_level(case: Evidence) -> int:
    """The level the assessment's triage decision gives, before the floor for an open screen."""
    return assess(MODEL, case, screen_floor=False).triage.level.rank


def interview_level(case: Evidence) -> int:
    answers = {finding: YES for finding in case.present} | {finding: NO for finding in case.absent}
    return plan_next(MODEL, InterviewState(answers=answers, age=case.age, sex=case.sex)).level.rank


@CASES
@given(st.lists(evidence(), min_size=1, max_size=6))
def test_one_case_and_a_batch_give_the_same_level_and_posterior(cases: list[Evidence]) -> None:
    single = [supported_level(case) for case in cases]
    assert batch_levels(cases) == single
    floor = MODEL.kb.policy.incomplete.min_level.rank
    for case, level in zip(cases, single, strict=True):
        result = assess(MODEL, case)
        expected = max(level, floor) if result.status == "incomplete" else level
        assert result.triage.level.rank == expected
    states = np.stack([MODEL.state_vector(case) for case in cases])
    age = np.array([np.nan if case.age is None else float(case.age) for case in cases])
    sex = np.array([SEX_CODES.get(case.sex or "", 0) for case in cases], dtype=np.int8)
    batch = score_batch(MODEL, states, age, sex, dtype=np.float64)
    for row, case in enumerate(cases):
        np.testing.assert_allclose(batch[row], posterior(MODEL, case), rtol=1e-9, atol=1e-15)


@INTERVIEWS
@given(evidence())
def test_the_interview_reports_the_level_of_the_assessment(case: Evidence) -> None:
    assert interview_level(case) == supported_level(case)


@CASES
@given(evidence(), st.sampled_from(RED_FLAG_FINDINGS))
def test_a_red_flag_yes_never_lowers_the_level_of_one_case_or_of_a_batch(case: Evidence, flag: str) -> None:
    assume(flag not in case.present)
    after = with_yes(case, flag)
    assert assess(MODEL, after).triage.level.rank >= assess(MODEL, case).triage.level.rank
    before_batch, after_batch = batch_levels([case, after])
    assert after_batch >= before_batch


@pytest.mark.parametrize("stated", [frozenset(), frozenset({"peripheral_arthritis"})])
def test_a_red_flag_yes_that_implies_a_general_finding_never_lowers_the_level(stated: frozenset[str]) -> None:
    # a hot swollen joint is arthritis: setting the flag aside also sets aside the arthritis it filled in, and
    # keeps arthritis the person gave (hypothesis found the first case)
    case = Evidence(present=frozenset({"low_potassium", "abdominal_pain"}) | stated)
    after = with_yes(case, "hot_swollen_joint")
    assert assess(MODEL, after).triage.level.rank >= assess(MODEL, case).triage.level.rank
    before_batch, after_batch = batch_levels([case, after])
    assert after_batch >= before_batch
    assert interview_level(after) >= interview_level(case)


@INTERVIEWS
@given(evidence(), st.sampled_from(RED_FLAG_FINDINGS))
def test_a_red_flag_yes_never_lowers_the_level_in_the_interview(case: Evidence, flag: str) -> None:
    assume(flag not in case.present)
    assert interview_level(with_yes(case, flag)) >= interview_level(case)


def look_ahead_mismatches(case: Evidence, rnd: Random | None = None) -> list[str]:
    """Open yes / no and choice questions whose expected lowest and highest levels over the replies
    differ from the levels the assessment gives once a reply is made (every such question, or a
    few drawn by `rnd`, red-flag questions first)."""
    answers = {finding: YES for finding in case.present} | {finding: NO for finding in case.absent}
    state = InterviewState(answers=answers, age=case.age, sex=case.sex)
    values = question_values(MODEL, state)
    if values.level == TriageLevel.EMERGENCY:
        return []
    choices = [
        position for position, question_id in enumerate(values.question_ids)
        if question_by_id(MODEL, question_id).kind != "checklist"
    ]
    if rnd is not None:
        red_flags_first = sorted(choices, key=lambda position: values.question_ids[position] not in RED_FLAG_FINDINGS)
        choices = red_flags_first[:2] + rnd.sample(choices, min(2, len(choices)))
    mismatches = []
    for position in choices:
        question = question_by_id(MODEL, values.question_ids[position])
        replies = [option.id for option in question.options if option.id != UNKNOWN_REPLY]
        reached = [supported_level(state_evidence(MODEL, answer(state, question, reply))) for reply in replies]
        if (values.lowest_level[position], values.highest_level[position]) != (min(reached), max(reached)):
            mismatches.append(question.id)
    return mismatches


def test_the_interview_looks_ahead_past_a_red_flag_answer_it_would_set_aside() -> None:
    """A known aortic aneurysm with numbness: a reply that shifts probability between serious
    conditions cannot lower the level the interview expects below what the assessment gives."""
    case = MODEL.check_evidence(Evidence(present=frozenset({"known_aaa", "numbness_foot_top_big_toe"})))
    assert look_ahead_mismatches(case) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence(), st.randoms(use_true_random=False))
def test_the_level_the_interview_looks_ahead_to_is_the_level_a_reply_brings(case: Evidence, rnd: Random) -> None:
    """For open yes / no and choice questions, the highest and lowest levels the interview expects
    over the replies are those the assessment gives once a reply is made."""
    assert look_ahead_mismatches(case, rnd) == []
