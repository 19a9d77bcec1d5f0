"""Render the README's terminal screenshots: one assessment in the person's view and in the clinician's view.

The case is a 41-year-old man with sciatica on the left, described in his own words, with every
warning sign answered "no"; run:

    .venv/bin/python scripts/make_screenshot.py
    rsvg-convert docs/images/check-terminal.svg -o docs/images/check-terminal.png
    rsvg-convert docs/images/check-clinician.svg -o docs/images/check-clinician.png

(`convert x.svg x.png` from ImageMagick works as well.)
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from spinecheck.core.completeness import screen_questions
from spinecheck.interfaces import wiring  # noqa: F401  (the text reader)
from spinecheck.interfaces.cli.render import assessment_view
from spinecheck.services import narrative
from spinecheck.services.assessment import load_model

IMAGES = Path(__file__).parents[1] / "docs" / "images"


DESCRIPTION = (
    "I'm a 41 year old man. My lower back went suddenly two weeks ago when I lifted a box; now a shooting pain "
    "runs down my left leg below the knee, worse when I cough, and my left foot slaps when I walk."
)


def main() -> None:
    model = load_model()
    # Every warning sign answered "no", as after the questions `check` offers in a terminal.
    screen = sorted({finding for question in screen_questions(model) for finding, _ in question.items})
    result = narrative.assess_text(DESCRIPTION, model, absent=screen)
    for name, clinician in (("check-terminal", False), ("check-clinician", True)):
        console = Console(record=True, width=100, force_terminal=True, file=io.StringIO())
        console.print(assessment_view(result, clinician=clinician))
        console.save_svg(str(IMAGES / f"{name}.svg"), title="spinecheck check" + (" --clinician" if clinician else ""))


if __name__ == "__main__":
    main()
