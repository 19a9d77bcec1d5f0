"""The safety net: red-flag rules and the rule that turns them and the posterior into a level.

Safety rule (DESIGN.md): the final level is never lower than the highest level demanded by a
red flag that fired, and never lower than the urgency of a condition whose probability passes
the threshold for that urgency (docs/adr/0003-triage-thresholds.md). Probabilities can raise
the level; they can never lower what a red flag demands.

One more guarantee: answering "yes" to a red-flag finding never lowers the level. A new answer
can shift probability from one serious condition to another (fever makes an aortic aneurysm
relatively less likely than an infection), so the level is taken as the highest over the
evidence with any subset of its red-flag answers set aside. That makes the level monotone in
red-flag answers by construction (ADR 0003).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from spinecheck.core.inference import BATCH_CHUNK, posterior, score_batch
from spinecheck.core.kb.schema import FindingCategory, RedFlagRule
from spinecheck.core.logic import SEX_CODES, TRUE, UNKNOWN, evaluate_batch
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.core.triage_levels import TriageLevel


@dataclass(frozen=True)
class RedFlagReview:
    """Which rules fired and which could not yet be ruled out."""

    fired: tuple[RedFlagRule, ...]
    unresolved: tuple[RedFlagRule, ...]


def review_red_flags(model: CompiledModel, evidence: Evidence) -> RedFlagReview:
    """Which rules fired and which are still open, each most urgent first (then by id)."""
    case = evidence.case()
    fired: list[RedFlagRule] = []
    unresolved: list[RedFlagRule] = []
    for rule, check in model.red_flags_by_urgency:
        value = check(case)
        if value == TRUE:
            fired.append(rule)
        elif value == UNKNOWN:
            unresolved.append(rule)
    return RedFlagReview(tuple(fired), tuple(unresolved))


@dataclass(frozen=True)
class ConditionEscalation:
    condition: str
    probability: float
    level: TriageLevel


@dataclass(frozen=True)
class TriageDecision:
    level: TriageLevel
    call_ambulance: bool
    red_flags: tuple[RedFlagRule, ...]
    escalations: tuple[ConditionEscalation, ...]


def condition_escalations(model: CompiledModel, probabilities: npt.NDArray[np.float64]) -> list[
    ConditionEscalation
]:
    """Conditions probable enough that their urgency sets a floor on the triage level."""
    thresholds = model.kb.policy.thresholds
    found: list[ConditionEscalation] = []
    for row, condition_id in enumerate(model.condition_ids):
        urgency = model.kb.conditions[condition_id].urgency
        threshold = thresholds.get(urgency)
        if threshold is not None and probabilities[row] >= threshold:
            found.append(ConditionEscalation(condition_id, float(probabilities[row]), urgency))
    found.sort(key=lambda item: (-item.level.rank, -item.probability, item.condition))
    return found


MAX_SET_ASIDE = 12


def red_flag_answers(model: CompiledModel, evidence: Evidence) -> list[str]:
    """Present findings of the red-flag category, in a fixed order."""
    return sorted(
        finding for finding in evidence.present
        if model.kb.findings[finding].category == FindingCategory.RED_FLAG
    )


def _set_aside_states(model: CompiledModel, base: npt.NDArray[np.int8], flagged: list[str]) -> npt.NDArray[np.int8]:
    """One row per non-empty subset of `flagged`, with that subset set back to unknown."""
    count = len(flagged)
    masks = ((np.arange(1, 2**count)[:, None] >> np.arange(count)[None, :]) & 1).astype(bool)
    states = np.repeat(base[None, :], masks.shape[0], axis=0)
    columns = np.array([model.finding_index[f] for f in flagged])
    for position, column in enumerate(columns):
        states[masks[:, position], column] = 0
    return states


FEW_SET_ASIDE = 2
"""Up to this many red-flag answers, the few alternatives are scored case by case (faster than
building a batch); beyond it, as one batch."""


def _set_aside_one_by_one(
    model: CompiledModel,
    evidence: Evidence,
    flagged: list[str],
    level: TriageLevel,
    escalations: list[ConditionEscalation],
) -> tuple[TriageLevel, list[ConditionEscalation]]:
    """The same set-aside check as the batch path, for one or two red-flag answers."""
    for size in range(1, len(flagged) + 1):
        for subset in combinations(flagged, size):
            reduced = Evidence(
                present=evidence.present - frozenset(subset), absent=evidence.absent, age=evidence.age, sex=evidence.sex
            )
            probabilities = posterior(model, reduced)
            extra = condition_escalations(model, probabilities)
            fired = review_red_flags(model, reduced).fired
            alt = TriageLevel.highest([rule.level for rule in fired] + [item.level for item in extra])
            if alt.rank > level.rank:
                level = alt
                known = {item.condition for item in escalations}
                escalations = escalations + [i for i in extra if i.condition not in known and i.level == level]
    return level, escalations


def decide(
    model: CompiledModel, evidence: Evidence, review: RedFlagReview, probabilities: npt.NDArray[np.float64]
) -> TriageDecision:
    """Apply the safety rule: the highest of every red-flag level and every condition floor."""
    escalations = condition_escalations(model, probabilities)
    levels = [rule.level for rule in review.fired] + [item.level for item in escalations]
    level = TriageLevel.highest(levels)
    flagged = red_flag_answers(model, evidence)
    if flagged and level != TriageLevel.EMERGENCY:
        if len(flagged) > MAX_SET_ASIDE:
            level = TriageLevel.EMERGENCY
        elif len(flagged) <= FEW_SET_ASIDE:
            level, escalations = _set_aside_one_by_one(model, evidence, flagged, level, escalations)
        else:
            states = _set_aside_states(model, model.state_vector(evidence), flagged)
            n = states.shape[0]
            age = np.full(n, np.nan if evidence.age is None else float(evidence.age))
            sex = np.full(n, SEX_CODES.get(evidence.sex or "", 0), dtype=np.int8)
            alternative = score_batch(model, states, age, sex, dtype=np.float64)
            alt_levels = _base_levels(model, states, alternative, age, sex)
            best = int(np.argmax(alt_levels))
            if alt_levels[best] > level.rank:
                level = TriageLevel.from_rank(int(alt_levels[best]))
                extra = condition_escalations(model, alternative[best].astype(np.float64))
                known = {item.condition for item in escalations}
                escalations += [item for item in extra if item.condition not in known and item.level == level]
    call_ambulance = any(rule.call_ambulance for rule in review.fired)
    return TriageDecision(level, call_ambulance, review.fired, tuple(escalations))


def triage_batch(
    model: CompiledModel,
    states: npt.NDArray[np.int8],
    probabilities: npt.NDArray[np.floating],  # type: ignore[type-arg]
    age: npt.NDArray[np.float64] | None = None,
    sex: npt.NDArray[np.int8] | None = None,
) -> npt.NDArray[np.int8]:
    """Triage level ranks (0 self-care .. 3 emergency) for N cases, by the same safety rule."""
    n = states.shape[0]
    age = np.full(n, np.nan) if age is None else age
    sex = np.zeros(n, dtype=np.int8) if sex is None else sex
    level = _base_levels(model, states, probabilities, age, sex)
    columns = model.red_flag_columns
    if columns.size == 0:
        return level
    flags = (states[:, columns] == TRUE) & (level < TriageLevel.EMERGENCY.rank)[:, None]
    counts = flags.sum(axis=1)
    level[counts > MAX_SET_ASIDE] = TriageLevel.EMERGENCY.rank
    for count in range(1, min(MAX_SET_ASIDE, int(counts.max(initial=0))) + 1):
        rows = np.flatnonzero(counts == count)
        if rows.size == 0:
            continue
        # the flagged columns of each row, in column order: shape (rows, count)
        flagged = columns[np.nonzero(flags[rows])[1].reshape(rows.size, count)]
        subsets = 2**count - 1
        step = max(1, BATCH_CHUNK // subsets)
        for start in range(0, rows.size, step):
            part = rows[start:start + step]
            alt_states = _set_aside_batch(states[part], flagged[start:start + step])
            alt_age, alt_sex = np.repeat(age[part], subsets), np.repeat(sex[part], subsets)
            alternative = score_batch(model, alt_states, alt_age, alt_sex, dtype=np.float64)
            alt_levels = _base_levels(model, alt_states, alternative, alt_age, alt_sex)
            level[part] = np.maximum(level[part], alt_levels.reshape(part.size, subsets).max(axis=1))
    return level


def _set_aside_batch(base: npt.NDArray[np.int8], flagged: npt.NDArray[np.intp]) -> npt.NDArray[np.int8]:
    """`_set_aside_states` for R rows at once, each with its own `count` flagged columns.

    Returns R * (2**count - 1) rows: row r's subsets follow one another, in the same order
    as `_set_aside_states` gives them.
    """
    rows, count = flagged.shape
    masks = ((np.arange(1, 2**count)[:, None] >> np.arange(count)[None, :]) & 1).astype(bool)
    states = np.repeat(base[:, None, :], masks.shape[0], axis=1)
    for position in range(count):
        subsets = np.flatnonzero(masks[:, position])
        states[np.arange(rows)[:, None], subsets[None, :], flagged[:, position][:, None]] = 0
    return states.reshape(rows * masks.shape[0], base.shape[1])


def _base_levels(
    model: CompiledModel,
    states: npt.NDArray[np.int8],
    probabilities: npt.NDArray[np.floating],  # type: ignore[type-arg]
    age: npt.NDArray[np.float64],
    sex: npt.NDArray[np.int8],
) -> npt.NDArray[np.int8]:
    """Red-flag rules and condition floors for each row, without setting anything aside."""
    n = states.shape[0]
    level = np.zeros(n, dtype=np.int8)
    for rule in model.kb.red_flags:
        fired = evaluate_batch(rule.when, states, model.finding_index, age, sex) == TRUE
        level = np.where(fired, np.maximum(level, rule.level.rank), level).astype(np.int8)
    thresholds = model.kb.policy.thresholds
    for row, condition_id in enumerate(model.condition_ids):
        urgency = model.kb.conditions[condition_id].urgency
        threshold = thresholds.get(urgency)
        if threshold is None:
            continue
        over = probabilities[:, row] >= threshold
        level = np.where(over, np.maximum(level, urgency.rank), level).astype(np.int8)
    return level
