"""The report for the doctor as one self-contained HTML page (styles inline, charts as inline SVG)."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from spinecheck.core.assessment import format_probability
from spinecheck.core.record import DoctorReport

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["percent"] = format_probability
    env.filters["words"] = lambda value: str(value).replace("_", " ")
    env.filters["day"] = lambda moment: moment.strftime("%d %b %Y") if isinstance(moment, datetime) else ""
    env.filters["moment"] = lambda moment: moment.strftime("%d %b %Y %H:%M") if isinstance(moment, datetime) else ""
    return env


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def style_hash() -> str:
    """The CSP source that allows exactly the report's inline stylesheet ('sha256-...')."""
    digest = hashlib.sha256(stylesheet().encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def content_security_policy() -> str:
    """The policy a served report needs: nothing but its own inline stylesheet (and data: images)."""
    return (f"default-src 'none'; style-src {style_hash()}; img-src 'self' data:; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'")


def render_report(report: DoctorReport, charts: dict[str, str], disclaimer: str, emergency: str) -> str:
    return _environment().get_template("report.html").render(
        report=report, charts=charts, css=stylesheet(), disclaimer=disclaimer, emergency=emergency,
    )
