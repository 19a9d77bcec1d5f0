"""The body map: places a person can mark (where it hurts, is numb, is weak) and the findings they stand for.

The knowledge lives in `knowledge/body_map.yaml`: the areas of a front and a back view, the
findings a mark on each area means in each mode, rules for marks on one side or both sides,
and which areas show each nerve-root site of the localisation. This module only checks the
file against the rest of the knowledge base and reads marks; it holds no anatomy of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from spinecheck.core.kb.loader import KnowledgeBase, KnowledgeBaseError, KnowledgeBaseProblem, read_checked_file
from spinecheck.core.kb.schema import Identifier, PlainText, Strict
from spinecheck.core.localisation import NeuroanatomyFile, Side

FILE_NAME = "body_map.yaml"
View = Literal["front", "back"]
Placement = Literal["paired", "middle"]
SideRule = Literal["one", "both", "any"]


class Mode(Strict):
    """What a mark means: where it hurts, where it is numb, where it is weak."""

    id: Identifier
    label: PlainText
    prompt: PlainText


class Area(Strict):
    """A place on the body; `paired` areas exist on the left and on the right."""

    id: Identifier
    label: PlainText
    view: View
    placement: Placement
    region: Identifier
    findings: dict[Identifier, list[Identifier]] = Field(default_factory=dict)


class Rule(Strict):
    """Findings for marks in some regions: on one side only, on both sides, or either."""

    mode: Identifier
    regions: list[Identifier] = Field(min_length=1)
    sides: SideRule = "any"
    unless_regions: list[Identifier] = Field(default_factory=list)
    findings: list[Identifier] = Field(min_length=1)
    note: str | None = None


class BodyMapFile(Strict):
    schema_version: Literal[1]
    source: Identifier
    modes: list[Mode] = Field(min_length=1)
    areas: list[Area] = Field(min_length=1)
    rules: list[Rule] = Field(default_factory=list)
    sites: dict[Identifier, list[Identifier]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> BodyMapFile:
        modes = {mode.id for mode in self.modes}
        ids = [area.id for area in self.areas]
        repeated = sorted({area for area in ids if ids.count(area) > 1})
        if repeated:
            raise ValueError(f"duplicate area ids: {', '.join(repeated)}")
        regions = {area.region for area in self.areas}
        for area in self.areas:
            unknown = sorted(set(area.findings) - modes)
            if unknown:
                raise ValueError(f"area '{area.id}' names unknown modes: {', '.join(unknown)}")
        for index, rule in enumerate(self.rules):
            if rule.mode not in modes:
                raise ValueError(f"rules[{index}] names unknown mode '{rule.mode}'")
            unknown = sorted(set(rule.regions + rule.unless_regions) - regions)
            if unknown:
                raise ValueError(f"rules[{index}] names regions no area has: {', '.join(unknown)}")
        for site, areas in self.sites.items():
            unknown = sorted(set(areas) - set(ids))
            if unknown:
                raise ValueError(f"site '{site}' names unknown areas: {', '.join(unknown)}")
        return self


@dataclass(frozen=True)
class Spot:
    """One markable place: an area on one side (or in the middle), as a form sends it."""

    id: str
    area: Area
    side: Literal["left", "right"] | None

    @property
    def label(self) -> str:
        return f"{self.area.label} ({self.side})" if self.side else self.area.label


@dataclass(frozen=True)
class Mark:
    """One mark a person made: `spot` in `mode` (for example numb at `left_outer_shin`)."""

    mode: str
    spot: str


@dataclass(frozen=True)
class BodyMapReading:
    """What the marks mean: findings present, and the side of each finding marked on one side."""

    present: frozenset[str]
    sides: Mapping[str, Side]
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class BodyMap:
    """The checked body map; empty when a knowledge base has none."""

    data: BodyMapFile | None
    spots: tuple[Spot, ...]

    @property
    def modes(self) -> tuple[Mode, ...]:
        return tuple(self.data.modes) if self.data else ()

    def spot(self, spot_id: str) -> Spot | None:
        return next((spot for spot in self.spots if spot.id == spot_id), None)

    def spots_for(self, mode: str) -> tuple[Spot, ...]:
        """Spots a mark means something on in `mode`: findings of their own, or a rule on their region."""
        if self.data is None:
            return ()
        regions = {region for rule in self.data.rules if rule.mode == mode for region in rule.regions}
        return tuple(s for s in self.spots if s.area.findings.get(mode) or s.area.region in regions)

    def site_spots(self, site: str, side: str | None) -> list[str]:
        """Spot ids that show a localisation site (on its side, or both sides when unknown)."""
        if self.data is None:
            return []
        areas = set(self.data.sites.get(site, []))
        wanted = {"left", "right"} if side in (None, "both") else {side}
        return [s.id for s in self.spots if s.area.id in areas and (s.side is None or s.side in wanted)]


def _spots(data: BodyMapFile) -> tuple[Spot, ...]:
    spots: list[Spot] = []
    for area in data.areas:
        if area.placement == "middle":
            spots.append(Spot(area.id, area, None))
        else:
            spots.extend(Spot(f"{side}_{area.id}", area, side) for side in ("left", "right"))
    return tuple(spots)


def load_body_map(kb: KnowledgeBase) -> BodyMap:
    """Read and check `body_map.yaml` of this knowledge base (an empty map when it has none)."""
    path = kb.root / FILE_NAME
    if not path.exists():
        return BodyMap(None, ())
    data = read_checked_file(path, BodyMapFile, FILE_NAME)
    problems = list(_reference_problems(data, kb))
    if problems:
        raise KnowledgeBaseError(problems)
    return BodyMap(data, _spots(data))


def _reference_problems(data: BodyMapFile, kb: KnowledgeBase) -> Iterable[KnowledgeBaseProblem]:
    if data.source not in kb.sources:
        yield KnowledgeBaseProblem(FILE_NAME, "source", f"names unknown source '{data.source}'")
    named = [(f"areas ({area.id})", ids) for area in data.areas for ids in area.findings.values()]
    named += [(f"rules[{index}]", rule.findings) for index, rule in enumerate(data.rules)]
    for entry, ids in named:
        for finding in ids:
            if finding not in kb.findings:
                yield KnowledgeBaseProblem(FILE_NAME, entry, f"names unknown finding '{finding}'")
            elif kb.findings[finding].clinician_only:
                yield KnowledgeBaseProblem(FILE_NAME, entry, f"'{finding}' is for clinicians; a person cannot mark it")
    neuro = kb.extra.get("neuroanatomy")
    known_sites = {site.id for site in neuro.sites} if isinstance(neuro, NeuroanatomyFile) else set()
    for site in data.sites:
        if site not in known_sites:
            yield KnowledgeBaseProblem(FILE_NAME, f"sites ({site})", "names a site neuroanatomy.yaml does not define")


def read_marks(body_map: BodyMap, marks: Iterable[Mark]) -> BodyMapReading:
    """Turn marks into findings. Unknown modes or spots are errors (a `ValueError` naming them)."""
    data = body_map.data
    kept = tuple(dict.fromkeys(marks))
    if data is None:
        if kept:
            raise ValueError("this knowledge base has no body map")
        return BodyMapReading(frozenset(), {}, ())
    modes = {mode.id for mode in data.modes}
    sides: dict[str, set[str]] = {}
    present: set[str] = set()
    marked: dict[str, dict[str, set[str]]] = {mode: {} for mode in modes}  # mode -> region -> sides

    def add(finding: str, side: str | None) -> None:
        present.add(finding)
        if side is not None:
            sides.setdefault(finding, set()).add(side)

    for mark in kept:
        spot = body_map.spot(mark.spot)
        if mark.mode not in modes or spot is None:
            raise ValueError(f"'{mark.mode}:{mark.spot}' is not a place on the body map")
        marked[mark.mode].setdefault(spot.area.region, set()).add(spot.side or "middle")
        for finding in spot.area.findings.get(mark.mode, []):
            add(finding, spot.side)
    for rule in data.rules:
        regions = marked[rule.mode]
        hit = set().union(*(regions.get(region, set()) for region in rule.regions))
        if not hit or any(region in regions for region in rule.unless_regions):
            continue
        both = {"left", "right"} <= hit
        if (rule.sides == "both" and not both) or (rule.sides == "one" and (both or not hit & {"left", "right"})):
            continue
        for finding in rule.findings:
            present.add(finding)
            for side in hit & {"left", "right"}:
                add(finding, side)
    resolved: dict[str, Side] = {
        finding: ("both" if len(found) > 1 else "left" if "left" in found else "right")
        for finding, found in sides.items()
    }
    return BodyMapReading(frozenset(present), resolved, kept)


__all__ = ["Area", "BodyMap", "BodyMapFile", "BodyMapReading", "Mark", "Mode", "Rule", "Spot", "load_body_map",
           "read_marks"]
