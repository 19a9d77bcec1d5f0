"""The `spinecheck` command line: thin wiring from Typer options to the services."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from spinecheck.adapters.nlp import LexiconError, check_lexicon, lexicon_path, load_lexicon
from spinecheck.core.body_map import load_body_map
from spinecheck.core.diary import load_diary_mapping
from spinecheck.core.kb.evidence_table import evidence_table_markdown
from spinecheck.core.kb.lint import lint
from spinecheck.core.kb.loader import KnowledgeBaseError, interview_policy, load_knowledge_base
from spinecheck.core.kb.stats import knowledge_base_stats
from spinecheck.core.model import CompiledModel, EvidenceError, compile_model
from spinecheck.interfaces import wiring  # noqa: F401  (plugs the text reader into the services)
from spinecheck.interfaces.cli import render
from spinecheck.interfaces.cli.batch import batch_command
from spinecheck.interfaces.cli.diary import diary_app
from spinecheck.interfaces.cli.instruments import instrument_app
from spinecheck.interfaces.cli.interview import interview_command
from spinecheck.interfaces.cli.narrative import parse_command
from spinecheck.services import assessment as assessment_service
from spinecheck.services import evaluation
from spinecheck.services import narrative as narrative_service  # also registers the narrative eval mode

app = typer.Typer(
    name="spinecheck",
    help="Evidence-based symptom checker and triage for low back pain and leg weakness. "
    "Not a diagnosis: in an emergency call your local emergency number.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
kb_app = typer.Typer(help="Inspect and check the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
app.add_typer(instrument_app, name="instrument")
app.add_typer(diary_app, name="diary")
app.command("interview")(interview_command)
app.command("parse")(parse_command)
app.command("batch")(batch_command)

EXIT_INPUT_ERROR = 2

KbOption = Annotated[
    Path | None,
    typer.Option("--kb", help="Knowledge-base folder (default: the one shipped with spinecheck)."),
]


def fail(message: str, code: int = EXIT_INPUT_ERROR) -> typer.Exit:
    """Print a one-line error for a person (never a traceback) and return the exit to raise."""
    render.console(stderr=True).print(f"[bold red]error:[/bold red] {message}")
    return typer.Exit(code)


def _load_model(kb: Path | None) -> CompiledModel:
    try:
        return assessment_service.load_model(kb)
    except KnowledgeBaseError as error:
        raise fail("the knowledge base is broken:\n" + str(error), 3) from None


@app.command()
def check(
    text: Annotated[str | None, typer.Argument(help="What you feel, in your own words.")] = None,
    findings: Annotated[Path | None, typer.Option("--findings", help="JSON file of findings.")] = None,
    present: Annotated[list[str] | None, typer.Option("--present", help="Present finding ids.")] = None,
    absent: Annotated[list[str] | None, typer.Option("--absent", help="Absent finding ids.")] = None,
    age: Annotated[int | None, typer.Option("--age", min=0, max=130, help="Age in years.")] = None,
    sex: Annotated[str | None, typer.Option("--sex", help="female or male.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON contract instead of the layout.")] = False,
    kb: KbOption = None,
) -> None:
    """Assess findings (or a description) and show the triage level and likely causes."""
    if sex is not None and sex not in ("female", "male"):
        raise fail("--sex must be 'female' or 'male'")
    model = _load_model(kb)
    try:
        if findings is not None:
            evidence = assessment_service.evidence_from_file(findings)
            extra = assessment_service.make_evidence(present, absent)
            evidence = evidence.model_copy(update={
                "present": evidence.present | extra.present,
                "absent": evidence.absent | extra.absent,
                "age": age if age is not None else evidence.age,
                "sex": sex if sex is not None else evidence.sex,
            })
        elif text is not None:
            evidence = None
        else:
            evidence = assessment_service.make_evidence(present, absent, age, sex)
        if evidence is None:
            result = narrative_service.assess_text(text or "", model, present, absent, age, sex)
        else:
            result = assessment_service.assess_evidence(evidence, model)
    except EvidenceError as error:
        raise fail(str(error)) from None
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        render.console().print(render.assessment_view(result))


@app.command("eval")
def eval_command(
    file: Annotated[Path, typer.Argument(help="Vignette file, one JSON object per line.")],
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
    try:
        vignettes = evaluation.with_text_from(evaluation.read_vignettes(file), text_field)
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
    except evaluation.VignetteError as error:
        raise fail(str(error)) from None
    if as_json:
        sys.stdout.write(evaluation.report_json(report) + "\n")
        return
    render.console().print(render.eval_view(report))


@kb_app.command("validate")
def kb_validate(kb: KbOption = None) -> None:
    """Validate every knowledge-base file; each problem is one line naming file and entry."""
    try:
        loaded = load_knowledge_base(kb)
        interview_policy(loaded)  # a base without its own interview policy must fit the packaged one
        load_body_map(loaded)  # the body map's areas name findings of this base
        load_diary_mapping(loaded)  # and so does what a diary entry stands for
        lexicon_problems = check_lexicon(load_lexicon(lexicon_path("en", loaded.root)), loaded)
    except KnowledgeBaseError as error:
        out = render.console(stderr=True)
        for problem in error.problems:
            out.print(f"[red]✗[/red] {problem}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    except LexiconError as error:
        raise fail(f"the language lexicon cannot be read: {error}") from None
    if lexicon_problems:
        out = render.console(stderr=True)
        for message in lexicon_problems:
            out.print(f"[red]✗[/red] lexicon/en.yaml: {message}", markup=True, highlight=False)
        raise typer.Exit(1)
    render.console().print(
        f"[green]✓[/green] knowledge base {loaded.version} is valid: {len(loaded.conditions)} conditions, "
        f"{len(loaded.findings)} findings, {len(loaded.red_flags)} red-flag rules, {len(loaded.sources)} sources"
    )


@kb_app.command("lint")
def kb_lint(kb: KbOption = None) -> None:
    """Look for unsourced numbers, unused findings, contradictions and conditions no answer can reach."""
    model = _load_model(kb)
    issues = lint(model.kb, model)
    out = render.console()
    for issue in issues:
        colour = "red" if issue.severity == "error" else "yellow"
        out.print(f"[{colour}]{issue.severity}[/{colour}] {issue.file}: {issue.entry}: {issue.message}")
    errors = sum(1 for issue in issues if issue.severity == "error")
    if errors:
        out.print(f"[red]{errors} error(s)[/red]")
        raise typer.Exit(1)
    out.print(f"[green]✓[/green] lint clean ({len(issues)} warning(s))")


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
        Path | None, typer.Option("--output", help="Write the markdown table here instead of printing it.")
    ] = None,
    kb: KbOption = None,
) -> None:
    """Published accuracy of every examination and warning-sign finding beside the model's ratios."""
    table = evidence_table_markdown(_load_model(kb).kb)
    if output is None:
        sys.stdout.write(table)
        return
    output.write_text(table, encoding="utf-8")
    render.console().print(f"[green]✓[/green] wrote {output}")


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


def main() -> None:
    """Entry point: run the app; anything unexpected becomes one readable line, not a traceback."""
    try:
        app()
    except (KnowledgeBaseError, EvidenceError) as error:
        render.console(stderr=True).print(f"[bold red]error:[/bold red] {error}")
        sys.exit(EXIT_INPUT_ERROR)
    except KeyboardInterrupt:
        sys.exit(130)


__all__ = ["app", "compile_model", "main"]
