"""`spinecheck parse`: show what spinecheck read in a description, and the words behind each finding."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from spinecheck.core.kb.loader import KnowledgeBaseError
from spinecheck.core.model import EvidenceError
from spinecheck.core.text import ParseResult
from spinecheck.interfaces.cli import render
from spinecheck.services import assessment as assessment_service
from spinecheck.services import narrative


def parse_command(
    text: Annotated[str, typer.Argument(help="A description in your own words.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    kb: Annotated[Path | None, typer.Option("--kb", help="Knowledge-base folder.")] = None,
) -> None:
    """Read a description: findings present and absent, with the words that produced each."""
    err = render.console(stderr=True)
    try:
        model = assessment_service.load_model(kb)
        result = narrative.parse_text(text, model)
    except KnowledgeBaseError as error:
        err.print(f"[bold red]error:[/bold red] the knowledge base is broken:\n{error}")
        raise typer.Exit(3) from None
    except EvidenceError as error:
        err.print(f"[bold red]error:[/bold red] {error}")
        raise typer.Exit(2) from None
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
        table.add_row(
            f"[{colours[item.status]}]{item.status}[/{colours[item.status]}]",
            item.label,
            item.side or "",
            f'"{item.span.text}"',
            ", ".join([*item.context, *([item.via] if item.via else [])]) + (f" ({item.cue})" if item.cue else ""),
        )
    if result.age is not None or result.sex is not None:
        table.caption = f"age: {result.age if result.age is not None else '?'}, sex: {result.sex or '?'}"
    for note in result.notes():
        table.caption = (table.caption + "\n" if table.caption else "") + note
    return table
