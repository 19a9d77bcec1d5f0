"""`spinecheck interview`: the adaptive interview in the terminal, one question at a time."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from spinecheck.core.assessment import Assessment
from spinecheck.core.interview import (
    NO,
    NONE_OPTION,
    UNKNOWN_REPLY,
    YES,
    InterviewState,
    Option,
    Question,
    StopReason,
    questions_asked,
)
from spinecheck.core.model import CompiledModel
from spinecheck.interfaces.cli import render
from spinecheck.interfaces.cli.errors import EXIT_STOPPED, print_error
from spinecheck.interfaces.cli.inputs import InputClosedError, knowledge_base_folder, read_reply
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


DEMOGRAPHICS = ("age", "sex")


def _number(text: str) -> int | None:
    """A small whole number typed with the digits 0-9, else None (so "²" or a thousand digits are refused)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _ask_age(console: Console) -> int | str | None:
    """The age in years, None for don't know, or BACK."""
    while True:
        text = read_reply(console, r"How old are you, in years? [dim](Enter or \[?] to skip, \[b] back)[/dim] ")
        if text in ("", "?", "d", "dk", "don't know"):
            return None
        if REPLIES.get(text) == BACK:
            return BACK
        age = _number(text)
        if age is not None and age <= 130:
            return age
        console.print("[red]Please type your age as a whole number, for example 47, or ? to skip.[/red]")


def _ask_sex(console: Console) -> str | None:
    """"female", "male", None for don't know, or BACK."""
    while True:
        text = read_reply(console, r"Your sex: female or male? [dim](f / m, Enter or \[?] to skip, \[b] back)[/dim] ")
        if text in ("", "?", "d", "dk", "don't know"):
            return None
        if REPLIES.get(text) == BACK:
            return BACK
        if text in ("f", "female", "m", "male"):
            return "female" if text.startswith("f") else "male"
        console.print("[red]Please type f or m, ? to skip, or b to go back.[/red]")


def _show_numbered(console: Console, question: Question) -> list[Option]:
    """Print a choice or checklist with items numbered from 1 and "0" for none of these (where the question
    offers it: a checklist of test results does not); return the items."""
    items = [option for option in question.options if option.id not in (NONE_OPTION, UNKNOWN_REPLY)]
    console.print(f"[bold]{escape(question.text)}[/bold]")
    for number, option in enumerate(items, start=1):
        console.print(f"  \\[{number}] {escape(option.label)}")
    if question.offers_none:
        none_label = next(option.label for option in question.options if option.id == NONE_OPTION)
        console.print(f"  \\[0] {escape(none_label)}")
    return items


def _ask_checklist(console: Console, question: Question) -> str:
    """The reply to a checklist: the ticked ids joined by commas, "none", "unknown", or BACK."""
    items = _show_numbered(console, question)
    zero, none_hint = ("0, ", ", 0 for none") if question.offers_none else ("", "")
    while True:
        text = read_reply(console, f"  numbers of all that apply (e.g. 1 3), {zero}\\[?] don't know or \\[b] back > ")
        reply = REPLIES.get(text)
        if reply in (UNKNOWN_REPLY, BACK):
            return reply
        numbers = [_number(part) for part in text.replace(",", " ").split()]
        if numbers and all(n is not None and n <= len(items) for n in numbers):
            picked = sorted({n for n in numbers if n is not None})
            if picked == [0] and question.offers_none:
                return NONE_OPTION
            if 0 not in picked:
                return ",".join(items[n - 1].id for n in picked)
        console.print(f"[red]Please type the numbers (1 to {len(items)}) of all that apply{none_hint}, ? or b.[/red]")


def _ask_scale(console: Console, question: Question) -> str:
    """The reply to a scale question: the number, "unknown", or BACK."""
    numbers = [option.id for option in question.options if option.id != UNKNOWN_REPLY]
    console.print(f"[bold]{escape(question.text)}[/bold]")
    while True:
        text = read_reply(console, f"  {numbers[0]} to {numbers[-1]}, \\[?] don't know or \\[b] back > ")
        if text in numbers:
            return text
        reply = REPLIES.get(text)
        if reply in (UNKNOWN_REPLY, BACK):
            return reply
        console.print(f"[red]Please type a whole number from {numbers[0]} to {numbers[-1]}, ? or b.[/red]")


def _ask(console: Console, question: Question) -> str:
    """The reply to one question: an option id (ids joined by commas for a checklist), or BACK."""
    if question.kind == "checklist":
        return _ask_checklist(console, question)
    if question.kind == "scale":
        return _ask_scale(console, question)
    if question.kind == "boolean":
        console.print(f"[bold]{escape(question.text)}[/bold]")
        while True:
            reply = REPLIES.get(read_reply(console, r"  \[y] yes  \[n] no  \[?] don't know  \[b] back > "))
            if reply is not None:
                return reply
            console.print("[red]Please type y, n, ? or b.[/red]")
    choices = _show_numbered(console, question)
    while True:
        text = read_reply(console, f"  1-{len(choices)}, 0, \\[?] don't know or \\[b] back > ")
        number = _number(text)
        if number is not None and number <= len(choices):
            return NONE_OPTION if number == 0 else choices[number - 1].id
        reply = REPLIES.get(text)
        if reply in (UNKNOWN_REPLY, BACK):
            return reply
        console.print(f"[red]Please type a number from 0 to {len(choices)}, ? or b.[/red]")


def run_interview(console: Console, model: CompiledModel, state: InterviewState) -> Assessment:
    """Ask age and sex (when not known), then the engine's questions, numbered from 1 in this session;
    "b" goes back one question at any point, "?" is always "don't know". Returns the assessment."""
    demographics = [name for name in DEMOGRAPHICS if getattr(state, name) is None]
    known_before = questions_asked(model, state)
    history: list[tuple[InterviewState, int]] = []
    position = 0
    while True:
        if position < len(demographics):
            name = demographics[position]
            value = _ask_age(console) if name == "age" else _ask_sex(console)
            if value == BACK:
                state, position = _go_back(console, history, state, position)
                continue
            history.append((state, position))
            state = state.model_copy(update={name: value})
            position += 1
            continue
        step = interview_service.step(model, state)
        if step.question is None:
            assert step.stopped is not None
            console.print(f"\n[bold]{ENDINGS[step.stopped]}[/bold]\n")
            return interview_service.result(model, state)
        number = step.asked - known_before + 1
        console.print(f"\n[dim]Question {number} of at most {step.max_questions - known_before}[/dim]")
        reply = _ask(console, step.question)
        if reply == BACK:
            state, position = _go_back(console, history, state, position)
            continue
        history.append((state, position))
        state = interview_service.answer(state, step.question, reply)



def _go_back(
    console: Console, history: list[tuple[InterviewState, int]], state: InterviewState, position: int
) -> tuple[InterviewState, int]:
    """The state and question before the last answer, or where we are when nothing was answered yet."""
    if history:
        return history.pop()
    console.print("[yellow]This is the first question; there is nothing to go back to.[/yellow]")
    return state, position


def interview_command(
    text: Annotated[
        str | None, typer.Option("--from-text", help="Start from a description in your own words.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as the JSON contract.")] = False,
    clinician: Annotated[
        bool, typer.Option("--clinician", help="Show the result with likelihood ratios, sources and localisation.")
    ] = False,
    kb: Annotated[
        Path | None, typer.Option("--kb", help="Knowledge-base folder (default: the one shipped with spinecheck).")
    ] = None,
) -> None:
    """A guided interview: what troubles you and where, how bad, the warning signs, then the most useful
    questions (y / n / ? for don't know, b to go back)."""
    out = render.console()
    model = assessment_service.load_model(knowledge_base_folder(kb))
    out.print(Panel(
        "Answer each question with [bold]y[/bold] (yes), [bold]n[/bold] (no) or [bold]?[/bold] (don't know). "
        "For a list, type the numbers of all that apply ([bold]0[/bold]: none of these). "
        "Type [bold]b[/bold] to go back and change your previous answer.\n"
        f"{escape(model.kb.policy.disclaimer)}\n[bold]{escape(model.kb.policy.emergency_services)}[/bold]",
        title="spinecheck interview",
    ))
    state = InterviewState()
    if text:
        state, parsed = narrative_service.interview_state_from_text(text, model)
        out.print(f"[dim]From your description: {len(state.answers)} answer(s) already known.[/dim]")
        for note in parsed.notes():
            out.print(Text(note, style="dim"))
    try:
        assessment = run_interview(out, model, state)
    except InputClosedError:
        print_error("the interview stopped before the end; nothing was assessed", label="note")
        raise typer.Exit(EXIT_STOPPED) from None
    if as_json:
        sys.stdout.write(assessment.to_json() + "\n")
    else:
        out.print(render.assessment_view(assessment, clinician=clinician))
