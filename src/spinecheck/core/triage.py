"""The safety net: the one rule that turns red flags and the posterior into a triage level.

Safety rule (DESIGN.md): the final level is never lower than the highest level demanded by a
red flag that fired, and never lower than the urgency of a condition whose probability passes
the threshold for that urgency (docs/adr/0003-triage-thresholds.md), or of a form of a condition
more urgent than the condition itself once the answers point to that form
(docs/adr/0023-forms-of-a-condition.md). Probabilities can raise the level; they can never lower
what a red flag demands.

One more guarantee: answering "yes" to a red-flag finding never lowers the level. A new answer
can shift probability from one serious condition to another (fever makes an aortic aneurysm
relatively less likely than an infection), so the level is taken as the highest over the
evidence with any subset of its red-flag answers set aside (set back to unknown), with and without
the general findings that only those answers implied. That makes the level monotone in red-flag
answers by construction (ADR 0003, ADR 0007).

`triage` is the decision, for N cases at once; `assess()` calls it with one case, the batch
path (`triage_batch`) chunk by chunk, and the interview with every answer it looks ahead at.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from spinecheck.core.inference import BATCH_CHUNK, cases_telling_forms_apart, companion_scores, posteriors
from spinecheck.core.kb.schema import RedFlagRule
from spinecheck.core.logic import TRUE, UNKNOWN, cells
from spinecheck.core.model import Cases, CompiledModel, Evidence
from spinecheck.core.triage_levels import TriageLevel

FloatArray = npt.NDArray[np.float64]
AnyFloatArray = npt.NDArray[np.floating]  # type: ignore[type-arg]
Int8Array = npt.NDArray[np.int8]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

MAX_SET_ASIDE = 12
"""More red-flag answers than this (4,095 alternatives) are taken as an emergency outright."""

EMERGENCY_RANK = TriageLevel.EMERGENCY.rank


@dataclass(frozen=True)
class Triage:
    """The decision for N cases, with what a single result needs to explain it.

    `level` holds ranks (0 self-care .. 3 emergency). `rules_true` and `rules_false` say, per
    case, which of `model.rules` (red flags, then population groups) hold and which are ruled
    out; a red flag in neither is not yet ruled out. `raised_by[i]` holds, for a case whose
    level the set-aside step raised, the posterior of the first alternative that reached it.
    """

    level: Int8Array
    rules_true: BoolArray
    rules_false: BoolArray
    raised_by: dict[int, FloatArray]


def base_levels(
    model: CompiledModel, fired: BoolArray, probabilities: AnyFloatArray, forms: Int8Array | None = None
) -> Int8Array:
    """(N,) the highest of every fired red flag's level, every condition floor and, where given, the
    floors of forms more urgent than their condition (`form_levels`), nothing set aside."""
    threshold, rank = model.condition_floor
    if probabilities.shape[0] == 1:  # one case: the same comparisons and sums, in fewer array operations
        highest = max(int(rank.max(initial=0, where=probabilities[0] >= threshold)),
                      int(model.red_flag_rank.max(initial=0, where=fired[0])),
                      0 if forms is None else int(forms[0]))
        for level_rank, urgent_enough, pooled in model.pooled_floor:  # a pooled floor can only raise the level
            if level_rank > highest and probabilities[:, urgent_enough].sum(axis=1)[0] >= pooled:
                highest = level_rank
        return np.array([highest], dtype=np.int8)
    floors = np.where(probabilities >= threshold, rank, 0).max(axis=1, initial=0)
    for level_rank, urgent_enough, pooled in model.pooled_floor:
        floors = np.where(probabilities[:, urgent_enough].sum(axis=1) >= pooled, np.maximum(floors, level_rank), floors)
    flags = np.where(fired, model.red_flag_rank, 0).max(axis=1, initial=0)
    levels: Int8Array = np.maximum(flags, floors).astype(np.int8)
    if forms is not None:
        np.maximum(levels, forms, out=levels)
    return levels


def urgent_form_probabilities(model: CompiledModel, cases: Cases, probabilities: AnyFloatArray) -> FloatArray | None:
    """(N, urgent forms): the probability of each form more urgent than its condition (its condition's
    probability times the form's share given the evidence), or None when no case has a condition with
    such a form probable enough for the form's urgency to matter (then no form can reach it either).

    A form counts only where the answers point to it, raising its share above the share it has before
    any answer: with its signs unanswered, a likely infection is a likely infection (its own urgency),
    and the red-flag rules on those signs decide once they are answered (ADR 0023)."""
    layout = model.forms
    if layout is None or not layout.urgent_forms:
        return None
    if probabilities.shape[0] == 1:  # one case: a few comparisons of plain numbers
        row = probabilities[0]
        if all(row[column] < threshold for column, threshold in layout.urgent_reach):
            return None
    columns, positions, thresholds, before, _ = layout.urgent_arrays
    within = np.flatnonzero((probabilities[:, columns] >= thresholds).any(axis=1))
    if not within.size:
        return None
    touched = cases_telling_forms_apart(model, cases)  # elsewhere every form keeps its share: none is raised
    if touched is None:
        return None
    within = np.intersect1d(within, touched)
    if not within.size:
        return None
    part = cases if within.size == len(cases) else cases.take(within)
    shares = layout.form_shares(companion_scores(model, part))[:, positions]
    found = np.zeros((probabilities.shape[0], columns.size))
    raised = (shares > before) & ~np.isclose(shares, before, rtol=1e-9, atol=0.0)  # not by rounding alone
    found[within] = np.where(raised, probabilities[within][:, columns] * shares, 0.0)
    return found


def form_levels(model: CompiledModel, cases: Cases, probabilities: AnyFloatArray) -> Int8Array | None:
    """(N,) the highest urgency of a form whose own probability reaches that urgency's threshold
    (None: no form can reach one for any case)."""
    found = urgent_form_probabilities(model, cases, probabilities)
    if found is None:
        return None
    assert model.forms is not None
    _, _, thresholds, _, ranks = model.forms.urgent_arrays
    levels: Int8Array = np.where(found >= thresholds, ranks, 0).max(axis=1, initial=0).astype(np.int8)
    return levels


@lru_cache(maxsize=MAX_SET_ASIDE + 1)
def subset_masks(count: int) -> BoolArray:
    """(2**count - 1, count): every non-empty subset of `count` answers, smallest first."""
    masks = np.zeros((2**count - 1, count), dtype=bool)
    row = 0
    for size in range(1, count + 1):
        for subset in combinations(range(count), size):
            masks[row, list(subset)] = True
            row += 1
    return masks


def set_aside(states: Int8Array, flagged: IntArray) -> Int8Array:
    """Every alternative of R cases: row r's `count` flagged columns with each non-empty subset set to unknown.

    `flagged` is (R, count); returns R * (2**count - 1) rows, each case's alternatives together,
    in the order of `subset_masks`.
    """
    rows, count = flagged.shape
    masks = subset_masks(count)
    variants = np.repeat(states[:, None, :], masks.shape[0], axis=1)
    for position in range(count):
        chosen = np.flatnonzero(masks[:, position])
        variants[np.arange(rows)[:, None], chosen[None, :], flagged[:, position][:, None]] = UNKNOWN
    reshaped: Int8Array = variants.reshape(rows * masks.shape[0], states.shape[1])
    return reshaped


def alternatives(model: CompiledModel, states: Int8Array, flagged: IntArray) -> tuple[Int8Array, int]:
    """Every alternative of R cases with some red-flag answers set aside, and how many each case has.

    The alternatives of `set_aside`, then, when a flag set aside implies general findings ("a hot swollen joint"
    is arthritis), the same alternatives with those findings set aside too, unless a "yes" still there implies
    them: a general finding that only the flag's "yes" filled in goes with it, and one the person gave keeps its
    answer in the first set, so the case as it was before the flag was answered is among them either way.
    """
    rows, count = flagged.shape
    masks = subset_masks(count)
    plain = set_aside(states, flagged)
    implied = model.red_flag_implied_columns
    if not implied or not np.isin(flagged, list(implied)).any():
        return plain, masks.shape[0]
    variants = plain.reshape(rows, masks.shape[0], states.shape[1])
    withdrawn = variants.copy()
    implying = model.implying_columns
    for row in range(rows):
        for subset, mask in enumerate(masks):
            alternative = withdrawn[row, subset]
            for flag in flagged[row, mask].tolist():
                for parent in implied.get(flag, ()):
                    if not any(alternative[child] == TRUE for child in implying.get(parent, ())):
                        alternative[parent] = UNKNOWN
    both: Int8Array = np.concatenate((variants, withdrawn), axis=1).reshape(-1, states.shape[1])
    return both, 2 * masks.shape[0]


def triage(model: CompiledModel, cases: Cases, probabilities: AnyFloatArray | None = None) -> Triage:
    """The triage decision for N cases (their posteriors are computed when not given)."""
    if probabilities is None:
        probabilities = posteriors(model, cases)
    rules_true, rules_false = model.rules_truth(cases)
    red_flags = len(model.kb.red_flags)
    level = base_levels(model, rules_true[:, :red_flags], probabilities, form_levels(model, cases, probabilities))
    raised_by: dict[int, FloatArray] = {}
    if cases.one is not None and model.red_flag_column_set.isdisjoint(cases.one[0]):
        return Triage(level, rules_true, rules_false, raised_by)  # one person, no red-flag "yes" to set aside
    columns = model.red_flag_columns
    flags = cases.states[:, columns] == TRUE
    counts = np.count_nonzero(flags, axis=1)
    counts[level >= EMERGENCY_RANK] = 0  # nothing can raise an emergency
    if counts.any():
        level[counts > MAX_SET_ASIDE] = EMERGENCY_RANK
        for count in range(1, min(MAX_SET_ASIDE, int(counts.max())) + 1):
            rows = np.flatnonzero(counts == count)
            if rows.size:
                # the flagged columns of each row, in column order: shape (rows, count)
                flagged = columns[cells(flags[rows])[1].reshape(rows.size, count)]
                _raise_by_set_aside(model, cases, rows, flagged, level, raised_by)
    return Triage(level, rules_true, rules_false, raised_by)


MAX_STACKED_ALTERNATIVES = 1_024
"""Up to this many alternatives of the set-aside step, `posteriors_and_triage` scores them with the cases."""


def posteriors_and_triage(
    model: CompiledModel, cases: Cases, near_first: bool = False
) -> tuple[FloatArray, Triage]:
    """`posteriors` and `triage` of N cases, with the alternatives of the set-aside step scored in the
    same pass when they are few: they are stacked under the cases, so that one posterior and one rule
    evaluation cover them all (the interview's look-ahead: many rows, few red-flag answers each).

    Every alternative is a case with some of its red-flag answers set back to unknown, so with
    `near_first` (every case differs from the first in a few answers) the alternatives do too.
    """
    columns = model.red_flag_columns
    flags = cases.states[:, columns] == TRUE
    counts = np.count_nonzero(flags, axis=1)
    groups: list[tuple[IntArray, Int8Array, int]] = []  # (rows, their alternatives, how many each) per count
    stacked_rows = 0
    for count in np.unique(counts[(counts > 0) & (counts <= MAX_SET_ASIDE)]).tolist():
        rows = np.flatnonzero(counts == count)
        if stacked_rows + rows.size * subset_masks(count).shape[0] > MAX_STACKED_ALTERNATIVES:
            stacked_rows = MAX_STACKED_ALTERNATIVES + 1
            break
        states, each = alternatives(model, cases.states[rows], columns[cells(flags[rows])[1].reshape(rows.size, count)])
        groups.append((rows, states, each))
        stacked_rows += states.shape[0]
    if stacked_rows == 0 or stacked_rows > MAX_STACKED_ALTERNATIVES:
        probabilities = posteriors(model, cases, near_first)
        return probabilities, triage(model, cases, probabilities)
    blocks, owners = [cases.states], [np.arange(len(cases))]
    for rows, states, each in groups:
        blocks.append(states)
        owners.append(np.repeat(rows, each))
    stacked = cases.with_states(np.concatenate(blocks), np.concatenate(owners))
    every = posteriors(model, stacked, near_first)
    rules_true, rules_false = model.rules.truth(stacked)
    levels = base_levels(model, rules_true[:, : len(model.kb.red_flags)], every, form_levels(model, stacked, every))
    size = len(cases)
    level = levels[:size].copy()
    level[counts > MAX_SET_ASIDE] = EMERGENCY_RANK
    raised_by: dict[int, FloatArray] = {}
    start = size
    for rows, _, subsets in groups:
        by_case = levels[start:start + rows.size * subsets].reshape(rows.size, subsets)
        best = by_case.argmax(axis=1)
        highest = by_case[np.arange(rows.size), best]
        for position in np.flatnonzero(highest > level[rows]).tolist():
            case = int(rows[position])
            level[case] = highest[position]
            raised_by[case] = every[start + position * subsets + int(best[position])]
        start += rows.size * subsets
    return every[:size], Triage(level, rules_true[:size], rules_false[:size], raised_by)


def _raise_by_set_aside(
    model: CompiledModel,
    cases: Cases,
    rows: IntArray,
    flagged: IntArray,
    level: Int8Array,
    raised_by: dict[int, FloatArray],
) -> None:
    """Raise `level[rows]` to the highest level of any alternative with red-flag answers set aside."""
    step = max(1, BATCH_CHUNK // (2 * subset_masks(flagged.shape[1]).shape[0]))
    red_flags = len(model.kb.red_flags)
    for start in range(0, rows.size, step):
        part = rows[start:start + step]
        states, subsets = alternatives(model, cases.states[part], flagged[start:start + step])
        others = cases.with_states(states, np.repeat(part, subsets))
        probabilities = posteriors(model, others)
        fired = model.rules.truth(others)[0][:, :red_flags]
        by_case = base_levels(model, fired, probabilities, form_levels(model, others, probabilities))
        by_case = by_case.reshape(part.size, subsets)
        best = by_case.argmax(axis=1)
        highest = by_case[np.arange(part.size), best]
        for position in np.flatnonzero(highest > level[part]).tolist():
            case = int(part[position])
            level[case] = highest[position]
            raised_by[case] = probabilities[position * subsets + int(best[position])]


def triage_batch(
    model: CompiledModel,
    states: npt.NDArray[np.int8],
    probabilities: AnyFloatArray,
    age: FloatArray | None = None,
    sex: npt.NDArray[np.int8] | None = None,
) -> Int8Array:
    """Triage level ranks (0 self-care .. 3 emergency) for N cases, by the same safety rule as `assess()`
    (the states completed with what their answers imply, as `check_evidence` does for one case)."""
    cases = Cases.of(model.complete_states(states, age), age, sex)
    levels = np.empty(len(cases), dtype=np.int8)
    for start in range(0, len(cases), BATCH_CHUNK):
        window = slice(start, start + BATCH_CHUNK)
        levels[window] = triage(model, cases.take(window), probabilities[window]).level
    return levels


# --- one case, in words ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RedFlagReview:
    """Which rules fired and which could not yet be ruled out, each most urgent first (then by id)."""

    fired: tuple[RedFlagRule, ...]
    unresolved: tuple[RedFlagRule, ...]


@dataclass(frozen=True)
class ConditionEscalation:
    condition: str
    probability: float
    level: TriageLevel
    form: str | None = None
    """The plain name of the form of the condition that sets the floor, when a form more urgent than
    its condition does (`probability` is then the form's)."""


@dataclass(frozen=True)
class TriageDecision:
    level: TriageLevel
    call_ambulance: bool
    red_flags: tuple[RedFlagRule, ...]
    escalations: tuple[ConditionEscalation, ...]
    pooled: tuple[tuple[TriageLevel, float], ...] = ()


def fired(model: CompiledModel, decided: Triage, case: int = 0) -> tuple[RedFlagRule, ...]:
    """The red flags one case of a decision fires, most urgent first (then by id)."""
    order = model.red_flag_order_array
    fired_flags = decided.rules_true[case, order]
    if not fired_flags.any():
        return ()
    rules = model.kb.red_flags
    return tuple(rules[i] for i in order[fired_flags].tolist())


def review(model: CompiledModel, decided: Triage, case: int = 0) -> RedFlagReview:
    """The red flags of one case of a decision: fired, and not yet ruled out."""
    order = model.red_flag_order_array
    undecided = ~(decided.rules_true[case, order] | decided.rules_false[case, order])
    rules = model.kb.red_flags
    return RedFlagReview(fired(model, decided, case), tuple(rules[i] for i in order[undecided].tolist()))


def condition_escalations(
    model: CompiledModel, probabilities: AnyFloatArray, forms: FloatArray | None = None
) -> list[ConditionEscalation]:
    """Conditions probable enough that their urgency sets a floor on the triage level, and the forms
    more urgent than their condition (`forms`: one case's `urgent_form_probabilities`) probable enough
    that theirs does."""
    threshold, _ = model.condition_floor
    names, urgency = model.condition_ids, model.condition_urgency
    found = [
        ConditionEscalation(names[row], float(probabilities[row]), urgency[row])
        for row in (probabilities >= threshold).ravel().nonzero()[0].tolist()
    ]
    if forms is not None and model.forms is not None:
        found += [
            ConditionEscalation(names[form.column], float(probability), form.urgency, form.name)
            for form, probability in zip(model.forms.urgent_forms, forms.tolist(), strict=True)
            if probability >= form.threshold
        ]
    found.sort(key=lambda item: (-item.level.rank, -item.probability, item.condition))
    return found


def explain_decision(
    model: CompiledModel, decided: Triage, probabilities: AnyFloatArray, fired: tuple[RedFlagRule, ...], case: int = 0,
    cases: Cases | None = None,
) -> TriageDecision:
    """One case's decision in words: its level, the red flags that fired and the conditions (or forms of
    a condition, given the one case's `cases`) that set a floor (with those of the set-aside alternative
    that raised the level, if one did)."""
    level = TriageLevel.from_rank(int(decided.level[case]))
    forms = None if cases is None else urgent_form_probabilities(model, cases, probabilities.reshape(1, -1))
    escalations = condition_escalations(model, probabilities, None if forms is None else forms[0])
    alternative = decided.raised_by.get(case)
    if alternative is not None:
        known = {item.condition for item in escalations}
        escalations += [
            item for item in condition_escalations(model, alternative)
            if item.condition not in known and item.level == level
        ]
    call_ambulance = any(rule.call_ambulance for rule in fired)
    pooled = tuple(
        (TriageLevel.from_rank(level_rank), mass)
        for level_rank, urgent_enough, threshold in model.pooled_floor
        if level_rank == level.rank and not any(item.level == level for item in escalations)
        and (mass := float(probabilities[urgent_enough].sum())) >= threshold
    )
    return TriageDecision(level, call_ambulance, fired, tuple(escalations), pooled)


def decide(model: CompiledModel, evidence: Evidence) -> TriageDecision:
    """The triage decision for one person's (checked) evidence."""
    cases = model.encode(evidence)
    probabilities = posteriors(model, cases)
    decided = triage(model, cases, probabilities)
    return explain_decision(model, decided, probabilities[0], fired(model, decided), cases=cases)


def review_red_flags(model: CompiledModel, evidence: Evidence) -> RedFlagReview:
    """Which red flags one person's (checked) evidence fires, and which are still open."""
    cases = model.encode(evidence)
    is_true, is_false = model.rules_truth(cases)
    return review(model, Triage(np.zeros(1, dtype=np.int8), is_true, is_false, {}))
