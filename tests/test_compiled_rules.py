"""A compiled red-flag rule answers exactly as the rule read from the knowledge base does."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import spinecheck
from spinecheck.core.kb.schema import AgeAtLeast, AgeBelow, AllOf, AnyOf, AtLeast, Expression, Not, RedFlagsFile, SexIs
from spinecheck.core.logic import FALSE, TRUE, UNKNOWN, Case, compile_expression, evaluate
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
CHECKS = [compile_expression(rule.when) for rule in RULES]


def names(expr: Expression) -> set[str]:
    """Every finding id an expression reads."""
    if isinstance(expr, str):
        return {expr}
    if isinstance(expr, AllOf | AnyOf | AtLeast):
        parts = expr.all if isinstance(expr, AllOf) else expr.any if isinstance(expr, AnyOf) else expr.of
        return set().union(*(names(part) for part in parts))
    if isinstance(expr, Not):
        return names(expr.not_)
    return set()


FINDINGS = sorted(set().union(*(names(rule.when) for rule in RULES)))


def cases() -> st.SearchStrategy[Case]:
    return st.builds(
        Case,
        states=st.dictionaries(st.sampled_from(FINDINGS), st.sampled_from([TRUE, FALSE])),
        age=st.none() | st.integers(0, 110).map(float),
        sex=st.none() | st.sampled_from(["female", "male"]),
    )


@settings(max_examples=300, deadline=None)
@given(case=cases())
def test_every_packaged_rule_compiles_to_the_same_three_valued_answer(case: Case) -> None:
    for rule, check in zip(RULES, CHECKS, strict=True):
        assert check(case) == evaluate(rule.when, case), rule.id


def test_an_unanswered_finding_leaves_an_any_rule_unknown() -> None:
    check = compile_expression("saddle_numbness")
    assert check(Case(states={})) == UNKNOWN


def test_a_rule_on_the_mini_kb_fires_once_one_part_is_true(mini_model: CompiledModel) -> None:
    check = mini_model.red_flag_checks[0]  # any: [saddle_numbness, bladder_retention]
    assert check(Case(states={"saddle_numbness": FALSE, "bladder_retention": TRUE})) == TRUE
    assert check(Case(states={"saddle_numbness": FALSE})) == UNKNOWN
    assert check(Case(states={"saddle_numbness": FALSE, "bladder_retention": FALSE})) == FALSE


@settings(max_examples=100, deadline=None)
@given(case=cases())
def test_age_and_sex_conditions_compile_to_the_same_answer(case: Case) -> None:
    for expr in (AgeAtLeast(age_at_least=50), AgeBelow(age_below=20), SexIs(sex="female"), Not(not_=SexIs(sex="male"))):
        assert compile_expression(expr)(case) == evaluate(expr, case)
