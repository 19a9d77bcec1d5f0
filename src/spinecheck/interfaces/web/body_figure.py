"""The drawing of the body map: shapes for the areas of the knowledge base's body map.

`body_shapes.yaml` beside this file holds the geometry; the knowledge base decides which areas
exist and what they mean. An area without a shape is still offered in the list of checkboxes,
so nothing a person can mark depends on the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from spinecheck.core.body_map import BodyMap, Spot

SHAPES_FILE = Path(__file__).with_name("body_shapes.yaml")


class Shapes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    width: int
    height: int
    outline_half: str
    areas: dict[str, str]


@lru_cache(maxsize=1)
def load_shapes() -> Shapes:
    return Shapes.model_validate(yaml.safe_load(SHAPES_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Region:
    """One drawn spot: its polygon (already mirrored where needed) and what it is."""

    spot: Spot
    points: str


@dataclass(frozen=True)
class View:
    """One view of the figure (front or back) with its spots, ready for the template."""

    name: str
    title: str
    outline: str
    regions: tuple[Region, ...]
    viewer_left: str  # which of the person's sides is on the viewer's left


def _parse(points: str) -> list[tuple[float, float]]:
    pairs = []
    for pair in points.split():
        x, y = pair.split(",")
        pairs.append((float(x), float(y)))
    return pairs


def _format(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


def _mirror(points: str, width: int) -> str:
    return _format([(width - x, y) for x, y in _parse(points)])


def outline(shapes: Shapes) -> str:
    half = _parse(shapes.outline_half)
    other = [(shapes.width - x, y) for x, y in reversed(half)]
    return _format(half + other)


_VIEWS: dict[tuple[int, str | None], tuple[View, ...]] = {}


def views(body_map: BodyMap, mode: str | None = None) -> tuple[View, ...]:
    """Front and back views; with `mode`, only the spots that mean something in that mode (worked out
    once per body map and mode)."""
    key = (id(body_map), mode)
    if key not in _VIEWS:
        _VIEWS[key] = _views(body_map, mode)
    return _VIEWS[key]


def _views(body_map: BodyMap, mode: str | None) -> tuple[View, ...]:
    shapes = load_shapes()
    figure = outline(shapes)
    result = []
    for name, title, viewer_left in (("front", "Front", "right"), ("back", "Back", "left")):
        regions = []
        for spot in body_map.spots if mode is None else body_map.spots_for(mode):
            if spot.area.view != name or spot.area.id not in shapes.areas:
                continue
            points = shapes.areas[spot.area.id]
            if spot.side is not None and spot.side != viewer_left:
                points = _mirror(points, shapes.width)
            regions.append(Region(spot, points))
        result.append(View(name, title, figure, tuple(regions), viewer_left))
    return tuple(result)


def missing_shapes(body_map: BodyMap) -> list[str]:
    """Areas of the knowledge base's body map that have no shape in the drawing."""
    shapes = load_shapes()
    return sorted({spot.area.id for spot in body_map.spots} - shapes.areas.keys())
