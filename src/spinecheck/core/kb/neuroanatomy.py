"""The schema of `knowledge/neuroanatomy.yaml`: sites in the nervous system and answer weights.

Candidate sites (roots L2-S1, cauda equina, spinal cord, peripheral nerves, polyneuropathy)
and weights saying how strongly each answer points towards or away from each site; the
localisation in `spinecheck.core.localisation` only adds them up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
