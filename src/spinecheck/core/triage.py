"""The safety net: red-flag rules and the rule that turns them and the posterior into a level.

Safety rule (DESIGN.md): the final level is never lower than the highest level demanded by a
red flag that fired, and never lower than the urgency of a condition whose probability passes
the threshold for that urgency (docs/adr/0003-triage-thresholds.md). Probabilities can raise
the level; they can never lower what a red flag demands.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spinecheck.core.kb.schema import RedFlagRule
from spinecheck.core.logic import TRUE, UNKNOWN, evaluate, evaluate_batch
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.core.triage_levels import TriageLevel


@dataclass(frozen=True)
class RedFlagReview:
    """Which rules fired and which could not yet be ruled out."""

    fired: tuple[RedFlagRule, ...]
    unresolved: tuple[RedFlagRule, ...]


def review_red_flags(model: CompiledModel, evidence: Evidence) -> RedFlagReview:
    case = evidence.case()
    fired: list[RedFlagRule] = []
    unresolved: list[RedFlagRule] = []
    for rule in model.kb.red_flags:
        value = evaluate(rule.when, case)
        if value == TRUE:
            fired.append(rule)
        elif value == UNKNOWN:
            unresolved.append(rule)
    fired.sort(key=lambda rule: (-rule.level.rank, rule.id))
    unresolved.sort(key=lambda rule: (-rule.level.rank, rule.id))
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


def decide(
    model: CompiledModel, review: RedFlagReview, probabilities: npt.NDArray[np.float64]
) -> TriageDecision:
    """Apply the safety rule: the highest of every red-flag level and every condition floor."""
    escalations = condition_escalations(model, probabilities)
    levels = [rule.level for rule in review.fired] + [item.level for item in escalations]
    level = TriageLevel.highest(levels)
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
