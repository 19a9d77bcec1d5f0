"""Three-valued (yes / no / unknown) evaluation of knowledge-base expressions.

Red flags must distinguish "ruled out" from "not asked yet": a rule that is unknown is one
the interview asks about first and the result names ("we could not rule out ..."). Kleene's
logic gives exactly that: `all` is false as soon as one part is false, `any` is true as soon
as one part is true, and otherwise unknown stays unknown.

Values are encoded as integers so the same code serves one case and a batch of millions:
1 = true, 0 = unknown, -1 = false.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    if isinstance(expr, AllOf):
        values = [evaluate(part, case) for part in expr.all]
        return min(values)
    if isinstance(expr, AnyOf):
        values = [evaluate(part, case) for part in expr.any]
        return max(values)
    if isinstance(expr, AtLeast):
        values = [evaluate(part, case) for part in expr.of]
        trues = sum(1 for value in values if value == TRUE)
        unknowns = sum(1 for value in values if value == UNKNOWN)
        if trues >= expr.at_least:
            return TRUE
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
