"""No all-clear without information: an unanswered warning-sign screen, contradictions, and what the result says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from spinecheck.core.assessment import assess
from spinecheck.core.completeness import open_screen, screen_questions
from spinecheck.core.interview import load_interview_policy
from spinecheck.core.kb.loader import DEFAULT_ROOT
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services.assessment import load_model

PREGNANCY_SCREEN = "screen_pregnancy"


def screen_findings(model: CompiledModel, *, but: tuple[str, ...] = ()) -> frozenset[str]:
    """Every warning sign on the shipped screen, except the checklists named in `but`."""
    return frozenset(
        finding for question in screen_questions(model) if question.id not in but for finding, _ in question.items
    )


def test_nothing_given_is_never_self_care_and_says_what_is_missing(model: CompiledModel) -> None:
    result = assess(model, Evidence())
    assert result.status == "incomplete"
    assert result.triage.level != TriageLevel.SELF_CARE
    assert result.triage.reasons[-1] == model.kb.policy.incomplete.nothing_given
    assert result.open_questions
    assert result.care is None


def test_age_and_sex_alone_are_not_usable_information(model: CompiledModel) -> None:
    result = assess(model, Evidence(age=40, sex="male"))
    assert (result.status, result.triage.level) == ("incomplete", model.kb.policy.incomplete.min_level)


def test_an_unanswered_screen_is_not_self_care_and_lists_the_open_questions(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"low_back_pain"}), age=35, sex="male"))
    assert result.triage.level == TriageLevel.ROUTINE
    assert result.status == "incomplete"
    assert model.kb.policy.incomplete.screen_open in result.triage.reasons
    assert "No warning sign was found in what you told us." not in result.triage.reasons
    assert [q.id for q in result.open_questions] == [
        q.id for q in screen_questions(model) if q.id != PREGNANCY_SCREEN
    ]


def test_the_same_case_with_every_warning_sign_answered_no_is_self_care(model: CompiledModel) -> None:
    absent = screen_findings(model, but=(PREGNANCY_SCREEN,))
    result = assess(model, Evidence(present=frozenset({"low_back_pain"}), absent=absent, age=35, sex="male"))
    assert (result.status, result.open_questions) == ("complete", [])
    assert result.triage.level == TriageLevel.SELF_CARE


def test_the_screen_follows_the_persons_situation(model: CompiledModel) -> None:
    """The pregnancy screen is asked of women of child-bearing age and when age or sex is unknown, not of men."""
    back_pain = frozenset({"low_back_pain"})

    def open_ids(age: int | None, sex: str | None) -> set[str]:
        return {q.id for q in open_screen(model, Evidence(present=back_pain, age=age, sex=sex))}  # type: ignore[arg-type]

    assert PREGNANCY_SCREEN in open_ids(30, "female")
    assert PREGNANCY_SCREEN in open_ids(None, None)
    assert PREGNANCY_SCREEN not in open_ids(30, "male")
    assert PREGNANCY_SCREEN not in open_ids(70, "female")


def test_answered_warning_signs_are_not_asked_again(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain"}), absent=frozenset({"fever", "saddle_numbness"}))
    items = {item.finding for q in assess(model, evidence).open_questions for item in q.items}
    assert items and not items & {"fever", "saddle_numbness", "low_back_pain"}


def test_an_emergency_is_complete_whatever_is_left_open(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"low_back_pain", "saddle_numbness"})))
    assert result.triage.level == TriageLevel.EMERGENCY
    assert (result.status, result.open_questions) == ("complete", [])


def test_without_the_floor_the_level_is_the_one_the_evidence_supports(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"low_back_pain"}), age=35), screen_floor=False)
    assert (result.status, result.triage.level) == ("incomplete", TriageLevel.SELF_CARE)


@pytest.mark.parametrize("back", ["low_back_pain", "thoracic_back_pain"])
def test_weakness_of_both_legs_with_back_pain_is_never_below_urgent(model: CompiledModel, back: str) -> None:
    absent = screen_findings(model) - {"leg_weakness_bilateral"}
    evidence = Evidence(present=frozenset({back, "leg_weakness_bilateral"}), absent=absent, age=45, sex="male")
    result = assess(model, evidence)
    assert result.triage.level.rank >= TriageLevel.URGENT.rank
    assert "bilateral_leg_weakness" in [flag.id for flag in result.red_flags]


def test_weakness_of_both_legs_is_urgent_even_without_back_pain(model: CompiledModel) -> None:
    absent = screen_findings(model) - {"leg_weakness_bilateral"}
    evidence = Evidence(present=frozenset({"leg_weakness_bilateral"}), absent=absent, age=45, sex="male")
    result = assess(model, evidence)
    assert result.triage.level.rank >= TriageLevel.URGENT.rank
    assert "bilateral_leg_weakness" in [flag.id for flag in result.red_flags]


def test_a_finding_given_both_ways_is_reported_and_the_safer_reading_used(model: CompiledModel) -> None:
    both = frozenset({"fever"})
    result = assess(model, Evidence(present=both | {"low_back_pain"}, absent=both))
    assert [c.findings for c in result.contradictions] == [["fever"]]
    assert result.contradictions[0].used_present == ["fever"]
    assert "fever" in result.findings.present and "fever" not in result.findings.absent
    assert result.triage.level.rank >= TriageLevel.URGENT.rank


def test_a_contradiction_that_changes_nothing_is_left_unknown(model: CompiledModel) -> None:
    both = frozenset({"smoking"})
    result = assess(model, Evidence(present=both | {"saddle_numbness"}, absent=both))
    assert (result.contradictions[0].used_present, result.contradictions[0].used_absent) == ([], [])
    assert "smoking" not in result.findings.present + result.findings.absent


def test_two_answers_to_one_choice_are_a_contradiction_too(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"low_back_pain", "duration_acute", "duration_chronic"})))
    assert result.contradictions[0].findings == ["duration_acute", "duration_chronic"]
    assert "more than one answer" in result.contradictions[0].message


def test_each_likely_cause_has_a_plain_reason_and_the_leading_one_its_care(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "leg_pain_below_knee", "worse_coughing_sneezing"}))
    result = assess(model, evidence)
    leading = model.kb.conditions[result.conditions[0].id]
    assert result.care is not None and result.care.condition == leading.id
    assert (result.care.specialist, result.care.self_care) == (leading.care.specialist, leading.care.self_care)
    for condition in result.conditions:
        assert condition.summary and "ratio" not in condition.summary and "source" not in condition.summary
        assert condition.specialist == model.kb.conditions[condition.id].care.specialist


def test_a_plain_reason_names_the_age_or_the_sex_that_moved_a_cause(model: CompiledModel) -> None:
    """An older age raises gout and a woman's sex lowers it: the one line says which, never one phrase for both."""
    evidence = Evidence(present=frozenset({"hot_swollen_joint", "fever"}), age=67, sex="female")
    summaries = {condition.id: condition.summary for condition in assess(model, evidence).conditions}
    assert "Fits:" in summaries["gout_flare"] and "your age" in summaries["gout_flare"].split("Against:")[0]
    assert summaries["gout_flare"].endswith("Against: your sex.")
    assert not any("age, sex or history" in summary for summary in summaries.values())


def test_the_open_questions_come_from_the_interview_data(tmp_path: Path) -> None:
    """A checklist that is no longer on the screen in interview.yaml is no longer an open question."""
    root = tmp_path / "kb"
    shutil.copytree(DEFAULT_ROOT, root)
    policy = yaml.safe_load((root / "interview.yaml").read_text(encoding="utf-8"))
    for checklist in policy["checklists"]:
        if checklist["id"] == "screen_sudden_brain":
            checklist["screen"] = False
    (root / "interview.yaml").write_text(yaml.safe_dump(policy, sort_keys=False), encoding="utf-8")
    changed = load_model(root)
    assert load_interview_policy(root).checklists  # the copy is read, not the packaged file
    open_ids = {q.id for q in open_screen(changed, Evidence(present=frozenset({"low_back_pain"})))}
    assert "screen_sudden_brain" not in open_ids and "screen_bladder_bowel" in open_ids
