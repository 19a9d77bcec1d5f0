"""Render the interview page's terminal picture: a real `spinecheck interview` session, saved as SVG.

The session is typed through a pseudo-terminal (pexpect) as a person would answer it: a
60-year-old man with low back pain of 6 out of 10, none of the bladder signs, then weakness in
both legs that is getting worse. The picture ends where the list of possible causes begins. Run:

    .venv/bin/python scripts/make_interview_screenshot.py
    rsvg-convert docs/images/interview-terminal.svg -o docs/images/interview-terminal.png
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pexpect
from rich.console import Console
from rich.text import Text

ROOT = Path(__file__).parents[1]
OUT = ROOT / "docs" / "images" / "interview-terminal.svg"
PROMPT = "back > "
CUT_AT = "What could be causing it"


def main() -> None:
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color", "FORCE_COLOR": "1"}
    child = pexpect.spawn(str(ROOT / ".venv" / "bin" / "spinecheck"), ["interview"], env=env,
                          encoding="utf-8", timeout=60, dimensions=(200, 100))
    log = io.StringIO()
    child.logfile_read = log
    for prompt, reply in [("How old are you", "60"), ("female or male", "m"), (PROMPT, "1"), (PROMPT, "6"),
                          (PROMPT, "0"), (PROMPT, "2 3")]:
        child.expect(prompt)
        child.sendline(reply)
    child.expect(CUT_AT)
    child.close(force=True)
    transcript = log.getvalue().replace("\r\n", "\n").split(CUT_AT)[0].rstrip()
    console = Console(record=True, width=100, force_terminal=True)
    console.print(Text.from_ansi(transcript))
    console.save_svg(str(OUT), title="spinecheck interview")


if __name__ == "__main__":
    main()
