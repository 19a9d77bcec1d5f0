"""One assessment: the contract object every interface returns, and the function that builds it.

The field names follow the JSON contract in DESIGN.md; CLI, REST API and web pages all
return this same model.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from spinecheck.core.inference import Contribution, explain_many, posterior
from spinecheck.core.kb.schema import RedFlagRule
from spinecheck.core.localisation import Localisation, NeuroanatomyFile, Side, localise
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.core.populations import load_populations
from spinecheck.core.triage import decide, review_red_flags
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


def _describe(model: CompiledModel, item: Contribution) -> EvidenceItem:
    if item.finding.startswith("prior:"):
        label, answer = item.finding.removeprefix("prior:"), "risk factor"
    else:
        label = model.kb.findings[item.finding].label
        answer = "yes" if item.present else "no"
    return EvidenceItem(
        finding=item.finding,
        label=label,
        answer=answer,
        likelihood_ratio=round(item.ratio, 3),
        source=item.source,
    )


def _sentence(entry: EvidenceItem) -> str:
    source = f"; source: {entry.source}" if entry.source else ""
    if entry.answer == "risk factor":
        return f"{entry.label} (prior ×{entry.likelihood_ratio:g}{source})"
    return f"{entry.label}: {entry.answer} (likelihood ratio {entry.likelihood_ratio:g}{source})"


def assess(
    model: CompiledModel,
    evidence: Evidence,
    max_conditions: int = 10,
    explain_limit: int = 4,
    sides: Mapping[str, Side] | None = None,
) -> Assessment:
    """Assess one person: red flags, posterior, triage level, explanations and localisation
    (`sides` optionally says which leg a finding was on)."""
    evidence = model.check_evidence(evidence)
    kb = model.kb
    probabilities = posterior(model, evidence)
    review = review_red_flags(model, evidence)
    decision = decide(model, evidence, review, probabilities)
    groups = load_populations(kb).matching(evidence.case())

    values = probabilities.tolist()
    order = sorted(range(len(model.condition_ids)), key=lambda i: (-values[i], model.condition_ids[i]))
    shown = [model.condition_ids[row] for row in order[:max_conditions]]
    explanations = explain_many(model, evidence, shown, limit=explain_limit, min_log_ratio=SHOWN_LOG_RATIO)
    conditions: list[ConditionResult] = []
    for row, condition_id, explanation in zip(order, shown, explanations, strict=False):
        spec = kb.conditions[condition_id]
        supporting = [_describe(model, item) for item in explanation.supporting]
        opposing = [_describe(model, item) for item in explanation.opposing]
        conditions.append(ConditionResult(
            id=condition_id,
            name=spec.name,
            probability=round(values[row], 6),
            urgency=spec.urgency,
            rarity=spec.rarity.value,
            why=Why(
                for_=[_sentence(entry) for entry in supporting],
                against=[_sentence(entry) for entry in opposing],
                evidence=supporting + opposing,
            ),
        ))

    reasons = [rule.message for rule in decision.red_flags]
    for item in decision.escalations:
        name = kb.conditions[item.condition].name
        reasons.append(
            f"{name} is possible (probability {format_probability(item.probability)}), and it needs care at the "
            f"'{item.level.value}' level."
        )
    if not reasons:
        reasons.append("No warning sign was found in what you told us.")
    level_text = kb.policy.levels[decision.level]

    def red_flag_result(rule: RedFlagRule) -> RedFlagResult:
        return RedFlagResult(
            id=rule.id, name=rule.name, level=rule.level, message=rule.message,
            source=rule.source, suspects=list(rule.suspects),
        )

    still_open = sorted(
        (rule for rule in review.unresolved if rule.level.rank > decision.level.rank),
        key=lambda rule: (-len(model.red_flag_findings[rule.id] & evidence.present), -rule.level.rank, rule.id),
    )
    return Assessment(
        triage=TriageResult(
            level=decision.level,
            call_ambulance=decision.call_ambulance,
            reasons=reasons,
            advice=level_text.advice,
            headline=level_text.headline,
        ),
        red_flags=[red_flag_result(rule) for rule in decision.red_flags],
        not_ruled_out=[red_flag_result(rule) for rule in still_open[:MAX_NOT_RULED_OUT]],
        conditions=conditions if all(group.rank_conditions for group in groups) else [],
        findings=FindingsResult(present=sorted(evidence.present), absent=sorted(evidence.absent)),
        localisation=_localise(model, evidence, sides),
        age=evidence.age,
        sex=evidence.sex,
        notes=[group.note for group in groups],
        disclaimer=kb.policy.disclaimer,
        emergency_services=kb.policy.emergency_services,
        kb_version=kb.version,
        kb_hash=kb.content_hash,
    )


def _localise(model: CompiledModel, evidence: Evidence, sides: Mapping[str, Side] | None) -> Localisation | None:
    neuro = model.kb.extra.get("neuroanatomy")
    if not isinstance(neuro, NeuroanatomyFile):
        return None
    answered = evidence.present | evidence.absent
    labels = {finding: model.kb.findings[finding].label for finding in answered if finding in model.kb.findings}
    return localise(neuro, evidence, sides, labels)


def ranked_condition_ids(model: CompiledModel, evidence: Evidence) -> list[str]:
    """All conditions from most to least probable (for evaluation and the interview)."""
    probabilities = posterior(model, model.check_evidence(evidence))
    order = np.lexsort((np.array(model.condition_ids), -probabilities))
    return [model.condition_ids[i] for i in order]
