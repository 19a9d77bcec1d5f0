"""The adaptive interview: red flags first, emergencies stop at once, answers can change, no memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecheck.core.assessment import assess
from spinecheck.core.inference import posterior
from spinecheck.core.interview import (
    InterviewError,
    InterviewPolicy,
    InterviewState,
    StopReason,
    answer,
    interview_policy,
    next_question,
    plan_next,
    question_by_id,
    question_values,
    questions_asked,
    state_evidence,
    take_back,
)
from spinecheck.core.kb.loader import KnowledgeBaseError
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services.assessment import load_model
from spinecheck.services.interview import simulate

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"
EMERGENCY_SCREEN = {"saddle_numbness", "bladder_retention"}


def ask_all(model: CompiledModel, state: InterviewState, reply: str = "no") -> InterviewState:
    """Answer every question with `reply` (choices: don't know) until the interview stops."""
    while (question := next_question(model, state)) is not None:
        state = answer(state, question, reply if question.kind == "boolean" else "unknown")
    return state


def test_the_first_questions_are_the_red_flag_screen(mini_model: CompiledModel) -> None:
    state = InterviewState(age=40, sex="female")
    asked = []
    for _ in range(len(EMERGENCY_SCREEN)):
        question = next_question(mini_model, state)
        assert question is not None
        asked.append(question.id)
        state = answer(state, question, "no")
    assert set(asked) == EMERGENCY_SCREEN


def test_screen_questions_are_marked_and_the_rest_are_not(mini_model: CompiledModel) -> None:
    first = next_question(mini_model, InterviewState())
    assert first is not None and first.screen
    screened = InterviewState(answers={"saddle_numbness": "no", "bladder_retention": "no"})
    later = next_question(mini_model, screened)
    assert later is not None and not later.screen


def test_a_question_whose_yes_would_not_demand_emergency_is_not_screened_first(mini_model: CompiledModel) -> None:
    question = next_question(mini_model, InterviewState(age=70, sex="male"))
    assert question is not None and question.id in EMERGENCY_SCREEN


def test_an_emergency_answer_stops_the_interview_at_once(mini_model: CompiledModel) -> None:
    question = next_question(mini_model, InterviewState())
    assert question is not None and question.id in EMERGENCY_SCREEN
    step = plan_next(mini_model, answer(InterviewState(), question, "yes"))
    assert step.question is None
    assert step.stopped == StopReason.EMERGENCY
    assert step.level == TriageLevel.EMERGENCY


def test_a_simulated_patient_with_an_emergency_sign_ends_with_emergency_advice(mini_model: CompiledModel) -> None:
    transcript = simulate(mini_model, {"bladder_retention": True, "low_back_pain": True})
    assert transcript.stopped == StopReason.EMERGENCY
    assert transcript.first_reaching(TriageLevel.EMERGENCY) == transcript.questions <= len(EMERGENCY_SCREEN)


def test_the_same_state_always_gives_the_same_question(mini_model: CompiledModel) -> None:
    state = InterviewState(answers={"saddle_numbness": "no", "fever": "unknown"}, age=70, sex="male")
    copy = InterviewState.model_validate_json(state.model_dump_json())
    assert next_question(mini_model, state) == next_question(mini_model, copy)


def test_the_state_is_plain_json_data() -> None:
    state = InterviewState(answers={"fever": "yes", "saddle_numbness": "unknown"}, age=33, sex="female")
    assert InterviewState.model_validate_json(state.model_dump_json()) == state


def test_changing_an_answer_replaces_it(mini_model: CompiledModel) -> None:
    question = question_by_id(mini_model, "fever")
    state = answer(InterviewState(), question, "yes")
    changed = answer(state, question, "no")
    assert changed.answers == {"fever": "no"}
    assert questions_asked(mini_model, changed) == 1


def test_taking_back_an_answer_lets_the_question_be_asked_again(mini_model: CompiledModel) -> None:
    start = InterviewState(age=50)
    first = next_question(mini_model, start)
    assert first is not None
    answered = answer(start, first, "no")
    assert next_question(mini_model, answered) != first
    restored = take_back(answered, first)
    assert restored == start
    assert next_question(mini_model, restored) == first


def test_dont_know_counts_as_asked_and_leaves_the_finding_unknown(mini_model: CompiledModel) -> None:
    question = question_by_id(mini_model, "fever")
    state = answer(InterviewState(), question, "unknown")
    assert questions_asked(mini_model, state) == 1
    assert next_question(mini_model, state) != question
    assert plan_next(mini_model, state).level == plan_next(mini_model, InterviewState()).level


def test_an_interview_answered_with_dont_know_throughout_still_ends(mini_model: CompiledModel) -> None:
    state = ask_all(mini_model, InterviewState(), reply="unknown")
    step = plan_next(mini_model, state)
    assert step.stopped in (StopReason.NO_QUESTIONS_LEFT, StopReason.SETTLED, StopReason.MAX_QUESTIONS)


def test_findings_of_an_exclusive_group_are_one_choice_question(mini_model: CompiledModel) -> None:
    question = question_by_id(mini_model, "duration")
    assert question.kind == "choice"
    assert question.findings == ("duration_acute", "duration_chronic")
    state = answer(InterviewState(), question, "duration_chronic")
    assert state.answers == {"duration_acute": "no", "duration_chronic": "yes"}
    assert answer(state, question, "none").answers == {"duration_acute": "no", "duration_chronic": "no"}


def test_a_reply_that_is_not_an_option_is_refused(mini_model: CompiledModel) -> None:
    with pytest.raises(InterviewError, match="not an answer"):
        answer(InterviewState(), question_by_id(mini_model, "fever"), "maybe")


def test_an_unknown_finding_in_the_state_is_a_clear_error(mini_model: CompiledModel) -> None:
    with pytest.raises(EvidenceError, match="unknown finding 'fevr'"):
        next_question(mini_model, InterviewState(answers={"fevr": "yes"}))


def test_the_interview_stops_at_the_maximum(mini_model: CompiledModel) -> None:
    policy = interview_policy(mini_model).model_copy(update={"max_questions": 2, "level_change_floor": 0.0})
    state = InterviewState()
    for _ in range(2):
        question = next_question(mini_model, state, policy)
        assert question is not None
        state = answer(state, question, "unknown")
    step = plan_next(mini_model, state, policy)
    assert step.stopped == StopReason.MAX_QUESTIONS
    assert step.asked == 2


def test_the_interview_stops_once_triage_and_differential_are_settled(mini_model: CompiledModel) -> None:
    state = ask_all(mini_model, InterviewState(age=30, sex="male"))
    step = plan_next(mini_model, state)
    assert step.stopped == StopReason.SETTLED
    assert step.asked < len(mini_model.finding_ids)


@pytest.fixture(scope="module")
def kb_with_clinician_finding(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    """The mini knowledge base plus an examination finding that strongly separates two conditions."""
    root = tmp_path_factory.mktemp("kb") / "kb"
    shutil.copytree(MINI_KB, root)
    findings_path = root / "findings" / "all.yaml"
    findings = yaml.safe_load(findings_path.read_text())
    findings["findings"].append({
        "id": "straight_leg_raise_positive", "label": "Positive straight leg raise",
        "question": "Does raising the straight leg reproduce the leg pain?", "category": "sign",
        "clinician_only": True, "background": {"value": 0.2, "source": "test_source"},
    })
    findings_path.write_text(yaml.safe_dump(findings))
    sciatica_path = root / "conditions" / "sciatica.yaml"
    sciatica = yaml.safe_load(sciatica_path.read_text())
    sciatica["likelihoods"].append({"finding": "straight_leg_raise_positive", "p": 0.95, "source": "test_source"})
    sciatica_path.write_text(yaml.safe_dump(sciatica))
    return load_model(root)


def test_clinician_only_findings_are_never_asked(kb_with_clinician_finding: CompiledModel) -> None:
    model = kb_with_clinician_finding
    state = InterviewState()
    asked = set()
    while (question := next_question(model, state)) is not None:
        asked.update(question.findings)
        reply = "yes" if question.id == "leg_pain_below_knee" else "no" if question.kind == "boolean" else "none"
        state = answer(state, question, reply)
    assert "straight_leg_raise_positive" not in asked
    with pytest.raises(InterviewError):
        question_by_id(model, "straight_leg_raise_positive")


def test_a_policy_naming_an_unknown_source_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    policy = yaml.safe_load((Path(__file__).parents[1] / "src/spinecheck/knowledge/interview.yaml").read_text())
    policy["source"] = "nowhere"
    (root / "interview.yaml").write_text(yaml.safe_dump(policy))
    with pytest.raises(KnowledgeBaseError, match="unknown source 'nowhere'"):
        next_question(load_model(root), InterviewState())


def test_the_shipped_policy_is_valid_and_sourced() -> None:
    raw = yaml.safe_load((Path(__file__).parents[1] / "src/spinecheck/knowledge/interview.yaml").read_text())
    policy = InterviewPolicy.model_validate(raw)
    assert policy.source == "spinecheck_model_assumption"
    assert policy.screen_size >= 1


REPLIES = st.sampled_from(["yes", "no", "unknown"])


@settings(max_examples=40, deadline=None)
@given(st.lists(REPLIES, max_size=12), st.one_of(st.none(), st.integers(0, 100)))
def test_whatever_the_answers_the_interview_never_repeats_a_question(
    mini_model: CompiledModel, replies: list[str], age: int | None
) -> None:
    state = InterviewState(age=age)
    seen: set[str] = set()
    for reply in replies:
        question = next_question(mini_model, state)
        if question is None:
            break
        assert question.id not in seen
        seen.add(question.id)
        state = answer(state, question, reply if question.kind == "boolean" else "unknown")
        assert questions_asked(mini_model, state) == len(seen)


STATES = st.dictionaries(
    st.sampled_from(["low_back_pain", "leg_pain_below_knee", "saddle_numbness", "bladder_retention", "fever",
                     "worse_walking"]),
    REPLIES,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(STATES, st.one_of(st.none(), st.integers(0, 100)), st.sampled_from([None, "female", "male"]))
def test_the_interview_reports_the_same_triage_level_as_the_assessment(
    mini_model: CompiledModel, answers: dict[str, str], age: int | None, sex: str | None
) -> None:
    state = InterviewState.model_validate({"answers": answers, "age": age, "sex": sex})
    # While questions remain, the interview works with the level the answers support; the floor for an
    # unanswered screen belongs to the result.
    expected = assess(mini_model, state_evidence(mini_model, state), screen_floor=False).triage.level
    assert plan_next(mini_model, state).level == expected


def entropy_bits(probabilities: np.ndarray) -> float:
    return float(-(probabilities * np.log2(probabilities)).sum())


@settings(max_examples=60, deadline=None)
@given(STATES, st.one_of(st.none(), st.integers(0, 100)))
def test_the_information_gain_of_a_question_is_what_answering_it_would_bring(
    mini_model: CompiledModel, answers: dict[str, str], age: int | None
) -> None:
    state = InterviewState.model_validate({"answers": answers, "age": age})
    values = question_values(mini_model, state)
    now = posterior(mini_model, state_evidence(mini_model, state))
    for position, question_id in enumerate(values.question_ids):
        question = question_by_id(mini_model, question_id)
        if question.kind != "boolean":
            continue
        p_yes = float(now @ mini_model.likelihood[:, mini_model.finding_index[question_id]])
        after = {
            reply: posterior(mini_model, state_evidence(mini_model, answer(state, question, reply)))
            for reply in ("yes", "no")
        }
        expected = entropy_bits(now) - p_yes * entropy_bits(after["yes"]) - (1 - p_yes) * entropy_bits(after["no"])
        assert values.information_gain[position] == pytest.approx(max(expected, 0.0), abs=1e-9)
