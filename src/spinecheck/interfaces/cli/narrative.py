"""`spinecheck parse`: show what spinecheck read in a description, and the words behind each finding."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from spinecheck.core.text import ParseResult
from spinecheck.interfaces.cli import render
from spinecheck.interfaces.cli.inputs import knowledge_base_folder, read_standard_input
from spinecheck.services import assessment as assessment_service
from spinecheck.services import narrative


def parse_command(
    text: Annotated[str, typer.Argument(help="A description in your own words; '-' reads standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    kb: Annotated[Path | None, typer.Option("--kb", help="Knowledge-base folder.")] = None,
) -> None:
    """Read a description: findings present and absent, with the words that produced each."""
    model = assessment_service.load_model(knowledge_base_folder(kb))
    result = narrative.parse_text(read_standard_input() if text == "-" else text, model)
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
        return
    render.console().print(parse_view(result))


def parse_view(result: ParseResult) -> Table:
    table = Table(title="What spinecheck read", show_lines=False)
    for column in ("answer", "finding", "side", "from the words", "because of"):
        table.add_column(column)
    colours = {"present": "red", "absent": "green", "unknown": "yellow"}
    for item in [*result.present, *result.absent, *result.unknown]:
        because = ", ".join([*item.context, *([item.via] if item.via else [])]) + (f" ({item.cue})" if item.cue else "")
        table.add_row(
            Text(item.status, style=colours[item.status]),
            Text(item.label),
            item.side or "",
            Text(f'"{item.span.text}"'),
            Text(because),
        )
    lines = []
    if result.age is not None or result.sex is not None:
        lines.append(f"age: {result.age if result.age is not None else '?'}, sex: {result.sex or '?'}")
    lines.extend(result.notes())
    if lines:
        table.caption = Text("\n".join(lines))
    return table
