"""One assessment: the contract object every interface returns, and the function that builds it.

The field names follow the JSON contract in DESIGN.md; CLI, REST API and web pages all
return this same model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from spinecheck.core.inference import contribution, posterior, posteriors, ranked_contributions
from spinecheck.core.localisation import Localisation, Side, localise
from spinecheck.core.model import Cases, CompiledModel, Evidence
from spinecheck.core.triage import Triage, explain_decision, fired, triage
from spinecheck.core.triage_levels import TriageLevel


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


class TriageResult(Contract):
    level: TriageLevel
    call_ambulance: bool
    reasons: list[str]
    advice: str
    headline: str


class RedFlagResult(Contract):
    id: str
    name: str
    level: TriageLevel
    message: str
    source: str
    suspects: list[str] = Field(default_factory=list)


class EvidenceItem(Contract):
    """One answer's effect on one condition, as a likelihood ratio with its source."""

    finding: str
    label: str
    answer: str
    likelihood_ratio: float
    source: str | None


class Why(Contract):
    for_: list[str] = Field(alias="for", serialization_alias="for")
    against: list[str]
    evidence: list[EvidenceItem] = Field(default_factory=list)


class ConditionResult(Contract):
    id: str
    name: str
    probability: float
    urgency: TriageLevel
    rarity: str
    why: Why


class FindingsResult(Contract):
    present: list[str]
    absent: list[str]


class Assessment(Contract):
    triage: TriageResult
    red_flags: list[RedFlagResult]
    not_ruled_out: list[RedFlagResult]
    conditions: list[ConditionResult]
    findings: FindingsResult
    localisation: Localisation | None = None
    age: int | None = None
    sex: str | None = None
    notes: list[str] = Field(default_factory=list)
    disclaimer: str
    emergency_services: str
    kb_version: str
    kb_hash: str

    def to_json(self) -> str:
        """Deterministic JSON: the same input always gives byte-identical output."""
        return self.model_dump_json(by_alias=True, indent=2)


MAX_NOT_RULED_OUT = 8
"""Warning signs still open, those closest to what the person reported first, then the most
urgent; a longer list would bury the ones that matter."""

SHOWN_LOG_RATIO = 0.2
"""Answers that change a condition's odds by less than about 20% are left out of its "why"."""


def format_probability(probability: float) -> str:
    """A percentage for people: never "0%" or "100%", because the model is never certain."""
    if probability < 0.01:
        return "<1%"
    if probability > 0.99:
        return ">99%"
    return f"{probability:.0%}"


def _evidence_entries(model: CompiledModel) -> dict[tuple[int, int], tuple[EvidenceItem, str]]:
    """(condition row, answer key) -> that answer's entry in the condition's "why" and its sentence;
    filled as answers are first shown, once per model."""
    entries: dict[tuple[int, int], tuple[EvidenceItem, str]] = model.memo.setdefault("assessment.evidence", {})
    return entries


def _evidence_entry(model: CompiledModel, row: int, key: int) -> tuple[EvidenceItem, str]:
    item = contribution(model, row, key)
    if item.finding.startswith("prior:"):
        label, answer = item.finding.removeprefix("prior:"), "risk factor"
    elif item.finding.startswith("cluster:"):
        label, answer = _cluster_words(model, key)
    else:
        label, answer = model.kb.findings[item.finding].label, "yes" if item.present else "no"
    shown = EvidenceItem(
        finding=item.finding, label=label, answer=answer, likelihood_ratio=round(item.ratio, 3), source=item.source
    )
    entry = _evidence_entries(model)[(row, key)] = (shown, _sentence(shown))
    return entry


def _cluster_words(model: CompiledModel, key: int) -> tuple[str, str]:
    """A cluster's name, and in words how many of its signs made its ratio apply."""
    k, position = model.cluster_keys[key - 2 * len(model.finding_ids) - len(model.modifiers)]
    cluster = model.kb.clusters[k]
    ratio = cluster.ratios[position]
    members = len(cluster.members)
    if ratio.positive_at_least is not None:
        return cluster.name, f"{ratio.positive_at_least} or more of {members} signs"
    return cluster.name, f"at most {ratio.positive_at_most} of {members} signs, all checked"


def _sentence(entry: EvidenceItem) -> str:
    source = f"; source: {entry.source}" if entry.source else ""
    if entry.answer == "risk factor":
        return f"{entry.label} (prior ×{entry.likelihood_ratio:g}{source})"
    return f"{entry.label}: {entry.answer} (likelihood ratio {entry.likelihood_ratio:g}{source})"


def _condition_cards(model: CompiledModel) -> list[dict[str, Any]]:
    """Per condition row, what its entry in the result shows whatever the case."""
    cards: list[dict[str, Any]] | None = model.memo.get("assessment.cards")
    if cards is None:
        cards = model.memo["assessment.cards"] = [
            {"id": spec.id, "name": spec.name, "urgency": spec.urgency, "rarity": spec.rarity.value}
            for spec in (model.kb.conditions[condition] for condition in model.condition_ids)
        ]
    return cards


def _red_flag_results(model: CompiledModel) -> list[RedFlagResult]:
    """Each red flag as shown in the result, in knowledge-base order, built once per model."""
    results: list[RedFlagResult] | None = model.memo.get("assessment.red_flags")
    if results is None:
        results = model.memo["assessment.red_flags"] = [
            RedFlagResult(
                id=rule.id, name=rule.name, level=rule.level, message=rule.message,
                source=rule.source, suspects=list(rule.suspects),
            )
            for rule in model.kb.red_flags
        ]
    return results


def assess(
    model: CompiledModel,
    evidence: Evidence,
    max_conditions: int = 10,
    explain_limit: int = 4,
    sides: Mapping[str, Side] | None = None,
) -> Assessment:
    """Assess one person: red flags, posterior, triage level, explanations and localisation
    (`sides` optionally says which leg a finding was on).

    The triage decision is `triage.triage`, the one that the batch path and the interview take
    too. The result's texts that depend only on the model (each answer's "why" entry, each red
    flag) are built once per model and reused.
    """
    evidence = model.check_evidence(evidence)
    kb = model.kb
    cases = model.encode(evidence)
    probabilities = posteriors(model, cases)
    decided = triage(model, cases, probabilities)
    decision = explain_decision(model, decided, probabilities[0], fired(model, decided))
    holds = decided.rules_true[0, len(kb.red_flags):].tolist()
    groups = [note for note, member in zip(model.population_notes, holds, strict=True) if member]

    reasons = [rule.message for rule in decision.red_flags]
    for item in decision.escalations:
        name = kb.conditions[item.condition].name
        reasons.append(
            f"{name} is possible (probability {format_probability(item.probability)}), and it needs care at the "
            f"'{item.level.value}' level."
        )
    for pooled_level, mass in decision.pooled:
        reasons.append(
            f"Taken together, causes that need care at the '{pooled_level.value}' level are more likely than not "
            f"(probability {format_probability(mass)})."
        )
    if not reasons:
        reasons.append("No warning sign was found in what you told us.")
    level_text = kb.policy.levels[decision.level]
    shown = _red_flag_results(model)
    position = model.red_flag_position
    # One validation call builds the whole result (nested parts from plain data, in pydantic's core).
    return Assessment(
        triage={
            "level": decision.level,
            "call_ambulance": decision.call_ambulance,
            "reasons": reasons,
            "advice": level_text.advice,
            "headline": level_text.headline,
        },
        red_flags=[shown[position[rule.id]] for rule in decision.red_flags],
        not_ruled_out=[shown[rule] for rule in _still_open(model, decided, evidence)],
        conditions=(
            _conditions(model, evidence, cases, probabilities[0], max_conditions, explain_limit)
            if all(group.rank_conditions for group in groups) else []
        ),
        findings={"present": sorted(evidence.present), "absent": sorted(evidence.absent)},
        localisation=_localise(model, evidence, sides),
        age=evidence.age,
        sex=evidence.sex,
        notes=[group.note for group in groups],
        disclaimer=kb.policy.disclaimer,
        emergency_services=kb.policy.emergency_services,
        kb_version=kb.version,
        kb_hash=kb.content_hash,
    )


def _conditions(
    model: CompiledModel,
    evidence: Evidence,
    cases: Cases,
    probabilities: npt.NDArray[np.float64],
    max_conditions: int,
    explain_limit: int,
) -> list[dict[str, Any]]:
    """The most probable conditions, each with the answers that moved it most."""
    values = probabilities.round(6).tolist()
    order = rank_rows(probabilities)[:max_conditions].tolist()
    ranked = ranked_contributions(model, evidence, order, explain_limit, SHOWN_LOG_RATIO, cases)
    cards = _condition_cards(model)
    known = _evidence_entries(model)
    conditions: list[dict[str, Any]] = []
    for row, (supporting, opposing) in zip(order, ranked, strict=True):
        entries = [known.get((row, key)) or _evidence_entry(model, row, key) for key in supporting + opposing]
        split = len(supporting)
        conditions.append({
            **cards[row],
            "probability": values[row],
            "why": {
                "for": [sentence for _, sentence in entries[:split]],
                "against": [sentence for _, sentence in entries[split:]],
                "evidence": [item for item, _ in entries],
            },
        })
    return conditions


def _still_open(model: CompiledModel, decided: Triage, evidence: Evidence) -> list[int]:
    """Red flags (their positions) not yet ruled out that would raise the level: those reading most
    of what the person reported first, then the most urgent, then by id."""
    order = model.red_flag_order_array
    undecided = ~(decided.rules_true[0, order] | decided.rules_false[0, order])
    open_rules: list[int] = order[undecided & (model.red_flag_rank[order] > decided.level[0])].tolist()
    if len(open_rules) > 1:
        reads = Counter(rule for finding in evidence.present for rule in model.rules_reading.get(finding, ()))
        open_rules.sort(key=lambda rule: -reads[rule])
    return open_rules[:MAX_NOT_RULED_OUT]


def _localise(model: CompiledModel, evidence: Evidence, sides: Mapping[str, Side] | None) -> Localisation | None:
    neuro = model.kb.neuroanatomy
    if neuro is None:
        return None
    return localise(neuro, evidence, sides, model.finding_labels)


def rank_rows(probabilities: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """Condition rows from most to least probable; probabilities equal to 12 decimals (as the
    leak makes many small ones) rank by id, whatever the order the sums were taken in."""
    order: npt.NDArray[np.intp] = np.argsort(-probabilities.round(12), kind="stable")
    return order


def ranked_condition_ids(model: CompiledModel, evidence: Evidence) -> list[str]:
    """All conditions from most to least probable (for evaluation and the interview)."""
    probabilities = posterior(model, model.check_evidence(evidence))
    order = rank_rows(probabilities)
    return [model.condition_ids[i] for i in order]
