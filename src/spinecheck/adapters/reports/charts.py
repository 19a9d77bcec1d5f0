"""Line charts as SVG, for the browser and for print: pain, weakness and walking distance over time.

The SVG uses presentation attributes only (no inline style), so it passes the pages' Content
Security Policy; it carries a <title> and <desc> (every value) for screen readers, a dash pattern
per line so it reads in black and white, and on shorter series a marker and a label at each point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 40
COLOURS = ("#1b4f9c", "#b3261e", "#1e7a3c", "#7a4b00")
MARKED_POINTS = 60
"""Up to this many points a line has a marker on each point; up to LABELLED_POINTS, a value too."""
LABELLED_POINTS = 20
DASHES = ("", "6 3", "2 3", "8 3 2 3")

Point = tuple[datetime, float]


@dataclass(frozen=True)
class Line:
    label: str
    points: Sequence[Point]


def _x(moment: datetime, start: datetime, end: datetime) -> float:
    span = (end - start).total_seconds()
    share = 0.5 if span <= 0 else (moment - start).total_seconds() / span
    return LEFT + share * (WIDTH - LEFT - RIGHT)


def _y(value: float, top: float) -> float:
    return TOP + (1 - value / top) * (HEIGHT - TOP - BOTTOM) if top > 0 else HEIGHT - BOTTOM


def _nice_top(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000):
        if value <= step:
            return float(step)
    return value


def line_chart(
    chart_id: str, title: str, lines: Sequence[Line], unit: str = "", top: float | None = None,
) -> str:
    """An SVG line chart of `lines` over time; `top` fixes the scale (10 for pain scores)."""
    drawn = [line for line in lines if line.points]
    moments = [moment for line in drawn for moment, _ in line.points]
    values = [value for line in drawn for _, value in line.points]
    scale = top if top is not None else _nice_top(max(values, default=1.0) or 1.0)
    desc = "; ".join(
        f"{line.label}: " + ", ".join(f"{moment:%d %b} {value:g}{unit}" for moment, value in line.points)
        for line in drawn
    ) or "No values recorded yet."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'class="chart" id="{escape(chart_id)}" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    for tick in (0.0, scale / 2, scale):
        y = _y(tick, scale)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d0d0d0" '
                     'stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'font-family="DejaVu Sans, sans-serif" fill="#333333">{tick:g}{escape(unit)}</text>')
    if not drawn:
        parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="13" '
                     'font-family="DejaVu Sans, sans-serif" fill="#555555">No values recorded yet</text>')
    else:
        start, end = min(moments), max(moments)
        for label_moment in sorted({start, end}):
            x = _x(label_moment, start, end)
            anchor = "middle" if start == end else "start" if label_moment == start else "end"
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="{anchor}" font-size="11" '
                         f'font-family="DejaVu Sans, sans-serif" fill="#333333">{label_moment:%d %b %Y}</text>')
        for index, line in enumerate(drawn):
            colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
            points = [(_x(moment, start, end), _y(value, scale), value) for moment, value in line.points]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline class="series" data-series="{escape(line.label)}" points="{path}" fill="none" '
                         f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
            for x, y, value in points if len(points) <= MARKED_POINTS else ():
                parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
                if len(points) <= LABELLED_POINTS:
                    parts.append(f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle" font-size="10" '
                                 f'font-family="DejaVu Sans, sans-serif" fill="{colour}">{value:g}</text>')
        legend_x = LEFT
        for index, line in enumerate(drawn):
            colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<line x1="{legend_x}" y1="14" x2="{legend_x + 22}" y2="14" stroke="{colour}" '
                         f'stroke-width="2.5"{dash_attr}/>')
            parts.append(f'<text x="{legend_x + 26}" y="18" font-size="11" font-family="DejaVu Sans, sans-serif" '
                         f'fill="#222222">{escape(line.label)}</text>')
            legend_x += 30 + 7 * len(line.label)
    parts.append("</svg>")
    return "\n".join(parts)


CHARTS = ("pain", "weakness", "walking")


def diary_charts(series: Mapping[str, Sequence[Point]], score_labels: Mapping[str, str]) -> dict[str, str]:
    """The diary's three charts from `core.diary.chart_series`: pain, weak and numb places, walking distance."""
    pain = [Line(score_labels.get(key, key), series.get(key, [])) for key in score_labels]
    return {
        "pain": line_chart("chart-pain", "Pain (0 to 10)", pain, top=10.0),
        "weakness": line_chart("chart-weakness", "Weak and numb places on the body map", [
            Line("Weak places", series.get("weak_places", [])), Line("Numb places", series.get("numb_places", [])),
        ]),
        "walking": line_chart("chart-walking", "Walking distance before pain stops you",
                              [Line("Walking distance", series.get("walking_distance_m", []))], unit=" m"),
    }
