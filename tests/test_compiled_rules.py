"""The one rule evaluator answers exactly as a plain reading of the rules does, for one case and many."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import spinecheck
from rules_oracle import FALSE, TRUE, UNKNOWN, Person, reference
from spinecheck.core.kb.schema import (
    AgeAtLeast,
    AgeBelow,
    AllOf,
    AnyOf,
    AtLeast,
    Expression,
    Not,
    RedFlagsFile,
    SexIs,
    expression_findings,
)
from spinecheck.core.logic import SEX_CODES, Cases, JointRules, RuleSet
from spinecheck.core.model import CompiledModel

# The packaged rules are the real, nested ones; they are read on their own so that this test
# does not depend on the rest of the knowledge base being complete.
RULE_FILES = [
    Path(spinecheck.__file__).parent / "knowledge" / "red_flags.yaml",
    Path(__file__).parent / "fixtures" / "mini_kb" / "red_flags.yaml",
]
RULES = [
    rule
    for path in RULE_FILES if path.exists()
    for rule in RedFlagsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).rules
]
FINDINGS = sorted(set().union(*(expression_findings(rule.when) for rule in RULES)))
INDEX = {finding: column for column, finding in enumerate(FINDINGS)}
COMPILED = RuleSet([rule.when for rule in RULES], INDEX)


def people() -> st.SearchStrategy[Person]:
    return st.builds(
        Person,
        states=st.dictionaries(st.sampled_from(FINDINGS), st.sampled_from([TRUE, FALSE])),
        age=st.none() | st.integers(0, 110).map(float) | st.floats(0, 120, allow_nan=False),
        sex=st.none() | st.sampled_from(["female", "male"]),
    )


def as_cases(group: list[Person], index: dict[str, int]) -> Cases:
    states = np.zeros((len(group), len(index)), dtype=np.int8)
    for row, person in enumerate(group):
        for finding, value in person.states.items():
            states[row, index[finding]] = value
    age = np.array([np.nan if person.age is None else person.age for person in group])
    sex = np.array([SEX_CODES.get(person.sex or "", 0) for person in group], dtype=np.int8)
    return Cases.of(states, age, sex)


@settings(max_examples=60, deadline=None)
@given(group=st.lists(people(), min_size=1, max_size=80))
def test_every_packaged_rule_compiles_to_the_same_three_valued_answer(group: list[Person]) -> None:
    """One case, a few, and more than the evaluator counts with one `reduceat` (64): the same answers."""
    values = COMPILED.evaluate(as_cases(group, INDEX))
    for row, person in enumerate(group):
        for column, rule in enumerate(RULES):
            assert values[row, column] == reference(rule.when, person), rule.id


@settings(max_examples=100, deadline=None)
@given(person=people())
def test_age_and_sex_conditions_compile_to_the_same_answer(person: Person) -> None:
    conditions: list[Expression] = [
        AgeAtLeast(age_at_least=50), AgeBelow(age_below=20), SexIs(sex="female"), Not(not_=SexIs(sex="male")),
        AtLeast(at_least=2, of=[AgeAtLeast(age_at_least=60), SexIs(sex="male"), Not(not_=AgeBelow(age_below=30))]),
        AgeAtLeast(age_at_least=12, or_unknown=True), AgeAtLeast(age_at_least=12),
        AllOf(all=["fever", AgeAtLeast(age_at_least=50, or_unknown=True)]),
    ]
    values = RuleSet(conditions, INDEX).evaluate(as_cases([person], INDEX))[0]
    assert values.tolist() == [reference(condition, person) for condition in conditions]


@pytest.mark.parametrize(("age", "value"), [(None, TRUE), (8.0, FALSE), (12.0, TRUE), (40.0, TRUE)])
def test_an_age_that_counts_when_unknown_is_true_for_an_age_nobody_gave(age: float | None, value: int) -> None:
    rules = RuleSet([AgeAtLeast(age_at_least=12, or_unknown=True)], INDEX)
    assert rules.evaluate(as_cases([Person(age=age)], INDEX)).tolist() == [[value]]


def test_an_unanswered_finding_leaves_an_any_rule_unknown() -> None:
    rules = RuleSet([AnyOf(any=["saddle_numbness", "bladder_retention"])], INDEX)
    assert rules.evaluate(as_cases([Person()], INDEX)).tolist() == [[UNKNOWN]]


def test_a_part_named_twice_counts_twice_in_at_least() -> None:
    twice = AtLeast(at_least=2, of=["saddle_numbness", "saddle_numbness"])
    people_ = [Person({"saddle_numbness": TRUE}), Person({"saddle_numbness": FALSE}), Person()]
    assert RuleSet([twice], INDEX).evaluate(as_cases(people_, INDEX))[:, 0].tolist() == [TRUE, FALSE, UNKNOWN]


def test_identical_parts_of_different_rules_are_built_once() -> None:
    shared = AnyOf(any=["saddle_numbness", "bladder_retention"])
    rules = RuleSet([AllOf(all=[shared, "fever"]), AllOf(all=[shared, Not(not_="fever")])], INDEX)
    assert len(rules.gates) == 3


def test_a_rule_on_the_mini_kb_fires_once_one_part_is_true(mini_model: CompiledModel) -> None:
    rule = mini_model.kb.red_flags[0]  # any: [saddle_numbness, bladder_retention]
    index = mini_model.finding_index
    group = [
        Person({"saddle_numbness": FALSE, "bladder_retention": TRUE}),
        Person({"saddle_numbness": FALSE}),
        Person({"saddle_numbness": FALSE, "bladder_retention": FALSE}),
    ]
    assert mini_model.rules.evaluate(as_cases(group, index))[:, 0].tolist() == [TRUE, UNKNOWN, FALSE]
    assert [reference(rule.when, person) for person in group] == [TRUE, UNKNOWN, FALSE]


def test_how_many_yes_answers_a_rule_still_needs() -> None:
    older_with_fever = AllOf(all=["fever", AgeAtLeast(age_at_least=50)])
    rule = AtLeast(at_least=2, of=["saddle_numbness", "bladder_retention", older_with_fever])
    rules = RuleSet([rule], INDEX)

    def needed(person: Person) -> float:
        return rules.yes_needed(rules.table(as_cases([person], INDEX))[:, 0], 0)

    assert needed(Person()) == 2
    assert needed(Person({"saddle_numbness": TRUE})) == 1
    assert needed(Person({"saddle_numbness": TRUE, "bladder_retention": TRUE})) == 0
    assert needed(Person({"saddle_numbness": FALSE, "bladder_retention": FALSE}, age=40)) == float("inf")
    assert needed(Person({"saddle_numbness": FALSE}, age=60)) == 2


def test_a_presumed_complaint_holds_until_every_listed_finding_is_answered_no() -> None:
    from spinecheck.core.kb.schema import Presumed

    presumed = Presumed(presumed=["saddle_numbness", "bladder_retention"])
    group = [
        Person(),
        Person(states={"saddle_numbness": FALSE}),
        Person(states={"saddle_numbness": FALSE, "bladder_retention": FALSE}),
        Person(states={"bladder_retention": TRUE}),
    ]
    values = RuleSet([presumed], INDEX).evaluate(as_cases(group, INDEX))[:, 0]
    assert values.tolist() == [TRUE, TRUE, FALSE, TRUE]
    assert values.tolist() == [reference(presumed, person) for person in group]


def test_a_rule_with_a_presumed_context_fires_on_its_warning_alone() -> None:
    from spinecheck.core.kb.schema import Presumed

    rule = AllOf(all=["fever", Presumed(presumed=["saddle_numbness", "bladder_retention"])])
    values = RuleSet([rule], INDEX).evaluate(as_cases([Person(states={"fever": TRUE}), Person()], INDEX))[:, 0]
    assert values.tolist() == [TRUE, UNKNOWN]


def test_an_exception_clears_a_rule_only_when_it_is_answered_yes() -> None:
    from spinecheck.core.kb.schema import Unless

    exception = Unless(unless=["saddle_numbness", "bladder_retention"])
    group = [
        Person(),
        Person(states={"saddle_numbness": FALSE}),
        Person(states={"bladder_retention": TRUE}),
        Person(states={"saddle_numbness": FALSE, "bladder_retention": TRUE}),
    ]
    values = RuleSet([exception], INDEX).evaluate(as_cases(group, INDEX))[:, 0]
    assert values.tolist() == [TRUE, TRUE, FALSE, FALSE]
    assert values.tolist() == [reference(exception, person) for person in group]


def test_a_rule_with_an_exception_fires_while_the_exception_is_unanswered() -> None:
    from spinecheck.core.kb.schema import Unless

    rule = AllOf(all=["fever", Unless(unless=["saddle_numbness"]), Not(not_="bladder_retention")])
    group = [
        Person(states={"fever": TRUE, "bladder_retention": FALSE}),
        Person(states={"fever": TRUE, "bladder_retention": FALSE, "saddle_numbness": TRUE}),
        Person(states={"fever": TRUE}),
    ]
    values = RuleSet([rule], INDEX).evaluate(as_cases(group, INDEX))[:, 0]
    assert values.tolist() == [TRUE, FALSE, UNKNOWN]
    assert values.tolist() == [reference(rule, person) for person in group]


@settings(max_examples=40, deadline=None)
@given(group=st.lists(people(), min_size=1, max_size=3))
def test_rule_sets_evaluated_jointly_for_one_case_answer_as_each_set_alone(group: list[Person]) -> None:
    """`JointRules`: one person's case evaluated once for several sets gives each set's own answers."""
    half = len(RULES) // 2
    sets = [RuleSet([rule.when for rule in RULES[:half]], INDEX), RuleSet([rule.when for rule in RULES[half:]], INDEX),
            RuleSet([AgeAtLeast(age_at_least=50), SexIs(sex="female")], INDEX), RuleSet([], INDEX)]
    joint = JointRules(sets, INDEX)
    for person in group:
        alone = as_cases([person], INDEX)
        one = Cases(alone.states, alone.age, alone.sex, alone.age_index,
                    ([], [], int(alone.age_index[0]), int(alone.sex[0])))
        for part, rules in enumerate(sets):
            for kept, own in zip(joint.truth(part, one), rules.truth(alone), strict=True):
                assert kept.tolist() == own.tolist()
        assert one.memo, "the joint answer is kept with the case"
