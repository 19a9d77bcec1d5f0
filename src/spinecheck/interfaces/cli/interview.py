"""`spinecheck interview`: the adaptive interview in the terminal, one question at a time."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from spinecheck.core.interview import (
    NO,
    NONE_OPTION,
    UNKNOWN_REPLY,
    YES,
    InterviewState,
    Option,
    Question,
    StopReason,
)
from spinecheck.core.kb.loader import KnowledgeBaseError
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.interfaces.cli import render
from spinecheck.services import assessment as assessment_service
from spinecheck.services import interview as interview_service
from spinecheck.services import narrative as narrative_service

BACK = "back"
REPLIES = {
    "y": YES, "yes": YES,
    "n": NO, "no": NO,
    "?": UNKNOWN_REPLY, "d": UNKNOWN_REPLY, "dk": UNKNOWN_REPLY, "don't know": UNKNOWN_REPLY, "unknown": UNKNOWN_REPLY,
    "b": BACK, "back": BACK,
}
ENDINGS = {
    StopReason.EMERGENCY: "Stopped: your answers point to an emergency.",
    StopReason.SETTLED: "Done: further questions would not change the advice.",
    StopReason.MAX_QUESTIONS: "Done: that was the last question.",
    StopReason.NO_QUESTIONS_LEFT: "Done: there is nothing more to ask.",
}


class _InputClosedError(Exception):
    """The person closed the input (Ctrl-D) before the interview was over."""


def _read(console: Console, prompt: str) -> str:
    try:
        return console.input(prompt).strip().lower()
    except EOFError:
        raise _InputClosedError from None


def _ask_age(console: Console) -> int | None:
    while True:
        text = _read(console, "How old are you, in years? [dim](Enter to skip)[/dim] ")
        if not text:
            return None
        if text.isdigit() and int(text) <= 130:
            return int(text)
        console.print("[red]Please type your age as a whole number, for example 47.[/red]")


def _ask_sex(console: Console) -> str | None:
    while True:
        text = _read(console, "Your sex: female or male? [dim](f / m, Enter to skip)[/dim] ")
        if not text:
            return None
        if text in ("f", "female", "m", "male"):
            return "female" if text.startswith("f") else "male"
        console.print("[red]Please type f or m, or press Enter to skip.[/red]")


def _show_numbered(console: Console, question: Question) -> list[Option]:
    """Print a choice or checklist with numbered items and "0" for none of these; return the items."""
    items = [option for option in question.options if option.id not in (NONE_OPTION, UNKNOWN_REPLY)]
    console.print(f"[bold]{escape(question.text)}[/bold]")
    for number, option in enumerate(items, start=1):
        console.print(f"  \\[{number}] {escape(option.label)}")
    none_label = next(option.label for option in question.options if option.id == NONE_OPTION)
    console.print(f"  \\[0] {escape(none_label)}")
    return items


def _ask_checklist(console: Console, question: Question) -> str:
    """The reply to a checklist: the ticked ids joined by commas, "none", "unknown", or BACK."""
    items = _show_numbered(console, question)
    while True:
        text = _read(console, r"  numbers of all that apply (e.g. 1 3), 0, \[?] don't know or \[b] back > ")
        reply = REPLIES.get(text)
        if reply in (UNKNOWN_REPLY, BACK):
            return reply
        numbers = text.replace(",", " ").split()
        if numbers and all(n.isdigit() and int(n) <= len(items) for n in numbers):
            picked = sorted({int(n) for n in numbers})
            if picked == [0]:
                return NONE_OPTION
            if 0 not in picked:
                return ",".join(items[n - 1].id for n in picked)
        console.print(f"[red]Please type the numbers (1 to {len(items)}) of all that apply, 0 for none, ? or b.[/red]")


def _ask(console: Console, question: Question) -> str:
    """The reply to one question: an option id (ids joined by commas for a checklist), or BACK."""
    if question.kind == "checklist":
        return _ask_checklist(console, question)
    if question.kind == "boolean":
        console.print(f"[bold]{escape(question.text)}[/bold]")
        while True:
            reply = REPLIES.get(_read(console, r"  \[y] yes  \[n] no  \[?] don't know  \[b] back > "))
            if reply is not None:
                return reply
            console.print("[red]Please type y, n, ? or b.[/red]")
    choices = _show_numbered(console, question)
    while True:
        text = _read(console, f"  1-{len(choices)}, 0, \\[?] don't know or \\[b] back > ")
        if text.isdigit() and int(text) <= len(choices):
            return NONE_OPTION if int(text) == 0 else choices[int(text) - 1].id
        reply = REPLIES.get(text)
        if reply in (UNKNOWN_REPLY, BACK):
            return reply
        console.print(f"[red]Please type a number from 0 to {len(choices)}, ? or b.[/red]")


def _run(console: Console, model: CompiledModel, text: str | None = None) -> InterviewState:
    if text:
        state, parsed = narrative_service.interview_state_from_text(text, model)
        console.print(f"[dim]From your description: {len(state.answers)} answer(s) already known.[/dim]")
        for note in parsed.notes():
            console.print(f"[dim]{escape(note)}[/dim]")
        age = state.age if state.age is not None else _ask_age(console)
        sex = state.sex if state.sex is not None else _ask_sex(console)
        state = state.model_copy(update={"age": age, "sex": sex})
    else:
        state = interview_service.start(_ask_age(console), _ask_sex(console))
    history: list[InterviewState] = []
    while True:
        step = interview_service.step(model, state)
        if step.question is None:
            assert step.stopped is not None
            console.print(f"\n[bold]{ENDINGS[step.stopped]}[/bold]\n")
            return state
        console.print(f"\n[dim]Question {step.asked + 1} of at most {step.max_questions}[/dim]")
        reply = _ask(console, step.question)
        if reply == BACK:
            if history:
                state = history.pop()
            else:
                console.print("[yellow]This is the first question; there is nothing to go back to.[/yellow]")
            continue
        history.append(state)
        state = interview_service.answer(state, step.question, reply)


def interview_command(
    text: Annotated[
        str | None, typer.Option("--from-text", help="Start from a description in your own words.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as the JSON contract.")] = False,
    kb: Annotated[
        Path | None, typer.Option("--kb", help="Knowledge-base folder (default: the one shipped with spinecheck).")
    ] = None,
) -> None:
    """A guided interview: answer one question at a time (y / n / ? for don't know, b to go back)."""
    out = render.console()
    try:
        model = assessment_service.load_model(kb)
    except KnowledgeBaseError as error:
        render.console(stderr=True).print(f"[bold red]error:[/bold red] the knowledge base is broken:\n{error}")
        raise typer.Exit(3) from None
    out.print(Panel(
        "Answer each question with [bold]y[/bold] (yes), [bold]n[/bold] (no) or [bold]?[/bold] (don't know). "
        "For a list, type the numbers of all that apply ([bold]0[/bold]: none of these). "
        "Type [bold]b[/bold] to go back and change your previous answer.\n"
        f"{model.kb.policy.disclaimer}\n[bold]{model.kb.policy.emergency_services}[/bold]",
        title="spinecheck interview",
    ))
    try:
        state = _run(out, model, text)
        assessment = interview_service.result(model, state)
    except _InputClosedError:
        render.console(stderr=True).print("\n[yellow]Interview stopped before the end; nothing was assessed.[/yellow]")
        raise typer.Exit(1) from None
    except EvidenceError as error:
        render.console(stderr=True).print(f"[bold red]error:[/bold red] {error}")
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(assessment.to_json() + "\n")
    else:
        out.print(render.assessment_view(assessment))
