"""A plain reference reading of knowledge-base expressions, for tests only.

The engine compiles expressions into `spinecheck.core.logic.RuleSet`; this walks the expression
tree directly, one case at a time, in Kleene's three-valued logic, so that property tests can
check the compiled evaluator against something written independently of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from spinecheck.core.kb.schema import (
    AgeAtLeast,
    AgeBelow,
    AllOf,
    AnyOf,
    AtLeast,
    Expression,
    Not,
    Presumed,
    SexIs,
    Unless,
)

TRUE, UNKNOWN, FALSE = 1, 0, -1


@dataclass(frozen=True)
class Person:
    """What an expression can look at: finding states (1 / -1; missing is unknown), age and sex."""

    states: Mapping[str, int] = field(default_factory=dict)
    age: float | None = None
    sex: str | None = None


def reference(expr: Expression, person: Person) -> int:
    """TRUE, UNKNOWN or FALSE for one person."""
    if isinstance(expr, str):
        return person.states.get(expr, UNKNOWN)
    if isinstance(expr, AllOf):
        return min(reference(part, person) for part in expr.all)
    if isinstance(expr, AnyOf):
        return max(reference(part, person) for part in expr.any)
    if isinstance(expr, AtLeast):
        values = [reference(part, person) for part in expr.of]
        if values.count(TRUE) >= expr.at_least:
            return TRUE
        return UNKNOWN if values.count(TRUE) + values.count(UNKNOWN) >= expr.at_least else FALSE
    if isinstance(expr, Not):
        return -reference(expr.not_, person)
    if isinstance(expr, Presumed):
        return FALSE if all(person.states.get(f, UNKNOWN) == FALSE for f in expr.presumed) else TRUE
    if isinstance(expr, Unless):
        return FALSE if any(person.states.get(f, UNKNOWN) == TRUE for f in expr.unless) else TRUE
    if isinstance(expr, AgeAtLeast | AgeBelow):
        if person.age is None:
            return TRUE if isinstance(expr, AgeAtLeast) and expr.or_unknown else UNKNOWN
        holds = person.age >= expr.age_at_least if isinstance(expr, AgeAtLeast) else person.age < expr.age_below
        return TRUE if holds else FALSE
    if isinstance(expr, SexIs):
        return UNKNOWN if person.sex is None else TRUE if person.sex == expr.sex else FALSE
    raise TypeError(f"not an expression: {expr!r}")
