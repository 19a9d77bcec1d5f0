"""Render the README's terminal screenshot: an assessment in the Rich layout, saved as SVG.

Run:

    .venv/bin/python scripts/make_screenshot.py
    rsvg-convert docs/images/check-terminal.svg -o docs/images/check-terminal.png
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from spinecheck.interfaces.cli.render import assessment_view
from spinecheck.services.assessment import assess_evidence, make_evidence

OUT = Path(__file__).parents[1] / "docs" / "images" / "check-terminal.svg"


def main() -> None:
    evidence = make_evidence(
        present=["low_back_pain,leg_pain_below_knee,leg_pain_unilateral,dermatomal_pain_distribution",
                 "worse_coughing_sneezing,onset_sudden,duration_acute,weakness_big_toe_extension"],
        absent=["saddle_numbness,bladder_retention,faecal_incontinence,fever,history_of_cancer,leg_weakness_bilateral"],
        age=41,
        sex="male",
    )
    console = Console(record=True, width=100, force_terminal=True)
    console.print(assessment_view(assess_evidence(evidence)))
    console.save_svg(str(OUT), title="spinecheck check")


if __name__ == "__main__":
    main()
