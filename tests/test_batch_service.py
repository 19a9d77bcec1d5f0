"""Batch triage as a use-case: columns planned once per file, rows triaged as one assessment would be."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from spinecheck.core.assessment import assess
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.services.batch import (
    LEVEL_NAMES,
    BatchInputError,
    Coded,
    IntakeRows,
    plan_columns,
    red_flag_order,
    triage_rows,
)


def coded(values: Sequence[str | None]) -> Coded:
    """A column as the readers give it: an index per row into the distinct values, -1 for missing."""
    vocabulary: dict[str, int] = {}
    codes = [-1 if value is None else vocabulary.setdefault(value, len(vocabulary)) for value in values]
    return np.array(codes, dtype=np.int32), list(vocabulary)


def rows_of(
    findings: dict[str, Sequence[str | None]], age: Sequence[str | None] | None = None,
    sex: Sequence[str | None] | None = None,
) -> IntakeRows:
    count = len(next(iter(findings.values())))
    return IntakeRows(
        count=count,
        findings={name: coded(values) for name, values in findings.items()},
        age=coded(age) if age is not None else None,
        sex=coded(sex) if sex is not None else None,
    )


def test_columns_named_after_findings_are_read_as_answers(mini_model: CompiledModel) -> None:
    plan = plan_columns(mini_model, ["id", "age", "sex", "fever", "low_back_pain"])
    assert plan.findings == ("fever", "low_back_pain")
    assert (plan.id_column, plan.age, plan.sex, plan.narrative) == ("id", "age", "sex", None)


def test_a_misspelt_finding_column_is_refused_with_the_closest_ids(mini_model: CompiledModel) -> None:
    with pytest.raises(BatchInputError, match=r"'saddle_numbnes' \(did you mean saddle_numbness\?\)"):
        plan_columns(mini_model, ["id", "saddle_numbnes", "fever"])


def test_an_ignored_column_is_left_out(mini_model: CompiledModel) -> None:
    plan = plan_columns(mini_model, ["id", "clinic", "fever"], ignore=["clinic"])
    assert plan.ignored == ("clinic",) and "clinic" not in plan.used


def test_a_repeated_column_is_refused(mini_model: CompiledModel) -> None:
    with pytest.raises(BatchInputError, match="more than once: fever"):
        plan_columns(mini_model, ["fever", "fever"])


def test_a_file_with_nothing_to_assess_is_refused(mini_model: CompiledModel) -> None:
    with pytest.raises(BatchInputError, match="nothing to assess"):
        plan_columns(mini_model, ["id", "age", "sex"])


def test_an_id_column_asked_for_must_exist(mini_model: CompiledModel) -> None:
    with pytest.raises(BatchInputError, match="no id column 'patient'"):
        plan_columns(mini_model, ["fever"], id_column="patient", id_required=True)


@pytest.mark.parametrize("word", ["yes", "Y", "true", "TRUE", "1", " yes "])
def test_yes_is_accepted_in_its_usual_spellings(mini_model: CompiledModel, word: str) -> None:
    result = triage_rows(mini_model, rows_of({"saddle_numbness": [word]}))
    assert result.accepted.all() and LEVEL_NAMES[result.level[0]] == "emergency"


@pytest.mark.parametrize("word", ["", "unknown", None])
def test_blank_and_unknown_leave_a_finding_unanswered(mini_model: CompiledModel, word: str | None) -> None:
    unanswered = triage_rows(mini_model, rows_of({"low_back_pain": ["yes"]}))
    result = triage_rows(mini_model, rows_of({"low_back_pain": ["yes"], "fever": [word]}))
    assert np.array_equal(result.top_probabilities, unanswered.top_probabilities)


def test_a_value_that_is_not_an_answer_refuses_its_row_only(mini_model: CompiledModel) -> None:
    result = triage_rows(mini_model, rows_of({"fever": ["yes", "maybe", "no"]}))
    assert result.accepted.tolist() == [True, False, True]
    assert result.reasons == ("fever: 'maybe' is not yes, no or unknown",)
    assert result.level.shape == (2,)


def test_every_fault_of_a_row_is_named(mini_model: CompiledModel) -> None:
    result = triage_rows(mini_model, rows_of({"fever": ["often"]}, age=["old"], sex=["x"]))
    assert result.reasons == (
        "fever: 'often' is not yes, no or unknown; age: 'old' is not an age in years (0 to 130); "
        "sex: 'x' is not female, male or unknown",
    )


@pytest.mark.parametrize("age", ["-1", "131", "nan", "forty"])
def test_an_impossible_age_refuses_the_row(mini_model: CompiledModel, age: str) -> None:
    assert not triage_rows(mini_model, rows_of({"fever": ["no"]}, age=[age])).accepted[0]


def test_two_answers_to_one_choice_question_are_a_contradiction(mini_model: CompiledModel) -> None:
    result = triage_rows(mini_model, rows_of({"duration_acute": ["yes"], "duration_chronic": ["yes"]}))
    assert result.reasons == ("only one answer of 'duration' can be present, got: duration_acute, duration_chronic",)


def test_a_row_triages_as_the_same_person_assessed_alone(mini_model: CompiledModel) -> None:
    result = triage_rows(mini_model, rows_of(
        {"low_back_pain": ["yes"], "duration_acute": ["yes"], "fever": ["no"], "saddle_numbness": ["no"]},
        age=["40"], sex=["female"],
    ))
    alone = assess(mini_model, Evidence(
        present=frozenset({"low_back_pain", "duration_acute"}), absent=frozenset({"fever", "saddle_numbness"}),
        age=40, sex="female",
    ))
    assert LEVEL_NAMES[result.level[0]] == alone.triage.level.value
    ids = [mini_model.condition_ids[i] for i in result.top_conditions[0]]
    assert ids == [condition.id for condition in alone.conditions[:3]]
    assert result.top_probabilities[0].tolist() == [condition.probability for condition in alone.conditions[:3]]


def _random_rows(model: CompiledModel, count: int, seed: int) -> tuple[IntakeRows, list[Evidence]]:
    """Rows answering a random few findings each (one option per choice question), and the same as Evidence."""
    rng = np.random.default_rng(seed)
    group_of = {member: group for group, members in model.exclusive_groups.items() for member in members}
    answers: dict[str, list[str | None]] = {finding: [None] * count for finding in model.finding_ids}
    ages: list[str | None] = []
    sexes: list[str | None] = []
    cases: list[Evidence] = []
    for row in range(count):
        present: set[str] = set()
        absent: set[str] = set()
        groups: set[str] = set()
        for column in rng.choice(len(model.finding_ids), size=int(rng.integers(3, 25)), replace=False).tolist():
            finding = model.finding_ids[column]
            group = group_of.get(finding)
            if rng.random() < 0.3 and (group is None or group not in groups):
                present.add(finding)
                groups.add(group) if group else None
                answers[finding][row] = str(rng.choice(["yes", "true", "1"]))
            else:
                absent.add(finding)
                answers[finding][row] = str(rng.choice(["no", "false", "0"]))
        age = int(rng.integers(5, 95)) if rng.random() < 0.9 else None
        sex = str(rng.choice(["female", "male"])) if rng.random() < 0.9 else None
        ages.append(None if age is None else str(age))
        sexes.append(sex)
        cases.append(Evidence(present=frozenset(present), absent=frozenset(absent), age=age, sex=sex))  # type: ignore[arg-type]
    return rows_of(answers, age=ages, sex=sexes), cases


def test_the_batch_gives_every_row_the_result_of_assessing_it_alone(model: CompiledModel) -> None:
    rows, cases = _random_rows(model, 150, seed=7)
    result = triage_rows(model, rows)
    assert result.accepted.all()
    flags = red_flag_order(model)
    for row, evidence in enumerate(cases):
        alone = assess(model, evidence)
        assert LEVEL_NAMES[result.level[row]] == alone.triage.level.value, row
        assert bool(result.incomplete[row]) == (alone.status == "incomplete"), row
        assert bool(result.call_ambulance[row]) == alone.triage.call_ambulance, row
        fired = {flags[i] for i in np.flatnonzero(result.red_flags[row])}
        assert fired == {flag.id for flag in alone.red_flags}, row
        shown = [model.condition_ids[i] for i in result.top_conditions[row] if i >= 0]
        assert shown == [condition.id for condition in alone.conditions[:3]], row
        assert np.allclose(
            result.top_probabilities[row][: len(shown)], [c.probability for c in alone.conditions[:3]], atol=1e-6
        ), row


def test_a_child_gets_the_ranked_list_that_one_assessment_would_give(model: CompiledModel) -> None:
    result = triage_rows(model, rows_of({"low_back_pain": ["yes", "yes"]}, age=["10", "40"]))
    alone = assess(model, Evidence(present=frozenset({"low_back_pain"}), age=10))
    assert [model.condition_ids[i] for i in result.top_conditions[0]] == [c.id for c in alone.conditions[:3]]
    assert (result.top_conditions[1] >= 0).all()


def test_a_description_is_read_as_one_assessment_would_read_it(mini_model: CompiledModel) -> None:
    import spinecheck.interfaces.wiring  # noqa: F401  (plugs the medspaCy reader into the services)
    from spinecheck.services.narrative import assess_text

    text = "back pain for 2 weeks and numb down there. No fever."
    result = triage_rows(mini_model, IntakeRows(count=1, findings={}, narratives=[text]))
    alone = assess_text(text, mini_model)
    assert LEVEL_NAMES[result.level[0]] == alone.triage.level.value == "emergency"
    ids = [mini_model.condition_ids[i] for i in result.top_conditions[0]]
    assert ids == [condition.id for condition in alone.conditions[:3]]


def test_a_stated_answer_wins_over_the_description(mini_model: CompiledModel) -> None:
    import spinecheck.interfaces.wiring  # noqa: F401

    text = "numb down there"
    rows = IntakeRows(count=1, findings={"saddle_numbness": coded(["no"])}, narratives=[text])
    assert triage_rows(mini_model, rows).red_flags.sum() == 0


def test_a_row_with_its_warning_signs_unanswered_is_incomplete_and_never_self_care(model: CompiledModel) -> None:
    screened = {finding: ["no", None] for finding in ("saddle_numbness", "bladder_retention", "faecal_incontinence")}
    everything = {finding: ["no", None] for finding in model.finding_ids if model.kb.findings[finding].type != "choice"}
    result = triage_rows(model, rows_of({**everything, **screened, "low_back_pain": ["yes", "yes"]}, age=["35", "35"]))
    assert result.incomplete.tolist() == [False, True]
    assert LEVEL_NAMES[result.level[1]] != "self_care"
