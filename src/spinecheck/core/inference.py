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

from spinecheck.core.logic import FALSE, TRUE, UNKNOWN, cells
from spinecheck.core.model import Cases, CompiledModel, Evidence

FloatArray = npt.NDArray[np.float64]
AnyFloatArray = npt.NDArray[np.floating]  # type: ignore[type-arg]
IntArray = npt.NDArray[np.intp]
Int8Array = npt.NDArray[np.int8]
BATCH_CHUNK = 65_536


FEW_CASES = 16
"""Up to this many cases the answers' rows are gathered and added; beyond, two matrix products.

Both add the same rows. For one case a matrix product is no faster, and a BLAS library may
hand even a small product to several threads, which stalls on a busy machine."""


def answer_log_likelihood(
    model: CompiledModel,
    cases: Cases,
    dtype: type[np.floating] = np.float64,  # type: ignore[type-arg]
    near_first: bool = False,
) -> AnyFloatArray:
    """(N, C): the sum over each case's answers of log P(answer | condition).

    The one place where the answers' contributions are added up: a "yes" to finding j adds row
    j of `CompiledModel.answer_table`, a "no" row F + j, an unknown nothing (marginalised).
    Prior modifiers on a single finding are folded into its "yes" row. An answer that a more
    specific answer implies is not counted again (`CompiledModel.counted_answers`).

    `near_first` says that every row differs from the first in a few answers (the interview's
    look-ahead: the state as it is, then the state with one reply added): the first row's answers
    are added up once, and every other row adds only what its changed answers change.
    """
    return _answer_sums(model, cases, None if cases.one is not None else model.counted_states(cases.states),
                        dtype, near_first)


def _answer_sums(
    model: CompiledModel,
    cases: Cases,
    counted: Int8Array | None,
    dtype: type[np.floating],  # type: ignore[type-arg]
    near_first: bool,
) -> AnyFloatArray:
    """`answer_log_likelihood`, given the cases' `counted_states` (None for one person's case)."""
    table = model.answer_table if dtype is np.float64 else model.answer_table_float32
    count = len(model.finding_ids)
    if cases.one is not None:  # one person: their rows, from the lists they were encoded from
        present, absent = model.counted_answers_of(cases)
        one: AnyFloatArray = table.take(present + [count + column for column in absent], axis=0).sum(
            axis=0, keepdims=True
        )
        return one
    states = model.counted_states(cases.states) if counted is None else counted
    if near_first and dtype is np.float64 and states.shape[0] > 1:
        return _by_difference(model, states)
    if states.shape[0] <= FEW_CASES:
        rows, columns = cells(states)
        answers = columns + count * (states[rows, columns] == FALSE)
        total: AnyFloatArray = np.zeros((states.shape[0], table.shape[1]), dtype=dtype)
        np.add.at(total, rows, table[answers])
        return total
    total = (states == TRUE).astype(dtype) @ table[:count]
    total += (states == FALSE).astype(dtype) @ table[count:]
    return total


def _by_difference(model: CompiledModel, states: Int8Array) -> FloatArray:
    """`answer_log_likelihood` of counted states whose rows differ from the first in a few answers:
    the first row's sum, plus for every other row the rows of its changed answers less those they replace."""
    count = len(model.finding_ids)
    padded = model.answer_table_padded  # row 2F: an unknown answer adds nothing

    def table_rows(values: Int8Array, columns: IntArray) -> IntArray:
        rows: IntArray = np.where(values == UNKNOWN, 2 * count, columns + count * (values == FALSE))
        return rows

    first = states[0]
    answered = np.flatnonzero(first)
    base = padded[table_rows(first[answered], answered)].sum(axis=0)
    rows, columns = np.divmod(np.flatnonzero(states != first), count)
    if not rows.size:
        return np.repeat(base[None, :], states.shape[0], axis=0)
    change = padded.take(table_rows(states[rows, columns], columns), axis=0)
    change -= padded.take(table_rows(first[columns], columns), axis=0)
    # every row's changes added up per condition, in the order of their columns, in one pass
    width = padded.shape[1]
    slots = (rows[:, None] * width + np.arange(width)).ravel()
    changes = np.bincount(slots, weights=change.ravel(), minlength=states.shape[0] * width)
    total: FloatArray = base + changes.reshape(states.shape[0], width)
    return total


def log_posterior_scores(
    model: CompiledModel,
    cases: Cases,
    dtype: type[np.floating] = np.float64,  # type: ignore[type-arg]
    near_first: bool = False,
) -> AnyFloatArray:
    """(N, C) unnormalised log posterior: log prior, prior modifiers, the answers, and the clusters of
    signs whose published ratio replaces their members' own (`near_first`: see `answer_log_likelihood`)."""
    counted = None if cases.one is not None else model.counted_states(cases.states)
    if cases.one is not None and dtype is np.float64:
        # one person: the rows of their answers, then the row of their log prior and the modifiers on age
        # and sex, added in one pass in that order (the sum of the answers' rows, plus the prior's row)
        count = len(model.finding_ids)
        present, absent = model.counted_answers_of(cases)
        taken = present + list(map(count.__add__, absent))
        taken.append(model.prior_rows[cases.one[2]][cases.one[3]])
        scores: AnyFloatArray = model.answer_and_prior_table.take(taken, axis=0).sum(axis=0, keepdims=True)
    else:
        scores = _answer_sums(model, cases, counted, dtype, near_first)
        if cases.one is not None:
            scores += model.prior_table[cases.one[2], cases.one[3]]  # log prior and modifiers on age and sex
        else:
            scores += model.prior_table[cases.age_index, cases.sex]
    general = model.modifier_kinds[3]
    if general.size:
        holds = model.general_modifier_truth(cases)[0]
        multipliers = model.general_modifier_log_multipliers
        scores += holds.astype(dtype) @ (multipliers if dtype is np.float64 else multipliers.astype(dtype))
    _add_share_adjustment(model, cases, counted, scores, dtype)
    if cases.one is not None:  # one person: whether a cluster applies is known without the outcomes' array
        if model.clusters_apply(cases):
            scores += model.cluster_adjustment(cases, counted, model.cluster_outcomes(cases)).astype(dtype)
    elif model.kb.clusters:
        applied = model.cluster_outcomes(cases)
        if model.clusters_apply(cases, applied):  # else the clusters change nothing
            scores += model.cluster_adjustment(cases, counted, applied).astype(dtype)
    if model.forms is not None:
        touched = cases_telling_forms_apart(model, cases)
        if touched is not None:
            layout = model.forms
            whole = touched.size == len(cases)
            part = cases if whole else cases.take(touched)
            part_counted = None if counted is None else counted if whole else counted[touched]
            adjustment = layout.adjustment(companion_scores(model, part, part_counted))
            if whole:
                scores[:, layout.columns] += adjustment
            else:
                scores[np.ix_(touched, layout.columns)] += adjustment
    return scores


def _add_share_adjustment(
    model: CompiledModel,
    cases: Cases,
    counted: Int8Array | None,
    scores: AnyFloatArray,
    dtype: type[np.floating],  # type: ignore[type-arg]
) -> None:
    """Add to `scores` the exact likelihood of each tree of general and specific findings (ADR 0014)."""
    if not model.share_families:
        return
    if cases.one is not None:
        one = model.share_adjustment_one(*model.counted_answers_of(cases))
        if one is not None:
            scores += one if dtype is np.float64 else one.astype(dtype)
    else:
        shares_counted = model.counted_states(cases.states) if counted is None else counted
        for rows, values in model.share_adjustment(shares_counted):
            scores[rows] += values.astype(dtype)


def cases_telling_forms_apart(model: CompiledModel, cases: Cases) -> IntArray | None:
    """The cases that answer a finding that can tell a condition's forms apart (None: no case does).

    For every other case each form keeps its share and the mixture changes nothing."""
    layout = model.forms
    if layout is None:
        return None
    if cases.one is not None:
        columns = layout.answer_column_set
        if columns.isdisjoint(cases.one[0]) and columns.isdisjoint(cases.one[1]):
            return None
        return np.zeros(1, dtype=np.intp)
    touched = np.flatnonzero((cases.states[:, layout.answer_columns] != UNKNOWN).any(axis=1))
    return touched if touched.size else None


def companion_scores(model: CompiledModel, cases: Cases, counted: Int8Array | None = None) -> FloatArray:
    """(N, rows) what the answers add to each row of the model of the conditions that are mixtures of
    forms (`FormsLayout`), with the exact likelihood of each tree of findings (`counted`: the cases'
    `counted_states`, when known).

    Only the answers that can tell forms apart are read (`FormsLayout.answer_columns`): the others, the
    prior, its modifiers and the clusters add the same to every row of one condition, and only the
    differences between a condition's rows are used; a tree of findings lies wholly inside those answers
    or wholly outside them. The two models share their findings, so their counted answers are the same."""
    assert model.forms is not None
    layout = model.forms
    if cases.one is not None:  # one person: worked out once and kept with the case, as several steps read it
        kept: FloatArray | None = cases.memo.get("companion_scores")
        if kept is None:
            kept = cases.memo["companion_scores"] = _companion_scores_of_one(model, cases)
        return kept
    companion, columns = layout.companion, layout.answer_columns
    counted = model.counted_states(cases.states) if counted is None else counted
    telling = counted[:, columns]
    table, count = companion.answer_table, len(companion.finding_ids)
    scores: FloatArray = (telling == TRUE).astype(np.float64) @ table[columns]
    scores += (telling == FALSE).astype(np.float64) @ table[count + columns]
    if companion.share_families:
        only_telling = np.zeros_like(counted)
        only_telling[:, columns] = telling
        _add_share_adjustment(companion, cases, only_telling, scores, np.float64)
    return scores


def _companion_scores_of_one(model: CompiledModel, cases: Cases) -> FloatArray:
    """`companion_scores` of one person's case, from their counted answers that can tell forms apart.

    The other answers add the same to every row of one condition, and a tree of findings lies wholly
    inside those findings or wholly outside them (`FormsLayout.answer_columns`), so leaving them out
    changes no difference between a condition's rows."""
    assert model.forms is not None
    layout = model.forms
    companion, columns = layout.companion, layout.answer_column_set
    present, absent = model.counted_answers_of(cases)
    present = [column for column in present if column in columns]
    absent = [column for column in absent if column in columns]
    count = len(companion.finding_ids)
    scores: FloatArray = companion.answer_table.take(present + [count + column for column in absent], axis=0).sum(
        axis=0, keepdims=True
    )
    if companion.share_families:
        shares = companion.share_adjustment_one(present, absent)
        if shares is not None:
            scores += shares
    return scores


def normalise(scores: FloatArray, leak: float) -> FloatArray:
    """Softmax over the last axis, then mix with a uniform leak."""
    count = scores.shape[-1]
    if scores.ndim == 1 or (scores.ndim == 2 and scores.shape[0] == 1):  # one case: the same arithmetic along one row
        row = scores.reshape(-1)
        single: FloatArray = np.exp(row - row.max())
        single *= (1.0 - leak) / single.sum()
        single += leak / count
        return single.reshape(scores.shape)
    weights: FloatArray = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights *= (1.0 - leak) / weights.sum(axis=-1, keepdims=True)
    weights += leak / count
    return weights


def posteriors(model: CompiledModel, cases: Cases, near_first: bool = False) -> FloatArray:
    """(N, C): P(condition | evidence) for every case, in the model's condition order (`near_first`:
    every row differs from the first in a few answers, see `answer_log_likelihood`)."""
    scores = log_posterior_scores(model, cases, near_first=near_first)
    if scores.shape[0] == 1:  # one case: its scores (made here, so free to overwrite) become its posterior
        row = scores[0]
        row -= row.max()
        np.exp(row, out=row)
        row *= (1.0 - model.leak) / row.sum()
        row += model.leak / row.size
        return scores
    return normalise(scores, model.leak)


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
    cases = Cases.of(model.complete_states(states, age), age, sex)
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


def contribution_keys(model: CompiledModel, evidence: Evidence, cases: Cases | None = None) -> list[int]:
    """Everything that can explain one person's differential, as columns of `explanation_table`:
    each counted answer (j for "yes" to finding j, F + j for "no"; an answer implied by a more
    specific one is not counted, `CompiledModel.counted_answers`) and each prior modifier term t
    that holds (2F + t), ordered by name (modifiers of the same name in knowledge-base order)."""
    keys = _contribution_keys(model, evidence, cases)
    keys.sort(key=model.explanation_order.__getitem__)
    return keys


def _contribution_keys(model: CompiledModel, evidence: Evidence, cases: Cases | None) -> list[int]:
    """`contribution_keys` in no particular order."""
    count = len(model.finding_ids)
    if cases is not None and cases.one is not None:  # the same evidence, encoded: its answers counted already
        present, absent = model.counted_answers_of(cases)
    else:
        index = model.finding_index
        present, absent = model.counted_answers([index[name] for name in evidence.present],
                                                [index[name] for name in evidence.absent])
    keys = present + list(map(count.__add__, absent))
    if model.modifiers:
        holding = model.modifiers_holding(evidence, cases if cases is not None else model.encode(evidence))
        keys += map((2 * count).__add__, holding)
    return keys


def ranked_contributions(
    model: CompiledModel,
    evidence: Evidence,
    rows: Sequence[int],
    limit: int,
    min_log_ratio: float,
    cases: Cases | None = None,
) -> list[tuple[list[int], list[int]]]:
    """Per condition row: the keys (`contribution_keys`) of its strongest supporting and opposing
    contributions, strongest first.

    A contribution is an answer (its log likelihood ratio against back pain in general), a prior
    modifier that holds for the person (its log multiplier), or a cluster of signs whose published
    ratio applies (it then stands in for its members' answers for its condition). Only those
    moving a condition by at least `min_log_ratio` count; ties go by name. `cases` is the evidence
    already encoded.
    """
    cases = cases if cases is not None else model.encode(evidence)
    held = held_contributions(model, evidence, cases) if limit >= 0 else None
    if held is not None:  # each row's candidates, ranked once per model, that this case holds
        up, down = ranked_candidates(model, min_log_ratio)
        return [
            ([key for key in up[row] if key in held][:limit], [key for key in down[row] if key in held][:limit])
            for row in rows
        ]
    keys = contribution_keys(model, evidence, cases)
    log_ratios = model.explanation_table[np.array(rows, dtype=np.intp)[:, None], keys]
    if model.kb.clusters:
        log_ratios, keys = _with_clusters(model, cases, rows, keys, log_ratios)
    strongest = np.argsort(-log_ratios, axis=1, kind="stable")[:, :limit].tolist()
    weakest = np.argsort(log_ratios, axis=1, kind="stable")[:, :limit].tolist()
    values = log_ratios.tolist()
    return [
        (
            [keys[column] for column in up if row_values[column] >= min_log_ratio],
            [keys[column] for column in down if row_values[column] <= -min_log_ratio],
        )
        for row_values, up, down in zip(values, strongest, weakest, strict=True)
    ]


def held_contributions(model: CompiledModel, evidence: Evidence, cases: Cases) -> set[int] | None:
    """One person's `contribution_keys` as a set (`cases`: the evidence encoded), for ranking them with
    `ranked_candidates`; None when a cluster of signs stands in for some of the answers (the case's
    own contributions are ranked then)."""
    if model.clusters_apply(cases):
        return None
    if cases.one is None:
        keys = _contribution_keys(model, evidence, cases)
        whole = set(keys)
        return whole if len(whole) == len(keys) else None
    count = len(model.finding_ids)
    present, absent = model.counted_answers_of(cases)
    held = set(present)
    held.update(map(count.__add__, absent))
    size = len(present) + len(absent)
    if model.modifiers:
        holding = model.modifier_terms_holding(evidence, cases)
        held.update(map((2 * count).__add__, holding))
        size += len(holding)
    return held if len(held) == size else None


def ranked_candidates(model: CompiledModel, min_log_ratio: float) -> tuple[list[list[int]], list[list[int]]]:
    """Per condition row: the columns of `explanation_table` that raise it by at least `min_log_ratio`,
    strongest first, and those that lower it by at least as much, strongest first (ties by name, as
    `contribution_keys` orders them); built once per model and threshold.

    One case's strongest contributions are then the first of these that the case holds: the same as
    ranking the case's own contributions and keeping those past the threshold."""
    memo_key = f"inference.ranked_keys:{min_log_ratio!r}"
    ranked: tuple[list[list[int]], list[list[int]]] | None = model.memo.get(memo_key)
    if ranked is None:
        place = model.explanation_order
        up: list[list[int]] = []
        down: list[list[int]] = []
        for values in model.explanation_table.tolist():
            up.append(sorted((key for key, value in enumerate(values) if value >= min_log_ratio),
                             key=lambda key: (-values[key], place[key])))
            down.append(sorted((key for key, value in enumerate(values) if value <= -min_log_ratio),
                               key=lambda key: (values[key], place[key])))
        ranked = model.memo[memo_key] = (up, down)
    return ranked


def _with_clusters(
    model: CompiledModel, cases: Cases, rows: Sequence[int], keys: list[int], log_ratios: FloatArray
) -> tuple[FloatArray, list[int]]:
    """The contributions with each applying cluster in place of its members' answers for its condition."""
    applied = model.cluster_outcomes(cases)[0]
    count = len(model.finding_ids)
    position = {row: i for i, row in enumerate(rows)}
    extra: list[int] = []
    columns: list[FloatArray] = []
    for k, ratio in enumerate(applied.tolist()):
        _, row, members, ratios = model.cluster_layout[k]
        if ratio < 0 or row not in position:
            continue
        member_keys = set(members.tolist()) | {count + column for column in members.tolist()}
        for column, key in enumerate(keys):
            if key in member_keys:
                log_ratios[position[row], column] = 0.0
        column_values = np.zeros(len(rows))
        column_values[position[row]] = ratios[ratio][2]
        extra.append(model.cluster_key_base[k] + ratio)
        columns.append(column_values)
    if not extra:
        return log_ratios, keys
    return np.hstack((log_ratios, np.array(columns).T)), keys + extra


def contribution(model: CompiledModel, row: int, key: int) -> Contribution:
    """The contribution `key` (a column of `explanation_table`, or after them a cluster's ratio)
    makes to condition `row`."""
    count = len(model.finding_ids)
    first_cluster_key = 2 * count + len(model.modifiers)
    if key >= first_cluster_key:
        k, ratio = model.cluster_keys[key - first_cluster_key]
        cluster = model.kb.clusters[k]
        return Contribution(f"cluster:{cluster.id}", True, float(np.log(cluster.ratios[ratio].ratio)), cluster.source)
    value = float(model.explanation_table[row, key])
    if key >= 2 * count:
        term = key - 2 * count
        return Contribution(model.modifier_names[term], True, value, model.modifiers[term].source)
    finding = model.finding_ids[key % count]
    return Contribution(finding, key < count, value, model.likelihood_sources[row].get(finding))


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
            tuple(contribution(model, row, key) for key in supporting),
            tuple(contribution(model, row, key) for key in opposing),
        )
        for row, (supporting, opposing) in zip(
            rows, ranked_contributions(model, evidence, rows, limit, min_log_ratio), strict=True
        )
    ]
