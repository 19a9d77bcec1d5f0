"""Three-valued (yes / no / unknown) evaluation of knowledge-base expressions.

Red flags must distinguish "ruled out" from "not asked yet": a rule that is unknown is one
the interview asks about first and the result names ("we could not rule out ..."). Kleene's
logic gives exactly that: `all` is false as soon as one part is false, `any` is true as soon
as one part is true, and otherwise unknown stays unknown.

Values are encoded as integers so the same code serves one case and a batch of millions:
1 = true, 0 = unknown, -1 = false.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spinecheck.core.kb.schema import (
    AgeAtLeast,
    AgeBelow,
    AllOf,
    AnyOf,
    AtLeast,
    Expression,
    Not,
    SexIs,
)

TRUE, UNKNOWN, FALSE = 1, 0, -1
SEX_CODES = {"female": 1, "male": 2}

Int8Array = npt.NDArray[np.int8]


@dataclass(frozen=True)
class Case:
    """What one expression can look at: finding states, age and sex (None when unknown)."""

    states: Mapping[str, int]
    age: float | None = None
    sex: str | None = None


def evaluate(expr: Expression, case: Case) -> int:
    """Evaluate one expression for one case; returns TRUE, UNKNOWN or FALSE."""
    if isinstance(expr, str):
        return case.states.get(expr, UNKNOWN)
    # The loops stop as soon as the answer cannot change any more (Kleene: one false part
    # settles `all`, one true part settles `any`, enough true parts settle `at_least`).
    if isinstance(expr, AllOf):
        result = TRUE
        for part in expr.all:
            value = evaluate(part, case)
            if value == FALSE:
                return FALSE
            result = min(result, value)
        return result
    if isinstance(expr, AnyOf):
        result = FALSE
        for part in expr.any:
            value = evaluate(part, case)
            if value == TRUE:
                return TRUE
            result = max(result, value)
        return result
    if isinstance(expr, AtLeast):
        trues = unknowns = 0
        for part in expr.of:
            value = evaluate(part, case)
            if value == TRUE:
                trues += 1
                if trues >= expr.at_least:
                    return TRUE
            elif value == UNKNOWN:
                unknowns += 1
        return UNKNOWN if trues + unknowns >= expr.at_least else FALSE
    if isinstance(expr, Not):
        return -evaluate(expr.not_, case)
    if isinstance(expr, AgeAtLeast):
        return UNKNOWN if case.age is None else (TRUE if case.age >= expr.age_at_least else FALSE)
    if isinstance(expr, AgeBelow):
        return UNKNOWN if case.age is None else (TRUE if case.age < expr.age_below else FALSE)
    if isinstance(expr, SexIs):
        return UNKNOWN if case.sex is None else (TRUE if case.sex == expr.sex else FALSE)
    raise TypeError(f"not an expression: {expr!r}")


Check = Callable[[Case], int]


def compile_expression(expr: Expression) -> Check:
    """The same function as `evaluate(expr, ·)`, built once so that each call is cheap.

    The knowledge base's red-flag rules are evaluated for every assessment; resolving the
    expression types once and reading plain finding lists in a single loop makes that a few
    times faster than walking the expression tree each time.
    """
    if isinstance(expr, str):
        return lambda case: case.states.get(expr, UNKNOWN)
    if isinstance(expr, AllOf | AnyOf):
        parts = expr.all if isinstance(expr, AllOf) else expr.any
        decisive = FALSE if isinstance(expr, AllOf) else TRUE
        names = [part for part in parts if isinstance(part, str)]
        checks = [compile_expression(part) for part in parts if not isinstance(part, str)]

        def combine(case: Case) -> int:
            # Values are -1, 0, 1: once the decisive value is ruled out, the result is the
            # non-decisive extreme unless some part is unknown.
            unknown = False
            states = case.states
            for name in names:
                value = states.get(name, UNKNOWN)
                if value == decisive:
                    return decisive
                if value == UNKNOWN:
                    unknown = True
            for check in checks:
                value = check(case)
                if value == decisive:
                    return decisive
                if value == UNKNOWN:
                    unknown = True
            return UNKNOWN if unknown else -decisive

        return combine
    if isinstance(expr, AtLeast):
        needed = expr.at_least
        checks = [compile_expression(part) for part in expr.of]

        def at_least(case: Case) -> int:
            trues = unknowns = 0
            for check in checks:
                value = check(case)
                if value == TRUE:
                    trues += 1
                    if trues >= needed:
                        return TRUE
                elif value == UNKNOWN:
                    unknowns += 1
            return UNKNOWN if trues + unknowns >= needed else FALSE

        return at_least
    if isinstance(expr, Not):
        inner = compile_expression(expr.not_)
        return lambda case: -inner(case)
    if isinstance(expr, AgeAtLeast):
        threshold = expr.age_at_least
        return lambda case: UNKNOWN if case.age is None else (TRUE if case.age >= threshold else FALSE)
    if isinstance(expr, AgeBelow):
        limit = expr.age_below
        return lambda case: UNKNOWN if case.age is None else (TRUE if case.age < limit else FALSE)
    if isinstance(expr, SexIs):
        sex = expr.sex
        return lambda case: UNKNOWN if case.sex is None else (TRUE if case.sex == sex else FALSE)
    raise TypeError(f"not an expression: {expr!r}")


def evaluate_batch(
    expr: Expression,
    states: Int8Array,
    finding_index: Mapping[str, int],
    age: npt.NDArray[np.float64],
    sex: Int8Array,
) -> Int8Array:
    """Evaluate one expression for N cases at once.

    `states` is (N, F) with 1 / 0 / -1 per finding, `age` is (N,) with NaN when unknown, and
    `sex` is (N,) with 0 unknown, 1 female, 2 male.
    """
    n = states.shape[0]
    if isinstance(expr, str):
        return states[:, finding_index[expr]].astype(np.int8, copy=False)
    if isinstance(expr, AllOf):
        result = evaluate_batch(expr.all[0], states, finding_index, age, sex)
        for part in expr.all[1:]:
            result = np.minimum(result, evaluate_batch(part, states, finding_index, age, sex))
        return result
    if isinstance(expr, AnyOf):
        result = evaluate_batch(expr.any[0], states, finding_index, age, sex)
        for part in expr.any[1:]:
            result = np.maximum(result, evaluate_batch(part, states, finding_index, age, sex))
        return result
    if isinstance(expr, AtLeast):
        stacked: Int8Array = np.stack([evaluate_batch(part, states, finding_index, age, sex) for part in expr.of])
        trues = np.count_nonzero(stacked == TRUE, axis=0)
        possible = trues + np.count_nonzero(stacked == UNKNOWN, axis=0)
        out = np.full(n, FALSE, dtype=np.int8)
        out[possible >= expr.at_least] = UNKNOWN
        out[trues >= expr.at_least] = TRUE
        return out
    if isinstance(expr, Not):
        return (-evaluate_batch(expr.not_, states, finding_index, age, sex)).astype(np.int8)
    if isinstance(expr, AgeAtLeast | AgeBelow):
        known = ~np.isnan(age)
        with np.errstate(invalid="ignore"):
            hit = age >= expr.age_at_least if isinstance(expr, AgeAtLeast) else age < expr.age_below
        return np.where(known, np.where(hit, TRUE, FALSE), UNKNOWN).astype(np.int8)
    if isinstance(expr, SexIs):
        code = SEX_CODES[expr.sex]
        return np.where(sex == 0, UNKNOWN, np.where(sex == code, TRUE, FALSE)).astype(np.int8)
    raise TypeError(f"not an expression: {expr!r}")
