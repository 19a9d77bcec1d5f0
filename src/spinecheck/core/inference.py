"""Posterior over conditions, its explanation, and batch scoring as one array operation.

Unanswered findings are marginalised: under the independence assumption, summing a
finding's present and absent likelihoods gives one, so an unknown finding simply drops out.
The posterior is mixed with a small uniform leak so that no condition is ever shown as
impossible or certain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spinecheck.core.logic import FALSE, SEX_CODES, TRUE, evaluate, evaluate_batch
from spinecheck.core.model import UNKNOWN_AGE_INDEX, CompiledModel, Evidence

FloatArray = npt.NDArray[np.float64]
BATCH_CHUNK = 65_536


def log_scores(model: CompiledModel, evidence: Evidence) -> FloatArray:
    """Unnormalised log posterior for every condition."""
    plan = model.modifier_plan
    scores = model.log_prior.copy()
    age_index = UNKNOWN_AGE_INDEX if evidence.age is None else evidence.age
    scores += plan.demographic_table[age_index, SEX_CODES.get(evidence.sex or "", 0)]
    if plan.general:
        case = evidence.case()
        for term, check in plan.general:
            if check(case) == TRUE:
                scores[term.condition] += term.log_multiplier
    if evidence.present or evidence.absent:
        scores += np.add.reduce(plan.answer_table.take(model.answer_rows(evidence), axis=0), axis=0)
    return scores


def normalise(scores: FloatArray, leak: float) -> FloatArray:
    """Softmax over the last axis, then mix with a uniform leak."""
    count = scores.shape[-1]
    if scores.ndim == 1:  # one case: the same arithmetic without the keepdims overhead
        single: FloatArray = np.exp(scores - scores.max())
        single *= (1.0 - leak) / single.sum()
        single += leak / count
        return single
    shifted = scores - scores.max(axis=-1, keepdims=True)
    weights = np.exp(shifted)
    probabilities = weights / weights.sum(axis=-1, keepdims=True)
    result: FloatArray = (1.0 - leak) * probabilities + leak / count
    return result


def posterior(model: CompiledModel, evidence: Evidence) -> FloatArray:
    """P(condition | evidence) for every condition, in the model's condition order."""
    return normalise(log_scores(model, evidence), model.leak)


@dataclass(frozen=True)
class Contribution:
    """How much one answer moved one condition, as a log likelihood ratio against back pain in general."""

    finding: str
    present: bool
    log_ratio: float
    source: str | None

    @property
    def ratio(self) -> float:
        return float(np.exp(self.log_ratio))


@dataclass(frozen=True)
class Explanation:
    supporting: tuple[Contribution, ...]
    opposing: tuple[Contribution, ...]


def explain(
    model: CompiledModel, evidence: Evidence, condition: str, limit: int = 4, min_log_ratio: float = 0.05
) -> Explanation:
    """The answers that raised and lowered `condition` most, with the source of each number."""
    return explain_many(model, evidence, [condition], limit, min_log_ratio)[0]


def explain_many(
    model: CompiledModel,
    evidence: Evidence,
    conditions: Sequence[str],
    limit: int = 4,
    min_log_ratio: float = 0.05,
) -> list[Explanation]:
    """`explain` for several conditions at once, reading the answers' log ratios in one step.

    Most answers move a condition by nothing (its likelihood is the background rate), so only
    the answers that pass `min_log_ratio` are ranked, and only the winners become objects.
    """
    rows = [model.condition_index[condition] for condition in conditions]
    present, absent = list(evidence.present), list(evidence.absent)
    answers = present + absent
    row_index = np.array(rows, dtype=np.intp)[:, None]
    log_ratios = np.concatenate((
        model.log_lr_present[row_index, model.columns(present)],
        model.log_lr_absent[row_index, model.columns(absent)],
    ), axis=1)
    hit_rows, hit_columns = np.nonzero(np.abs(log_ratios) >= min_log_ratio)
    notable: list[list[tuple[float, int]]] = [[] for _ in rows]
    for position, column, value in zip(
        hit_rows.tolist(), hit_columns.tolist(), log_ratios[hit_rows, hit_columns].tolist(), strict=True
    ):
        notable[position].append((value, column))
    case = evidence.case() if any(model.modifiers_by_condition[row] for row in rows) else None

    explanations: list[Explanation] = []
    for position, row in enumerate(rows):
        sources = model.likelihood_sources[row]
        # (log ratio, finding, present, source): Contribution's fields, cheap to rank
        candidates = [
            (value, answers[column], column < len(present), sources.get(answers[column]))
            for value, column in notable[position]
        ]
        if case is not None:
            for term in model.modifiers_by_condition[row]:
                if evaluate(term.when, case) == TRUE:
                    label = term.note or "risk factor"
                    candidates.append((term.log_multiplier, f"prior:{label}", True, term.source))
        supporting = sorted(
            (item for item in candidates if item[0] >= min_log_ratio), key=lambda item: (-item[0], item[1])
        )[:limit]
        opposing = sorted(
            (item for item in candidates if item[0] <= -min_log_ratio), key=lambda item: (item[0], item[1])
        )[:limit]
        explanations.append(Explanation(
            tuple(Contribution(finding, yes, value, source) for value, finding, yes, source in supporting),
            tuple(Contribution(finding, yes, value, source) for value, finding, yes, source in opposing),
        ))
    return explanations


def score_batch(
    model: CompiledModel,
    states: npt.NDArray[np.int8],
    age: FloatArray | None = None,
    sex: npt.NDArray[np.int8] | None = None,
    dtype: type[np.floating] = np.float32,  # type: ignore[type-arg]
) -> npt.NDArray[np.floating]:  # type: ignore[type-arg]
    """Posteriors for N cases at once: (N, F) states of 1 / 0 / -1 in, (N, C) probabilities out.

    The work is two matrix products per chunk of cases; prior modifiers are evaluated as
    vectorised three-valued expressions. `age` uses NaN for unknown, `sex` 0 / 1 female / 2 male.
    """
    n = states.shape[0]
    age = np.full(n, np.nan) if age is None else age
    sex = np.zeros(n, dtype=np.int8) if sex is None else sex
    log_present = model.log_present.T.astype(dtype)
    log_absent = model.log_absent.T.astype(dtype)
    out = np.empty((n, len(model.condition_ids)), dtype=dtype)
    for start in range(0, n, BATCH_CHUNK):
        stop = min(start + BATCH_CHUNK, n)
        chunk = states[start:stop]
        scores = (chunk == TRUE).astype(dtype) @ log_present
        scores += (chunk == FALSE).astype(dtype) @ log_absent
        scores += model.log_prior.astype(dtype)
        for term in model.modifiers:
            hit = evaluate_batch(term.when, chunk, model.finding_index, age[start:stop], sex[start:stop])
            scores[:, term.condition] += np.where(hit == TRUE, dtype(term.log_multiplier), dtype(0))
        out[start:stop] = normalise(scores.astype(np.float64), model.leak).astype(dtype)
    return out
