"""`spinecheck instrument ...`: score a filled-in STarT Back or Oswestry form from its answer codes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinecheck.core.instruments import Instrument, load_instrument, score_oswestry, score_start_back
from spinecheck.core.kb.loader import KnowledgeBaseError
from spinecheck.interfaces.cli import render
from spinecheck.interfaces.cli.errors import fail

instrument_app = typer.Typer(
    help="Score a questionnaire filled in on its official form (STarT Back, Oswestry).",
    no_args_is_help=True,
)

EXIT_INPUT_ERROR = 2
SKIPPED_MARKS = {"", "-"}

AnswersOption = Annotated[str, typer.Option("--answers", help="Answer codes in item order, separated by commas.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _fail(message: str) -> typer.Exit:
    return fail(message, EXIT_INPUT_ERROR)


def parse_answers(text: str) -> list[int | None]:
    """'0,1,-,,3' -> [0, 1, None, None, 3]; '-' or nothing between commas marks a skipped item."""
    answers: list[int | None] = []
    for position, part in enumerate(text.split(","), start=1):
        part = part.strip()
        if part in SKIPPED_MARKS:
            answers.append(None)
        elif part.isascii() and part.isdigit() and len(part) <= 4:
            answers.append(int(part))
        else:
            raise ValueError(f"answer {position} is '{part}'; use a whole number, or '-' for a skipped item")
    return answers


def _instrument(instrument_id: str) -> Instrument:
    try:
        return load_instrument(instrument_id)
    except KnowledgeBaseError as error:
        raise _fail(f"the {instrument_id} file is broken:\n{error}") from None


def _show(result: BaseModel, as_json: bool, body: Table, instrument: Instrument, headline: str) -> None:
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
        return
    notice = Text(instrument.notice, style="italic")
    licence = Text(f"Form: {instrument.licence.official_form}", style="dim")
    parts = Group(Text(headline, style="bold"), Text(), body, Text(), notice, licence)
    render.console().print(Panel(parts, title=instrument.name))


@instrument_app.command("start-back")
def start_back(answers: AnswersOption, as_json: JsonOption = False) -> None:
    """Items 1-8: 0 disagree, 1 agree. Item 9: 0 not at all, 1 slightly, 2 moderately, 3 very much, 4 extremely."""
    instrument = _instrument("start_back")
    try:
        result = score_start_back(parse_answers(answers), instrument)
    except ValueError as error:
        raise _fail(str(error)) from None
    table = Table.grid(padding=(0, 2))
    table.add_row("Total score", f"{result.total} / {result.max_total}")
    table.add_row("Psychosocial subscale", f"{result.psychosocial} / {result.psychosocial_max}")
    table.add_row("Risk group", result.label)
    _show(result, as_json, table, instrument, result.explanation)


@instrument_app.command("oswestry")
def oswestry(answers: AnswersOption, as_json: JsonOption = False) -> None:
    """Ten sections, each 0 (first statement) to 5 (last); '-' or nothing for a skipped section."""
    instrument = _instrument("oswestry")
    try:
        result = score_oswestry(parse_answers(answers), instrument)
    except ValueError as error:
        raise _fail(str(error)) from None
    table = Table.grid(padding=(0, 2))
    table.add_row("Disability", f"{result.percent:.1f}%")
    table.add_row("Band", result.band_label)
    table.add_row("Sections answered", f"{result.answered_sections} of {len(instrument.items)}")
    if result.skipped:
        table.add_row("Skipped", ", ".join(result.skipped))
    _show(result, as_json, table, instrument, f"{result.band_label}: {result.description}")
