"""The interview as a conversation: where it hurts, how bad (0-10), then the warning signs; choices in order."""

from __future__ import annotations

import pytest
import yaml
from pydantic import ValidationError

from spinecheck.core.interview import (
    NO,
    UNKNOWN_REPLY,
    YES,
    InterviewError,
    InterviewPolicy,
    InterviewState,
    Scale,
    answer,
    interview_policy,
    load_interview_policy,
    plan_next,
    question_by_id,
)
from spinecheck.core.kb.loader import DEFAULT_ROOT, KnowledgeBaseError
from spinecheck.core.model import CompiledModel
from spinecheck.services import interview as interview_service


def asked_in_order(model: CompiledModel, state: InterviewState, count: int) -> list[str]:
    """The ids of the next `count` questions when every one is answered "don't know"."""
    asked: list[str] = []
    for _ in range(count):
        step = plan_next(model, state)
        assert step.question is not None
        asked.append(step.question.id)
        state = answer(state, step.question, UNKNOWN_REPLY)
    return asked


def test_the_interview_opens_with_where_it_hurts_and_how_bad_then_the_warning_signs(model: CompiledModel) -> None:
    policy = interview_policy(model)
    screens = [c.id for c in policy.checklists if c.screen and c.id != "screen_pregnancy"]
    assert asked_in_order(model, InterviewState(age=50, sex="male"), 2 + len(screens)) == [
        *policy.opening, *screens,
    ]
    assert policy.opening == ("pain_where", "pain_severity")


def test_the_severity_question_is_a_scale_from_0_to_10_with_dont_know(model: CompiledModel) -> None:
    question = question_by_id(model, "pain_severity")
    assert question.kind == "scale" and question.findings == ("severe_pain",)
    assert [option.id for option in question.options] == [*map(str, range(11)), UNKNOWN_REPLY]


@pytest.mark.parametrize(
    ("reply", "expected"), [("7", YES), ("10", YES), ("6", NO), ("0", NO), ("unknown", UNKNOWN_REPLY)]
)
def test_a_number_on_the_scale_answers_its_finding_at_the_cut_off(
    model: CompiledModel, reply: str, expected: str
) -> None:
    state = answer(InterviewState(), question_by_id(model, "pain_severity"), reply)
    assert state.answers == {"severe_pain": expected}


@pytest.mark.parametrize("reply", ["11", "-1", "7.5", "seven", "yes"])
def test_a_number_off_the_scale_is_refused(model: CompiledModel, reply: str) -> None:
    with pytest.raises(InterviewError, match="is not an answer to 'pain_severity'"):
        answer(InterviewState(), question_by_id(model, "pain_severity"), reply)


def test_a_simulated_patient_answers_the_scale_from_the_finding(model: CompiledModel) -> None:
    question = question_by_id(model, "pain_severity")
    assert interview_service.patient_reply(question, {"severe_pain": True}) == "7"
    assert interview_service.patient_reply(question, {"severe_pain": False}) == "0"
    assert interview_service.patient_reply(question, {}) == UNKNOWN_REPLY


def test_the_options_of_a_choice_come_in_their_natural_order(model: CompiledModel) -> None:
    assert [option.id for option in question_by_id(model, "duration").options][:3] == [
        "duration_acute", "duration_subacute", "duration_chronic",
    ]


def test_what_a_description_answered_is_not_asked_again_in_the_opening(model: CompiledModel) -> None:
    state = InterviewState(answers={"low_back_pain": YES, "severe_pain": YES})
    step = plan_next(model, state)
    assert step.question is not None and step.question.id == "pain_where"
    assert "low_back_pain" not in step.question.findings
    state = answer(state, step.question, "none")
    assert plan_next(model, state).question.id != "pain_severity"  # type: ignore[union-attr]


def shipped_policy() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((DEFAULT_ROOT / "interview.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p.update(opening=["no_such_question"]), "unknown question 'no_such_question'"),
    (lambda p: p["scales"][0].update(finding="no_such_finding"), "unknown finding 'no_such_finding'"),
    (lambda p: p["scales"][0].update(finding="night_pain"), "'night_pain' is already on the checklist"),
    (lambda p: p["scales"][0].update(finding="duration_acute"), "cannot be asked on a scale"),
], ids=["unknown opening", "unknown finding", "finding on a checklist too", "finding of a choice"])
def test_the_policy_check_names_what_is_wrong(model: CompiledModel, change, message: str) -> None:  # type: ignore[no-untyped-def]
    from spinecheck.core.interview.compile import _build_plan

    raw = shipped_policy()
    change(raw)
    with pytest.raises(KnowledgeBaseError, match=message):
        _build_plan(model, InterviewPolicy.model_validate(raw))


@pytest.mark.parametrize("cut", [0, 11])
def test_a_cut_off_outside_the_scale_is_refused(cut: int) -> None:
    with pytest.raises(ValidationError, match="present_from must lie above lowest"):
        Scale(id="x", text="How bad?", finding="severe_pain", present_from=cut)


def test_the_shipped_policy_file_is_the_one_read() -> None:
    assert load_interview_policy(DEFAULT_ROOT).scales[0].finding == "severe_pain"


def test_a_simulated_patient_knows_what_their_findings_imply(model: CompiledModel) -> None:
    knows = interview_service.what_the_patient_knows(model, {"aortic_aneurysm_on_imaging": True})
    assert knows["known_aaa"] is True


def test_a_simulated_patient_without_a_general_finding_has_none_of_its_specific_ones(model: CompiledModel) -> None:
    assert interview_service.what_the_patient_knows(model, {"leg_pain": False})["leg_pain_below_knee"] is False


def test_a_simulated_patient_keeps_an_answer_that_nothing_implies(model: CompiledModel) -> None:
    knows = interview_service.what_the_patient_knows(model, {"fever": True, "smoking": None})
    assert knows["fever"] is True and knows["smoking"] is None
