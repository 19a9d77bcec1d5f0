"""Where leg weakness, numbness and reflex changes most probably come from.

The knowledge lives in `knowledge/neuroanatomy.yaml`: candidate sites (roots L2-S1, cauda
equina, spinal cord, peripheral nerves, polyneuropathy) and weights saying how strongly each
answer points towards or away from each site. This module only adds the weights up and turns
the scores into confidences; it holds no anatomy of its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:  # the loader imports this module, and the model module imports the loader
    from spinecheck.core.model import Evidence

Side = Literal["left", "right", "both"]
SiteId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
FindingId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Phrase = Annotated[str, Field(min_length=1, max_length=300)]
Points = Annotated[float, Field(ge=-10.0, le=10.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    value: Annotated[float, Field(gt=0.0, le=10.0)]
    source: FindingId


class Site(_Strict):
    """A place a lesion may be: `level` and `pattern` are the words shown to the person."""

    id: SiteId
    level: Phrase
    pattern: Phrase


class Weight(_Strict):
    """Points one answer adds to some sites: `present` when the finding is there, `absent` when
    it is known not to be (a normal test), each explained by `why` and backed by `source`."""

    finding: FindingId
    sites: list[SiteId] = Field(min_length=1)
    present: Points = 0.0
    absent: Points = 0.0
    source: FindingId
    why: Phrase

    @model_validator(mode="after")
    def _moves_something(self) -> Weight:
        if self.present == 0.0 and self.absent == 0.0:
            raise ValueError("a weight needs a non-zero 'present' or 'absent'")
        if len(set(self.sites)) != len(self.sites):
            raise ValueError("a site is named twice")
        return self


class NeuroanatomyFile(_Strict):
    """The whole of `neuroanatomy.yaml`, checked for internal consistency."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    schema_version: Literal[1]
    scale: Scale
    sites: list[Site] = Field(min_length=1)
    localising: list[FindingId] = Field(min_length=1)
    both_sides: list[FindingId] = Field(default_factory=list)
    weights: list[Weight] = Field(min_length=1)

    @model_validator(mode="after")
    def _sites_known(self) -> NeuroanatomyFile:
        ids = [site.id for site in self.sites]
        duplicates = sorted({site for site in ids if ids.count(site) > 1})
        if duplicates:
            raise ValueError(f"duplicate site ids: {', '.join(duplicates)}")
        unknown = sorted({site for weight in self.weights for site in weight.sites} - set(ids))
        if unknown:
            raise ValueError(f"weights name unknown sites: {', '.join(unknown)}")
        return self

    def finding_ids(self) -> set[str]:
        """Every finding the file mentions (for cross-checks and the unused-finding lint)."""
        return {w.finding for w in self.weights} | set(self.localising) | set(self.both_sides)

    @cached_property
    def by_finding(self) -> dict[str, tuple[Weight, ...]]:
        index: dict[str, list[Weight]] = {}
        for weight in self.weights:
            index.setdefault(weight.finding, []).append(weight)
        return {finding: tuple(items) for finding, items in index.items()}


def neuroanatomy_problems(
    neuro: NeuroanatomyFile, findings: Iterable[str], sources: Iterable[str]
) -> Iterator[tuple[str, str]]:
    """(entry, message) for every finding or source the file names that the KB does not define."""
    known_findings, known_sources = set(findings), set(sources)
    if neuro.scale.source not in known_sources:
        yield "scale", f"names unknown source '{neuro.scale.source}'"
    for index, weight in enumerate(neuro.weights):
        entry = f"weights[{index}] ({weight.finding})"
        if weight.finding not in known_findings:
            yield entry, f"names unknown finding '{weight.finding}'"
        if weight.source not in known_sources:
            yield entry, f"names unknown source '{weight.source}'"
    for key, ids in (("localising", neuro.localising), ("both_sides", neuro.both_sides)):
        for finding in ids:
            if finding not in known_findings:
                yield key, f"names unknown finding '{finding}'"


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
        for finding in sorted(answers):
            for weight in index.get(finding, ()):
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
    if evidence.present & set(neuro.both_sides):
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
    if not evidence.present & set(neuro.localising):
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
