"""Checklists in the interview: several findings asked as one "tick all that apply" question."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from rules_oracle import TRUE, Person, reference
from spinecheck.core.assessment import assess
from spinecheck.core.interview import (
    InterviewError,
    InterviewState,
    StopReason,
    answer,
    next_question,
    plan_next,
    question_by_id,
    question_values,
    questions_asked,
    state_evidence,
)
from spinecheck.core.kb.loader import KnowledgeBaseError
from spinecheck.core.kb.schema import expression_findings
from spinecheck.core.model import CompiledModel
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.interfaces.cli import interview as terminal
from spinecheck.interfaces.cli.app import app
from spinecheck.services.assessment import load_model
from spinecheck.services.interview import patient_reply, simulate

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"
TWO_ANSWER_RULE = {
    "id": "fever_with_leg_pain",
    "name": "Fever with leg pain",
    "level": "emergency",
    "when": {"all": ["fever", "leg_pain_below_knee"]},
    "message": "A fever with leg pain needs help now.",
    "source": "test_source",
}
CHECKLISTS = [
    {"id": "signs", "screen": True, "text": "Any of these?", "items": [
        {"finding": "saddle_numbness", "text": "Numb between the legs"},
        {"finding": "bladder_retention", "text": "Cannot pass urine"},
        {"finding": "fever", "text": "Fever"},
    ]},
    {"id": "where", "screen": True, "unticked": "no", "text": "Where does it hurt?", "items": [
        {"finding": "low_back_pain", "text": "Low back"},
        {"finding": "worse_walking", "text": "Walking makes it worse"},
    ]},
]


def kb_with(root: Path, **policy_changes: Any) -> CompiledModel:
    """The mini knowledge base with a two-answer emergency rule and the given interview policy changes."""
    shutil.copytree(MINI_KB, root)
    rules = yaml.safe_load((root / "red_flags.yaml").read_text())
    rules["rules"].append(TWO_ANSWER_RULE)
    (root / "red_flags.yaml").write_text(yaml.safe_dump(rules))
    policy = yaml.safe_load((root / "interview.yaml").read_text())
    policy.update({"checklists": CHECKLISTS, "follow_up_depth": 2, **policy_changes})
    (root / "interview.yaml").write_text(yaml.safe_dump(policy))
    return load_model(root)


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    return kb_with(tmp_path_factory.mktemp("checklists") / "kb")


def test_a_screen_checklist_opens_the_interview(model: CompiledModel) -> None:
    question = next_question(model, InterviewState(age=40))
    assert question is not None
    assert (question.id, question.kind, question.screen) == ("signs", "checklist", True)
    assert question.findings == ("saddle_numbness", "bladder_retention", "fever")


def test_ticked_items_are_yes_and_the_others_stay_unknown(model: CompiledModel) -> None:
    state = answer(InterviewState(), question_by_id(model, "signs"), ["fever"])
    assert state.answers == {"saddle_numbness": "unknown", "bladder_retention": "unknown", "fever": "yes"}
    assert questions_asked(model, state) == 1


def test_ticks_can_come_as_one_string_with_commas(model: CompiledModel) -> None:
    state = answer(InterviewState(), question_by_id(model, "signs"), "fever, saddle_numbness")
    assert state.answers["fever"] == state.answers["saddle_numbness"] == "yes"


def test_none_of_these_makes_every_item_no(model: CompiledModel) -> None:
    state = answer(InterviewState(), question_by_id(model, "signs"), "none")
    assert set(state.answers.values()) == {"no"}


def test_dont_know_leaves_every_item_unknown_and_counts_as_asked(model: CompiledModel) -> None:
    state = answer(InterviewState(), question_by_id(model, "signs"), "unknown")
    assert set(state.answers.values()) == {"unknown"}
    assert questions_asked(model, state) == 1


def test_unticked_items_are_no_where_the_checklist_says_a_person_surely_knows(model: CompiledModel) -> None:
    state = answer(InterviewState(), question_by_id(model, "where"), ["worse_walking"])
    assert state.answers == {"low_back_pain": "no", "worse_walking": "yes"}


@pytest.mark.parametrize("reply", [["headache"], ["none", "fever"], [], "fever,,low_back_pain"])
def test_a_reply_that_is_not_on_the_checklist_is_refused(model: CompiledModel, reply: Any) -> None:
    with pytest.raises(InterviewError, match="not an answer to 'signs'"):
        answer(InterviewState(), question_by_id(model, "signs"), reply)


def test_an_emergency_tick_stops_the_interview(model: CompiledModel) -> None:
    state = answer(InterviewState(), question_by_id(model, "signs"), ["bladder_retention"])
    step = plan_next(model, state)
    assert (step.stopped, step.level) == (StopReason.EMERGENCY, TriageLevel.EMERGENCY)


def test_a_yes_on_the_screen_is_followed_up_before_the_rest_of_the_screen(model: CompiledModel) -> None:
    state = answer(InterviewState(age=40), question_by_id(model, "signs"), ["fever"])
    question = next_question(model, state)
    assert question is not None
    assert (question.id, question.screen) == ("leg_pain_below_knee", True)


def test_without_a_yes_the_screen_goes_on_in_its_order(model: CompiledModel) -> None:
    state = answer(InterviewState(age=40), question_by_id(model, "signs"), "none")
    question = next_question(model, state)
    assert question is not None and question.id == "where"


def test_a_partly_answered_checklist_asks_only_its_open_items(model: CompiledModel) -> None:
    from_text = InterviewState(answers={"fever": "no"}, age=40)
    question = next_question(model, from_text)
    assert question is not None and question.id == "signs"
    assert question.findings == ("saddle_numbness", "bladder_retention")
    assert "fever" not in {option.id for option in question.options}
    state = answer(from_text, question, "none")
    assert state.answers == {"fever": "no", "saddle_numbness": "no", "bladder_retention": "no"}


def test_a_question_is_not_asked_while_its_condition_is_false(tmp_path: Path) -> None:
    model = kb_with(tmp_path / "kb", ask_only_when=[{"question": "leg_pain_below_knee", "when": {"sex": "female"}}])

    def asked(sex: str | None) -> set[str]:
        state, ids = InterviewState(sex=sex), set()
        while (question := next_question(model, state)) is not None:
            ids.add(question.id)
            state = answer(state, question, "unknown")
        return ids

    assert "leg_pain_below_knee" not in asked("male")
    assert "leg_pain_below_knee" in question_values(model, InterviewState(sex="female")).question_ids
    assert "leg_pain_below_knee" in question_values(model, InterviewState()).question_ids


@pytest.mark.parametrize(
    ("items", "problem"),
    [
        ([{"finding": "headache", "text": "Headache"}], "unknown finding 'headache'"),
        ([{"finding": "duration_acute", "text": "Recent"}], "asked as the choice 'duration'"),
        ([{"finding": "fever", "text": "Fever again"}], "already on the checklist 'signs'"),
    ],
)
def test_a_checklist_with_a_finding_it_cannot_ask_is_refused(
    tmp_path: Path, items: list[dict[str, str]], problem: str
) -> None:
    extra = {"id": "extra", "text": "And these?", "items": [{"finding": "leg_pain_below_knee", "text": "Leg"}, *items]}
    with pytest.raises(KnowledgeBaseError, match=problem):
        next_question(kb_with(tmp_path / "kb", checklists=[*CHECKLISTS, extra]), InterviewState())


def test_a_checklist_id_may_not_be_a_finding_id(tmp_path: Path) -> None:
    clash = {**CHECKLISTS[1], "id": "fever", "items": CHECKLISTS[1]["items"]}
    with pytest.raises(KnowledgeBaseError, match="'fever' is already a question id"):
        next_question(kb_with(tmp_path / "kb", checklists=[CHECKLISTS[0], clash]), InterviewState())


# --- the shipped knowledge base ------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> CompiledModel:
    return load_model()


def screen_findings(model: CompiledModel) -> set[str]:
    plan_questions = [question_by_id(model, q) for q in question_values(model, InterviewState()).question_ids]
    return {f for q in plan_questions if q.kind == "checklist" and q.screen for f in q.findings}


def test_every_finding_that_alone_raises_an_adults_level_to_urgent_is_on_the_screen(shipped: CompiledModel) -> None:
    screen = screen_findings(shipped)
    urgent_rules = [rule.when for rule in shipped.kb.red_flags if rule.level.rank >= TriageLevel.URGENT.rank]
    missing = set()
    for finding_id in shipped.finding_ids:
        if shipped.kb.findings[finding_id].clinician_only or finding_id in screen:
            continue
        for age in (30, 70):
            for sex in ("female", "male"):
                alone = Person({finding_id: TRUE}, age=age, sex=sex)
                without = Person({}, age=age, sex=sex)
                if any(reference(when, alone) == TRUE != reference(when, without) for when in urgent_rules):
                    missing.add(finding_id)
    assert missing == set()


def test_a_lead_resting_on_base_rates_alone_does_not_end_the_interview(shipped: CompiledModel) -> None:
    state = InterviewState(age=35, sex="male")
    while (question := next_question(shipped, state)) is not None and question.screen:
        state = answer(state, question, "unknown")
    assert question is not None, "the interview ended straight after a screen answered with don't know"


def test_kb_validate_names_a_checklist_item_the_knowledge_base_does_not_have(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    policy = yaml.safe_load((root / "interview.yaml").read_text())
    policy["checklists"] = [{"id": "odd", "text": "Any?", "items": [
        {"finding": "fever", "text": "Fever"}, {"finding": "headache", "text": "Headache"}]}]
    (root / "interview.yaml").write_text(yaml.safe_dump(policy))
    outcome = CliRunner().invoke(app, ["kb", "validate", "--kb", str(root)])
    assert outcome.exit_code == 1
    assert "interview.yaml" in outcome.output and "unknown finding 'headache'" in outcome.output


def reply_for(question_kind: str, options: list[str], draw: int) -> str | list[str]:
    """A reply of the right shape, picked by `draw`: yes / no / don't know, one option, or some ticks."""
    if question_kind == "boolean":
        return ["yes", "no", "unknown"][draw % 3]
    if question_kind in ("choice", "scale"):
        return options[draw % len(options)]
    items = [o for o in options if o not in ("none", "unknown")]
    if draw % 4 == 0:
        return "none" if "none" in options else "unknown"  # a checklist of test results has no "none"
    if draw % 4 == 1:
        return "unknown"
    return [item for position, item in enumerate(items) if (draw >> position) & 1] or "unknown"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 2**16), max_size=14), st.integers(16, 90), st.sampled_from(["female", "male"]))
def test_in_the_shipped_interview_the_level_shown_is_the_assessments_and_no_question_comes_twice(
    shipped: CompiledModel, draws: list[int], age: int, sex: str
) -> None:
    state = InterviewState.model_validate({"age": age, "sex": sex})
    seen: set[str] = set()
    for draw in draws:
        step = plan_next(shipped, state)
        assert step.level == assess(shipped, state_evidence(shipped, state), screen_floor=False).triage.level
        if step.question is None:
            break
        assert step.question.id not in seen
        seen.add(step.question.id)
        options = [option.id for option in step.question.options]
        state = answer(state, step.question, reply_for(step.question.kind, options, draw))


def test_every_sign_of_sepsis_a_person_can_measure_or_see_is_on_the_screen(shipped: CompiledModel) -> None:
    """Fever with a fast pulse or a low blood pressure read at home is sepsis until shown otherwise:
    the screen asks for the readings beside the fever (red_flags.yaml: sepsis_signs)."""
    sepsis = next(rule for rule in shipped.kb.red_flags if rule.id == "sepsis_signs")
    signs = set(expression_findings(sepsis.when))
    assert "hypotension_tachycardia" in signs
    assert signs <= screen_findings(shipped)


def test_a_fever_with_a_fast_pulse_measured_at_home_ends_the_interview_as_an_emergency(shipped: CompiledModel) -> None:
    transcript = simulate(shipped, {"flank_pain": True, "fever": True, "hypotension_tachycardia": True}, 27, "female")
    assert transcript.state is not None and transcript.turns[-1][2] == TriageLevel.EMERGENCY


# --- test results a person has been told (ADR 0024) -------------------------------------------


def test_the_checklist_of_test_results_offers_no_none_of_these(shipped: CompiledModel) -> None:
    """Someone who has had no test knows nothing either way: "none" would read as normal results."""
    question = question_by_id(shipped, "test_results")
    assert "none" not in [option.id for option in question.options]
    with pytest.raises(InterviewError, match="not an answer"):
        answer(InterviewState(), question, "none")


def test_a_result_left_unticked_stays_unknown(shipped: CompiledModel) -> None:
    state = answer(InterviewState(), question_by_id(shipped, "test_results"), ["anaemia"])
    assert state.answers["anaemia"] == "yes"
    assert {reply for finding, reply in state.answers.items() if finding != "anaemia"} == {"unknown"}


def test_a_break_in_the_thigh_bone_told_from_an_x_ray_is_an_emergency(shipped: CompiledModel) -> None:
    state = InterviewState(age=70, sex="female", answers={"leg_pain": "yes"})
    state = answer(state, question_by_id(shipped, "test_results"), ["leg_bone_fracture_on_imaging"])
    assert assess(shipped, state_evidence(shipped, state)).triage.level == TriageLevel.EMERGENCY


def test_a_simulated_person_whose_results_were_normal_answers_dont_know_there(shipped: CompiledModel) -> None:
    question = question_by_id(shipped, "test_results")
    assert patient_reply(question, {finding: False for finding in question.findings}) == "unknown"


def test_a_results_checklist_may_hold_what_is_otherwise_for_clinicians(tmp_path: Path) -> None:
    results = {"id": "results", "text": "Were you told a test showed any of these?", "results": True, "items": [
        {"finding": "straight_leg_raise_positive", "text": "Leg raise test positive"},
        {"finding": "leg_pain_below_knee", "text": "Pain below the knee"},
    ]}
    assert "results" in [q.id for q in _with_a_clinician_finding(tmp_path / "a", results)]
    ordinary = {key: value for key, value in results.items() if key != "results"}
    with pytest.raises(KnowledgeBaseError, match="for clinicians only"):
        _with_a_clinician_finding(tmp_path / "b", ordinary)


def _with_a_clinician_finding(root: Path, checklist: dict[str, Any]) -> list[Any]:
    """The questions of the mini knowledge base with a clinician-only sign and `checklist` added."""
    shutil.copytree(MINI_KB, root)
    findings = yaml.safe_load((root / "findings" / "all.yaml").read_text())
    findings["findings"].append({
        "id": "straight_leg_raise_positive", "label": "Positive straight leg raise", "category": "sign",
        "question": "Does raising the straight leg reproduce the leg pain?", "clinician_only": True,
        "background": {"value": 0.2, "source": "test_source"},
    })
    (root / "findings" / "all.yaml").write_text(yaml.safe_dump(findings))
    policy = yaml.safe_load((root / "interview.yaml").read_text())
    policy["checklists"] = [*policy.get("checklists", []), checklist]
    (root / "interview.yaml").write_text(yaml.safe_dump(policy))
    model = load_model(root)
    return [question_by_id(model, question_id) for question_id in question_values(model, InterviewState()).question_ids]


def test_a_results_checklist_does_not_keep_a_settled_interview_going(shipped: CompiledModel) -> None:
    """Most people have had no test: a simple strain ends without the question being asked."""
    strain = {"low_back_pain": True, "trigger_lifting_twisting": True, "onset_sudden": True, "duration_acute": True,
              "course_improving": True, "worse_with_movement": True, "eased_by_rest": True}
    transcript = simulate(shipped, strain, 30, "male")
    assert transcript.stopped == StopReason.SETTLED
    assert "test_results" not in [question.id for question, _, _ in transcript.turns]


def test_the_terminal_offers_no_zero_for_none_on_the_checklist_of_results(
    shipped: CompiledModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    replies = iter(["0", "?"])
    monkeypatch.setattr(terminal, "read_reply", lambda console, prompt: next(replies))
    console = Console(record=True, width=120)
    reply = terminal._ask_checklist(console, question_by_id(shipped, "test_results"))
    shown = console.export_text()
    assert reply == "unknown"  # "0" was refused, then "don't know" taken
    assert "[0]" not in shown and "0 for none" not in shown
