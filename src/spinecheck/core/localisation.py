"""Where leg weakness, numbness and reflex changes most probably come from.

The knowledge lives in `knowledge/neuroanatomy.yaml`: candidate sites (roots L2-S1, cauda
equina, spinal cord, peripheral nerves, polyneuropathy) and weights saying how strongly each
answer points towards or away from each site. This module only adds the weights up and turns
the scores into confidences; it holds no anatomy of its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinecheck.core.kb.neuroanatomy import (
    NeuroanatomyFile,
    Scale,
    Site,
    Weight,
    neuroanatomy_problems,
)

if TYPE_CHECKING:  # the model module imports the loader, which imports the neuroanatomy schema
    from spinecheck.core.model import Evidence

Side = Literal["left", "right", "both"]


class Localisation(BaseModel):
    """Where in the nervous system the leg symptoms most probably come from."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    level: str | None
    side: str | None
    confidence: float
    pattern: str | None = None
    explanation: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class _Term:
    finding: str
    present: bool
    points: float
    weight: Weight


def _terms(neuro: NeuroanatomyFile, evidence: Evidence) -> Iterator[_Term]:
    index = neuro.by_finding
    for answers, present in ((evidence.present, True), (evidence.absent, False)):
        for finding in sorted(finding for finding in answers if finding in index):
            for weight in index[finding]:
                points = weight.present if present else weight.absent
                if points:
                    yield _Term(finding, present, points, weight)


def _side(
    neuro: NeuroanatomyFile, evidence: Evidence, supporting: list[_Term], sides: Mapping[str, Side] | None
) -> Side | None:
    named = {sides[term.finding] for term in supporting if sides and term.finding in sides}
    if "both" in named or {"left", "right"} <= named:
        return "both"
    if named:
        return next(iter(named))
    if not evidence.present.isdisjoint(neuro.both_sides):
        return "both"
    return None


def localise(
    neuro: NeuroanatomyFile,
    evidence: Evidence,
    sides: Mapping[str, Side] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Localisation | None:
    """The most probable site, or None when no answer points at a place in the nervous system.

    `sides` optionally says which leg a finding was on; `labels` gives readable names of the
    findings for the explanation (the ids are shown otherwise).
    """
    if evidence.present.isdisjoint(neuro.localising):
        return None
    scores = {site.id: 0.0 for site in neuro.sites}
    terms = list(_terms(neuro, evidence))
    for term in terms:
        for site in term.weight.sites:
            scores[site] += term.points
    order = sorted(neuro.sites, key=lambda site: (-scores[site.id], site.id))
    best = order[0]
    if scores[best.id] <= 0.0:
        return None
    scale = neuro.scale.value
    top = scores[best.id]
    total = sum(math.exp((score - top) / scale) for score in scores.values())
    confidence = 1.0 / total

    mine = [term for term in terms if best.id in term.weight.sites]
    supporting = sorted((t for t in mine if t.points > 0), key=lambda t: (-t.points, t.finding))
    opposing = sorted((t for t in mine if t.points < 0), key=lambda t: (t.points, t.finding))
    names = labels or {}

    def sentence(term: _Term) -> str:
        answer = "yes" if term.present else "no"
        label = names.get(term.finding, term.finding.replace("_", " "))
        return f"{label}: {answer} ({term.points:+g}) — {term.weight.why} (source: {term.weight.source})"

    runner_up = order[1] if len(order) > 1 else None
    explanation = [sentence(term) for term in supporting + opposing]
    if runner_up is not None and scores[runner_up.id] > 0.0:
        explanation.append(
            f"Next most likely: {runner_up.level} ({runner_up.pattern}), "
            f"score {scores[runner_up.id]:g} against {top:g}."
        )
    return Localisation(
        level=best.level,
        side=_side(neuro, evidence, supporting, sides),
        confidence=round(confidence, 3),
        pattern=best.pattern,
        explanation=explanation,
    )


__all__ = [
    "Localisation",
    "NeuroanatomyFile",
    "Scale",
    "Side",
    "Site",
    "Weight",
    "localise",
    "neuroanatomy_problems",
]
