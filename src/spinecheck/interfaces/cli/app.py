"""The `spinecheck` command line: thin wiring from Typer options to the services."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from spinecheck.adapters.nlp import LexiconError, check_lexicon, lexicon_path, load_lexicon
from spinecheck.core.assessment import Assessment
from spinecheck.core.body_map import load_body_map
from spinecheck.core.diary import load_diary_mapping
from spinecheck.core.kb.evidence_table import evidence_table_markdown
from spinecheck.core.kb.lint import lint
from spinecheck.core.kb.loader import (
    DEFAULT_ROOT,
    KnowledgeBaseError,
    duplicate_keys,
    interview_policy,
    load_knowledge_base,
)
from spinecheck.core.kb.stats import knowledge_base_stats
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.interfaces import wiring  # noqa: F401  (plugs the text reader into the services)
from spinecheck.interfaces.cli import render
from spinecheck.interfaces.cli.batch import batch_command
from spinecheck.interfaces.cli.diary import diary_app
from spinecheck.interfaces.cli.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_STOPPED,
    InputError,
    PersonFacingGroup,
    fail,
    print_error,
    print_problem,
)
from spinecheck.interfaces.cli.inputs import InputClosedError, knowledge_base_folder, read_reply, read_standard_input
from spinecheck.interfaces.cli.instruments import instrument_app
from spinecheck.interfaces.cli.interview import interview_command, run_interview
from spinecheck.interfaces.cli.narrative import parse_command
from spinecheck.services import assessment as assessment_service
from spinecheck.services import evaluation
from spinecheck.services import interview as interview_service
from spinecheck.services import narrative as narrative_service  # also registers the narrative eval mode

app = typer.Typer(
    name="spinecheck",
    help="Evidence-based symptom checker and triage for low back pain and leg weakness. "
    "Not a diagnosis: in an emergency call your local emergency number.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=PersonFacingGroup,
)
kb_app = typer.Typer(help="Inspect and check the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
app.add_typer(instrument_app, name="instrument")
app.add_typer(diary_app, name="diary")
app.command("interview")(interview_command)
app.command("parse")(parse_command)
app.command("batch")(batch_command)

KbOption = Annotated[
    Path | None,
    typer.Option("--kb", help="Knowledge-base folder (default: the one shipped with spinecheck)."),
]
STDIN = "-"


def _load_model(kb: Path | None) -> CompiledModel:
    """The compiled knowledge base; a folder that is not a knowledge base is bad input (exit 2)."""
    return assessment_service.load_model(knowledge_base_folder(kb))


# File options are plain strings ("-" is standard input): Typer builds a validator for every Path value it
# coerces, which costs more than the whole of a refused input.


def _description(text: str | None, text_file: str | None) -> str | None:
    """The description from the argument, standard input ('-') or a text file; at most one of them."""
    if text is not None and text_file is not None:
        raise InputError("give the description once: as TEXT, as '-' (standard input) or with --text-file")
    if text_file is not None:
        return assessment_service.read_text_file(Path(text_file), "text file")
    if text == STDIN:
        return read_standard_input()
    return text


def _evidence(
    findings: str | None, present: list[str] | None, absent: list[str] | None, age: int | None, sex: str | None
) -> Evidence:
    """Stated findings: a findings file and the --present / --absent ids together (options win on age and sex)."""
    stated = assessment_service.make_evidence(present, absent, age, sex)
    if findings is None:
        return stated
    if findings == STDIN:
        content = assessment_service.parse_json(read_standard_input(), "standard input")
        from_file = assessment_service.evidence_from_mapping(content)
    else:
        from_file = assessment_service.evidence_from_file(Path(findings))
    return Evidence(
        present=from_file.present | stated.present,
        absent=from_file.absent | stated.absent,
        age=age if age is not None else from_file.age,
        sex=stated.sex if stated.sex is not None else from_file.sex,
    )


@app.command()
def check(
    text: Annotated[
        str | None, typer.Argument(help="What you feel, in your own words; '-' reads it from standard input.")
    ] = None,
    text_file: Annotated[
        str | None, typer.Option("--text-file", help="Read the description from a UTF-8 text file.")
    ] = None,
    findings: Annotated[
        str | None, typer.Option("--findings", help="JSON file of findings ('-': standard input).")
    ] = None,
    present: Annotated[list[str] | None, typer.Option("--present", help="Present finding ids.")] = None,
    absent: Annotated[list[str] | None, typer.Option("--absent", help="Absent finding ids.")] = None,
    age: Annotated[int | None, typer.Option("--age", min=0, max=130, help="Age in years.")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="female or male.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract instead of the layout.")] = False,
    clinician: Annotated[
        bool, typer.Option("--clinician", help="Show likelihood ratios, sources and the localisation's working.")
    ] = False,
    ask: Annotated[
        bool | None,
        typer.Option("--ask/--no-ask", help="Offer to ask the open warning-sign questions (default: in a terminal)."),
    ] = None,
    kb: KbOption = None,
) -> None:
    """Assess a description and/or findings: the triage level, what is still open, and the likely causes.

    Findings ids are listed by 'spinecheck kb findings'.
    """
    if sex is not None and sex not in ("female", "male"):
        raise InputError("--sex must be 'female' or 'male'")
    if text == STDIN and findings == STDIN:
        raise InputError("standard input can hold the description or the findings, not both")
    description = _description(text, text_file)
    model = _load_model(kb)
    evidence = _evidence(findings, present, absent, age, sex)
    if description is not None:
        result = narrative_service.assess_text(
            description, model, sorted(evidence.present), sorted(evidence.absent), evidence.age, evidence.sex
        )
    else:
        result = assessment_service.assess_evidence(evidence, model)
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
        return
    render.console().print(render.assessment_view(result, clinician=clinician))
    if result.status == "incomplete" and result.open_questions:
        OFFER_QUESTIONS[0](model, result, clinician, ask)


def offer_payload(model: CompiledModel, result: Assessment, clinician: bool, ask: bool | None) -> dict[str, Any]:
    """What answering the open warning-sign questions needs, as plain data (the warm server sends it on)."""
    root = model.kb.root
    return {
        "present": list(result.findings.present), "absent": list(result.findings.absent),
        "age": result.age, "sex": result.sex, "clinician": clinician, "ask": ask,
        "open": sum(len(question.items) for question in result.open_questions),
        "kb": None if root.resolve() == DEFAULT_ROOT.resolve() else str(root),
    }


def offer_questions(model: CompiledModel, result: Assessment, clinician: bool, ask: bool | None) -> None:
    """In a terminal (or with --ask), offer to ask the open warning-sign questions, then show the new result."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if ask if ask is not None else interactive:
        _answer_open_questions(model, offer_payload(model, result, clinician, ask))


def continue_with_questions(offer: dict[str, Any]) -> None:
    """The same offer after a warm run: load the knowledge base here and ask (errors as one line)."""
    try:
        model = assessment_service.load_model(Path(offer["kb"]) if offer.get("kb") else None)
        _answer_open_questions(model, offer)
    except KeyboardInterrupt:
        raise SystemExit(EXIT_INTERRUPTED) from None
    except Exception as error:
        print_error(f"the questions could not be asked ({type(error).__name__}: {error})")
        raise SystemExit(EXIT_INTERNAL) from None


def _answer_open_questions(model: CompiledModel, offer: dict[str, Any]) -> None:
    out = render.console()
    try:
        question = f"\n{offer['open']} warning-sign question(s) are still open. Answer them now? [Y/n] "
        reply = read_reply(out, Text(question))
        if reply not in ("", "y", "yes"):
            return
        state = interview_service.state_from_evidence(model, Evidence(
            present=frozenset(offer["present"]), absent=frozenset(offer["absent"]), age=offer["age"], sex=offer["sex"],
        ))
        final = run_interview(out, model, state)
    except InputClosedError:
        print_error("the questions stopped before the end; the result above stands", label="note")
        return
    out.print(render.assessment_view(final, clinician=bool(offer["clinician"])))


OFFER_QUESTIONS: list[Callable[[CompiledModel, Assessment, bool, bool | None], None]] = [offer_questions]
"""What `check` does with a result whose screen is open; the warm server replaces it to pass the offer on."""


@app.command("eval")
def eval_command(
    file: Annotated[str, typer.Argument(help="Vignette file, one JSON object per line ('-': standard input).")],
    mode: Annotated[str, typer.Option("--mode", help="findings, narrative or interview.")] = "findings",
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    text_field: Annotated[str, typer.Option(
        "--field",
        help="The text narrative mode reads: narrative, or narrative_patient (the person's own words; "
             "cases marked history_sufficient: false are left out).",
    )] = "narrative",
    kb: KbOption = None,
) -> None:
    """Score a vignette file: accuracy of the differential and safety of the triage."""
    if mode not in ("findings", "narrative", "interview"):
        raise fail("--mode must be findings, narrative or interview")
    model = _load_model(kb)
    if file == STDIN:
        vignettes = evaluation.parse_vignettes(read_standard_input(), "standard input")
    else:
        vignettes = evaluation.read_vignettes(Path(file))
    vignettes = evaluation.with_text_from(vignettes, text_field)
    if as_json:
        report = evaluation.evaluate_vignettes(model, vignettes, mode)  # type: ignore[arg-type]
    else:
        with Progress(
            TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=render.console(stderr=True), transient=True,
        ) as bar:
            task = bar.add_task("vignettes", total=len(vignettes))

            def advance(items: Iterator[evaluation.Vignette]) -> Iterator[evaluation.Vignette]:
                for item in items:
                    yield item
                    bar.advance(task)

            report = evaluation.evaluate_vignettes(model, vignettes, mode, advance)  # type: ignore[arg-type]
    if as_json:
        sys.stdout.write(evaluation.report_json(report) + "\n")
        return
    render.console().print(render.eval_view(report))


@kb_app.command("validate")
def kb_validate(kb: KbOption = None) -> None:
    """Validate every knowledge-base file; each problem is one line naming file and entry."""
    try:
        loaded = load_knowledge_base(knowledge_base_folder(kb))
        interview_policy(loaded)  # a base without its own interview policy must fit the packaged one
        load_body_map(loaded)  # the body map's areas name findings of this base
        load_diary_mapping(loaded)  # and so does what a diary entry stands for
        lexicon_problems = check_lexicon(load_lexicon(lexicon_path("en", loaded.root)), loaded)
    except KnowledgeBaseError as error:
        for problem in error.problems:
            print_problem(problem)
        raise typer.Exit(1) from None
    except LexiconError as error:
        raise fail(f"the language lexicon cannot be read: {error}") from None
    duplicated = [
        f"{path.relative_to(loaded.root)}: {message}"
        for path in sorted(loaded.root.rglob("*.yaml"))
        for message in duplicate_keys(path.read_text(encoding="utf-8"))
    ]
    if lexicon_problems or duplicated:
        for message in lexicon_problems:
            print_problem(f"lexicon/en.yaml: {message}")
        for message in duplicated:
            print_problem(message)
        raise typer.Exit(1)
    render.console().print(Text(
        f"✓ knowledge base {loaded.version} is valid: {len(loaded.conditions)} conditions, "
        f"{len(loaded.findings)} findings, {len(loaded.red_flags)} red-flag rules, {len(loaded.sources)} sources"
    ))


@kb_app.command("findings")
def kb_findings(
    search: Annotated[
        str | None, typer.Option("--search", help="Only findings whose id, label, question or synonyms hold this.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    kb: KbOption = None,
) -> None:
    """List the finding ids that --present, --absent and findings files take, with their labels."""
    model = _load_model(kb)
    word = (search or "").strip().lower()
    rows = [
        finding for finding in sorted(model.kb.findings.values(), key=lambda f: f.id)
        if not word or any(
            word in text.lower() for text in (finding.id, finding.label, finding.question, *finding.synonyms)
        )
    ]
    if as_json:
        sys.stdout.write(json.dumps([
            {"id": f.id, "label": f.label, "category": f.category.value, "clinician_only": f.clinician_only,
             "choice": f.exclusive_group}
            for f in rows
        ], indent=2) + "\n")
        return
    if not rows:
        raise fail(f"no finding matches '{search}'", EXIT_STOPPED)
    render.console().print(render.findings_table(rows, search))


@kb_app.command("lint")
def kb_lint(kb: KbOption = None) -> None:
    """Look for unsourced numbers, unused findings, contradictions and conditions no answer can reach."""
    model = _load_model(kb)
    issues = lint(model.kb, model)
    out = render.console()
    for issue in issues:
        line = Text(issue.severity, style="red" if issue.severity == "error" else "yellow")
        line.append(f" {issue.file}: {issue.entry}: {issue.message}")
        out.print(line)
    errors = sum(1 for issue in issues if issue.severity == "error")
    if errors:
        out.print(Text(f"{errors} error(s)", style="red"))
        raise typer.Exit(1)
    out.print(Text(f"✓ lint clean ({len(issues)} warning(s))"))


@kb_app.command("show")
def kb_show(condition_id: Annotated[str, typer.Argument(help="Condition id or name.")], kb: KbOption = None) -> None:
    """Show a condition's card."""
    model = _load_model(kb)
    condition = model.kb.condition_by_name(condition_id)
    if condition is None:
        import difflib

        close = difflib.get_close_matches(condition_id, list(model.kb.conditions), n=3, cutoff=0.5)
        hint = f" — did you mean: {', '.join(close)}?" if close else ""
        raise fail(f"unknown condition '{condition_id}'{hint}")
    labels = {finding.id: finding.label for finding in model.kb.findings.values()}
    render.console().print(render.condition_card(condition, labels))


@kb_app.command("evidence")
def kb_evidence(
    output: Annotated[
        str | None, typer.Option("--output", help="Write the markdown table here instead of printing it.")
    ] = None,
    kb: KbOption = None,
) -> None:
    """Published accuracy of every examination and warning-sign finding beside the model's ratios."""
    table = evidence_table_markdown(_load_model(kb).kb)
    if output is None:
        sys.stdout.write(table)
        return
    try:
        Path(output).write_text(table, encoding="utf-8")
    except OSError as error:
        raise fail(f"cannot write {output}: {error.strerror or error}") from None
    render.console().print(Text(f"✓ wrote {output}"))


@kb_app.command("stats")
def kb_stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False, kb: KbOption = None
) -> None:
    """Version, hash and the size of the knowledge base."""
    stats = knowledge_base_stats(_load_model(kb).kb)
    if as_json:
        sys.stdout.write(json.dumps(stats, indent=2) + "\n")
    else:
        shares = stats.pop("likelihood_sources")
        for key, value in stats.items():
            render.console().print(f"[bold]{key}[/bold]: {value}")
        render.console().print(f"[bold]likelihoods[/bold]: {shares['likelihoods']}")
        for kind, share in shares["by_kind"].items():
            render.console().print(f"  {kind}: {share:.0%}")
        assumed = shares["assumed_on_red_flag_or_examination"]
        render.console().print(f"[bold]assumed on red-flag or examination findings[/bold]: {len(assumed)}")


@app.command("serve")
def serve_command(
    socket_path: Annotated[
        Path | None, typer.Option("--socket", help="Unix socket to listen on (default: one private to this user).")
    ] = None,
) -> None:
    """Keep the reader and the knowledge base loaded, so 'spinecheck check' answers in well under a second.

    While it runs, 'check' hands its work to it (when it does not, 'check' loads everything itself).
    Stop it with Ctrl-C.
    """
    from spinecheck.interfaces.cli import warm

    warm.serve(app, socket_path)


def main() -> None:
    """Entry point for the full command line (the warm client in `launch` falls back to this)."""
    app()


__all__ = ["app", "check", "continue_with_questions", "main", "offer_payload", "offer_questions"]
