"""Posterior over conditions and its explanation: one computation for one case and for millions.

Unanswered findings are marginalised: under the independence assumption, summing a
finding's present and absent likelihoods gives one, so an unknown finding simply drops out.
The posterior is mixed with a small uniform leak so that no condition is ever shown as
impossible or certain.

Every path (`assess()`, the interview's look-ahead, `score_batch`) goes through `posteriors`
on a `Cases` matrix; `posterior(model, evidence)` is the same for one case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spinecheck.core.logic import FALSE, TRUE
from spinecheck.core.model import Cases, CompiledModel, Evidence

FloatArray = npt.NDArray[np.float64]
AnyFloatArray = npt.NDArray[np.floating]  # type: ignore[type-arg]
BATCH_CHUNK = 65_536


FEW_CASES = 16
"""Up to this many cases the answers' rows are gathered and added; beyond, two matrix products.

Both add the same rows. For one case a matrix product is no faster, and a BLAS library may
hand even a small product to several threads, which stalls on a busy machine."""


def answer_log_likelihood(
    model: CompiledModel, states: npt.NDArray[np.int8], dtype: type[np.floating] = np.float64  # type: ignore[type-arg]
) -> AnyFloatArray:
    """(N, C): the sum over each case's answers of log P(answer | condition).

    The one place where the answers' contributions are added up: a "yes" to finding j adds row
    j of `CompiledModel.answer_table`, a "no" row F + j, an unknown nothing (marginalised).
    Prior modifiers on a single finding are folded into its "yes" row.
    """
    table = model.answer_table if dtype is np.float64 else model.answer_table_float32
    count = states.shape[1]
    if states.shape[0] == 1:
        columns = np.flatnonzero(states[0])
        rows = columns + count * (states[0, columns] == FALSE)
        one: AnyFloatArray = table[rows].sum(axis=0, keepdims=True)
        return one
    if states.shape[0] <= FEW_CASES:
        cases, columns = np.nonzero(states)
        rows = columns + count * (states[cases, columns] == FALSE)
        total: AnyFloatArray = np.zeros((states.shape[0], table.shape[1]), dtype=dtype)
        np.add.at(total, cases, table[rows])
        return total
    total = (states == TRUE).astype(dtype) @ table[:count]
    total += (states == FALSE).astype(dtype) @ table[count:]
    return total


def log_posterior_scores(
    model: CompiledModel, cases: Cases, dtype: type[np.floating] = np.float64  # type: ignore[type-arg]
) -> AnyFloatArray:
    """(N, C) unnormalised log posterior: log prior, prior modifiers, and the answers."""
    scores = answer_log_likelihood(model, cases.states, dtype)
    scores += model.prior_table[cases.age_index, cases.sex]  # log prior and modifiers on age and sex
    general = model.modifier_kinds[3]
    if general.size:
        holds = model.general_modifier_rules.truth(cases)[0]
        scores += holds.astype(dtype) @ model.modifier_log_multipliers[general].astype(dtype)
    return scores


def normalise(scores: FloatArray, leak: float) -> FloatArray:
    """Softmax over the last axis, then mix with a uniform leak."""
    count = scores.shape[-1]
    weights: FloatArray = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights *= (1.0 - leak) / weights.sum(axis=-1, keepdims=True)
    weights += leak / count
    return weights


def posteriors(model: CompiledModel, cases: Cases) -> FloatArray:
    """(N, C): P(condition | evidence) for every case, in the model's condition order."""
    return normalise(log_posterior_scores(model, cases).astype(np.float64, copy=False), model.leak)


def posterior(model: CompiledModel, evidence: Evidence) -> FloatArray:
    """P(condition | evidence) for one case (checked evidence), in the model's condition order."""
    single: FloatArray = posteriors(model, model.encode(evidence))[0]
    return single


def log_scores(model: CompiledModel, evidence: Evidence) -> FloatArray:
    """Unnormalised log posterior of one case, for every condition."""
    single: FloatArray = log_posterior_scores(model, model.encode(evidence))[0]
    return single


def score_batch(
    model: CompiledModel,
    states: npt.NDArray[np.int8],
    age: FloatArray | None = None,
    sex: npt.NDArray[np.int8] | None = None,
    dtype: type[np.floating] = np.float32,  # type: ignore[type-arg]
) -> AnyFloatArray:
    """Posteriors for N cases at once: (N, F) states of 1 / 0 / -1 in, (N, C) probabilities out.

    `age` uses NaN for unknown, `sex` 0 / 1 female / 2 male. The same computation as
    `posterior`, in chunks, with the matrix products in `dtype`.
    """
    cases = Cases.of(states, age, sex)
    out = np.empty((len(cases), len(model.condition_ids)), dtype=dtype)
    for start in range(0, len(cases), BATCH_CHUNK):
        chunk = cases.take(slice(start, start + BATCH_CHUNK))
        scores = log_posterior_scores(model, chunk, dtype).astype(np.float64)
        out[start:start + BATCH_CHUNK] = normalise(scores, model.leak)
    return out


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


Candidate = tuple[float, str, bool, int]
"""(log ratio, name, present, key): a contribution, cheap to rank; `key` finds it again
(0..2F-1 an answer, as present column or F + absent column; 2F + t prior modifier term t)."""


def ranked_contributions(
    model: CompiledModel,
    evidence: Evidence,
    rows: Sequence[int],
    limit: int,
    min_log_ratio: float,
    cases: Cases | None = None,
) -> list[tuple[list[Candidate], list[Candidate]]]:
    """Per condition row: the strongest supporting and opposing contributions, best first.

    A contribution is an answer (its log likelihood ratio against back pain in general) or a
    prior modifier that holds for the person (its log multiplier), read from one table
    (`CompiledModel.explanation_table`). Only those moving a condition by at least
    `min_log_ratio` count; ties go by name. `cases` is the evidence already encoded.
    """
    count = len(model.finding_ids)
    index = model.finding_index
    keyed = [(name, index[name]) for name in evidence.present]
    keyed += [(name, count + index[name]) for name in evidence.absent]
    if model.modifiers:
        holding = model.modifier_truth(cases if cases is not None else model.encode(evidence))[0]
        keyed += [(model.modifier_names[term], 2 * count + term) for term in np.flatnonzero(holding).tolist()]
    keyed.sort()  # ties rank by name (and modifiers of the same name in knowledge-base order)
    names = [name for name, _ in keyed]
    keys = [key for _, key in keyed]
    log_ratios = model.explanation_table[np.array(rows, dtype=np.intp)[:, None], keys]
    descending = np.argsort(-log_ratios, axis=1, kind="stable")[:, :limit].tolist()
    ascending = np.argsort(log_ratios, axis=1, kind="stable")[:, :limit].tolist()
    values = log_ratios.tolist()
    ranked: list[tuple[list[Candidate], list[Candidate]]] = []
    for row_values, strongest, weakest in zip(values, descending, ascending, strict=True):
        supporting: list[Candidate] = []
        for column in strongest:
            if row_values[column] < min_log_ratio:
                break
            key = keys[column]
            supporting.append((row_values[column], names[column], key < count or key >= 2 * count, key))
        opposing: list[Candidate] = []
        for column in weakest:
            if row_values[column] > -min_log_ratio:
                break
            key = keys[column]
            opposing.append((row_values[column], names[column], key < count or key >= 2 * count, key))
        ranked.append((supporting, opposing))
    return ranked


def contribution(model: CompiledModel, row: int, candidate: Candidate) -> Contribution:
    value, name, present, key = candidate
    if key >= 2 * len(model.finding_ids):
        return Contribution(name, True, value, model.modifiers[key - 2 * len(model.finding_ids)].source)
    return Contribution(name, present, value, model.likelihood_sources[row].get(name))


def explain_many(
    model: CompiledModel,
    evidence: Evidence,
    conditions: Sequence[str],
    limit: int = 4,
    min_log_ratio: float = 0.05,
) -> list[Explanation]:
    """`explain` for several conditions at once, reading the answers' log ratios in one step."""
    rows = [model.condition_index[condition] for condition in conditions]
    return [
        Explanation(
            tuple(contribution(model, row, item) for item in supporting),
            tuple(contribution(model, row, item) for item in opposing),
        )
        for row, (supporting, opposing) in zip(
            rows, ranked_contributions(model, evidence, rows, limit, min_log_ratio), strict=True
        )
    ]
