"""`spinecheck diary ...`: the symptom diary from the terminal — add, list, chart, report, export, delete.

The command line keeps the diary in the same database as the web pages (SQLite in the data folder,
or `DATABASE_URL`), for the person named by `--person` (default: this computer's own diary).
Every entry is re-triaged at once; an alert is printed before anything else.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinecheck.adapters.fhir import FhirError
from spinecheck.adapters.reports.pdf import PdfUnavailableError
from spinecheck.adapters.storage import SqlStorage, StorageError
from spinecheck.core.accounts import Account
from spinecheck.core.diary import DiaryEntry, DiaryEntryIn, EntryError, PersonAnswers
from spinecheck.core.kb.loader import KnowledgeBaseError
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.interfaces import diary_io
from spinecheck.interfaces import storage as diary_storage
from spinecheck.interfaces.cli import render
from spinecheck.services import accounts, diary
from spinecheck.services import assessment as assessment_service
from spinecheck.services import export as export_service
from spinecheck.services.diary import EntryNotFoundError

diary_app = typer.Typer(
    help="Your symptom diary: every entry is checked for warning signs at once. Not a diagnosis.",
    no_args_is_help=True,
)

EXIT_INPUT_ERROR = 2
LEVEL_STYLE = {"emergency": "bold white on red", "urgent": "bold yellow", "routine": "bold blue",
               "self_care": "bold green"}

PersonOption = Annotated[
    str | None,
    typer.Option("--person", envvar="SPINECHECK_PERSON",
                 help="Whose diary (an email); by default this computer's own diary."),
]
DatabaseOption = Annotated[
    str | None, typer.Option("--database", help="Database URL (default: DATABASE_URL, else SQLite in the data folder).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Ids = Annotated[list[str] | None, typer.Option(help="Body-map spot ids, repeated or comma-separated.")]
Options = Annotated[list[str] | None, typer.Option(help="Option ids, repeated or comma-separated.")]


def _fail(message: str) -> typer.Exit:
    render.console(stderr=True).print(f"[bold red]error:[/bold red] {message}", highlight=False)
    return typer.Exit(EXIT_INPUT_ERROR)


def _open(person: str | None, database: str | None) -> tuple[CompiledModel, SqlStorage, Account]:
    try:
        model = assessment_service.load_model()
        diary.knowledge(model)
        store = diary_storage.open_storage(database)
        return model, store, accounts.local_account(store, person)
    except (KnowledgeBaseError, StorageError, accounts.AccountError) as error:
        raise _fail(str(error)) from None


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _show_alerts(entry: DiaryEntry) -> None:
    """The alerts first, in a panel coloured by level, with what to do."""
    out = render.console()
    level = entry.assessment.level.value
    if not entry.alerts:
        out.print(f"Saved. Level: [{LEVEL_STYLE[level]}]{level.replace('_', ' ')}[/] — {entry.assessment.headline}")
        return
    lines = Text()
    for alert in entry.alerts:
        lines.append(f"{alert.title}\n", style="bold")
        lines.append(f"{alert.message}\n\n")
    lines.append(f"What to do: {entry.assessment.advice}", style="bold")
    if entry.assessment.call_ambulance:
        lines.append("\nCall an ambulance now. Do not travel on your own.", style="bold")
    out.print(Panel(lines, title=f"ALERT — {entry.assessment.headline}", border_style="red" if level in
                    ("emergency", "urgent") else "yellow"))


@diary_app.command("add")
def add(
    at: Annotated[datetime | None, typer.Option("--at", help="When (ISO date and time); now by default.")] = None,
    back: Annotated[int | None, typer.Option("--back", min=0, max=10, help="Back pain 0-10.")] = None,
    left: Annotated[int | None, typer.Option("--left", min=0, max=10, help="Left leg pain 0-10.")] = None,
    right: Annotated[int | None, typer.Option("--right", min=0, max=10, help="Right leg pain 0-10.")] = None,
    weak: Ids = None,
    numb: Ids = None,
    walk: Annotated[int | None, typer.Option("--walk", min=0, max=100_000,
                                             help="Metres you can walk before pain stops you.")] = None,
    bladder: Options = None,
    bowel: Options = None,
    sexual: Options = None,
    fever: Annotated[bool | None, typer.Option("--fever/--no-fever", help="Fever (38 °C or more).")] = None,
    sleep_disturbed: Annotated[bool | None, typer.Option("--sleep-disturbed/--slept-well")] = None,
    medicine: Annotated[list[str] | None, typer.Option("--medicine", help="A medicine taken (repeat).")] = None,
    notes: Annotated[str, typer.Option("--notes")] = "",
    as_json: JsonOption = False,
    person: PersonOption = None,
    database: DatabaseOption = None,
) -> None:
    """Add an entry; it is checked for warning signs at once and any alert is shown first.

    Places: `spinecheck diary places`. Bladder: hard_to_pass, less_feeling, leaking. Bowel: lost_control,
    less_feeling, constipated. Sexual: new_change.
    """
    model, store, account = _open(person, database)
    try:
        entry = DiaryEntryIn(
            recorded_at=at, back_pain=back, leg_pain_left=left, leg_pain_right=right, weakness=_split(weak),
            numbness=_split(numb), walking_distance_m=walk,
            bladder=_split(bladder) if bladder is not None else None,
            bowel=_split(bowel) if bowel is not None else None,
            sexual_function=_split(sexual) if sexual is not None else None,
            fever=fever, sleep_disturbed=sleep_disturbed, medicines=list(medicine or []), notes=notes,
        )
        saved = diary.add_entry(model, store, account.id, entry)
    except ValidationError as error:
        detail = error.errors()[0]
        raise _fail(f"{'.'.join(map(str, detail['loc']))}: {detail['msg']}") from None
    except (EntryError, EvidenceError) as error:
        raise _fail(str(error)) from None
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps({"alert": saved.alert, "level": saved.assessment.level.value,
                                     "entry": saved.model_dump(mode="json")}, indent=2) + "\n")
        return
    _show_alerts(saved)
    render.console().print(f"[dim]entry {saved.id}[/dim]")


@diary_app.command("list")
def list_entries(as_json: JsonOption = False, person: PersonOption = None, database: DatabaseOption = None) -> None:
    """Every entry, oldest first, with the level it reached and its alerts."""
    _, store, account = _open(person, database)
    entries = diary.list_entries(store, account.id)
    store.close()
    if as_json:
        sys.stdout.write(json.dumps([entry.model_dump(mode="json") for entry in entries], indent=2) + "\n")
        return
    table = Table(title=f"Diary of {account.email}")
    for column in ("when", "back", "left", "right", "walk", "weak", "numb", "level", "alerts", "id"):
        table.add_column(column)

    def shown(value: object) -> str:
        return "–" if value is None else str(value)

    for entry in entries:
        level = entry.assessment.level.value
        table.add_row(
            entry.recorded_at.strftime("%Y-%m-%d %H:%M"), shown(entry.back_pain), shown(entry.leg_pain_left),
            shown(entry.leg_pain_right), shown(entry.walking_distance_m), str(len(entry.weakness)),
            str(len(entry.numbness)), Text(level.replace("_", " "), style=LEVEL_STYLE[level]),
            str(len(entry.alerts)) if entry.alerts else "", entry.id[:8],
        )
    render.console().print(table)


@diary_app.command("chart")
def chart(
    metric: Annotated[str, typer.Option("--metric", help="pain, weakness or walking.")] = "pain",
    output: Annotated[Path | None, typer.Option("--output", help="Write the SVG here (default: print it).")] = None,
    person: PersonOption = None,
    database: DatabaseOption = None,
) -> None:
    """A chart of the diary as SVG."""
    model, store, account = _open(person, database)
    charts = diary_io.charts(model, diary.list_entries(store, account.id))
    store.close()
    if metric not in charts:
        raise _fail(f"--metric must be one of {', '.join(charts)}")
    if output is None:
        sys.stdout.write(charts[metric] + "\n")
        return
    output.write_text(charts[metric], encoding="utf-8")
    render.console().print(f"[green]✓[/green] wrote {output}")


@diary_app.command("report")
def report(
    output: Annotated[Path, typer.Option("--output", help="report.pdf or report.html (by the suffix).")],
    person: PersonOption = None,
    database: DatabaseOption = None,
) -> None:
    """The report for the doctor: a first page to read in two minutes, then every entry."""
    model, store, account = _open(person, database)
    try:
        if output.suffix.lower() == ".pdf":
            output.write_bytes(diary_io.report_pdf(model, store, account))
        elif output.suffix.lower() in (".html", ".htm"):
            output.write_text(diary_io.report_html(model, store, account), encoding="utf-8")
        else:
            raise _fail("--output must end in .pdf or .html")
    except PdfUnavailableError as error:
        raise _fail(str(error)) from None
    finally:
        store.close()
    render.console().print(f"[green]✓[/green] wrote {output}")


@diary_app.command("export")
def export(
    format: Annotated[str, typer.Option("--format", help="json or fhir.")] = "json",
    output: Annotated[Path | None, typer.Option("--output", help="Write here (default: print).")] = None,
    person: PersonOption = None,
    database: DatabaseOption = None,
) -> None:
    """Everything stored about you: JSON, or a FHIR R4 bundle."""
    model, store, account = _open(person, database)
    if format == "json":
        text = export_service.record_json(export_service.gather(model, store, account))
    elif format == "fhir":
        text = json.dumps(diary_io.fhir_bundle(model, store, account), indent=1)
    else:
        store.close()
        raise _fail("--format must be json or fhir")
    store.close()
    if output is None:
        sys.stdout.write(text + "\n")
        return
    output.write_text(text, encoding="utf-8")
    render.console().print(f"[green]✓[/green] wrote {output}")


@diary_app.command("import")
def import_bundle(
    file: Annotated[Path, typer.Argument(help="A FHIR bundle made by `spinecheck diary export --format fhir`.")],
    person: PersonOption = None,
    database: DatabaseOption = None,
) -> None:
    """Restore a diary from a FHIR bundle (all of it or nothing; entries already there are skipped)."""
    model, store, account = _open(person, database)
    try:
        restored = diary_io.import_fhir(model, store, account, file.read_bytes())
    except OSError as error:
        raise _fail(f"cannot read {file}: {error.strerror}") from None
    except (diary_io.ImportFailedError, FhirError) as error:
        raise _fail(f"nothing was imported: {error}") from None
    finally:
        store.close()
    render.console().print(f"[green]✓[/green] imported {restored.entries} entries, "
                           f"{restored.questionnaires} questionnaires")


@diary_app.command("delete")
def delete(
    entry_id: Annotated[str | None, typer.Argument(help="The entry to delete (its id, or the start of it).")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Delete the whole diary and the account.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
    person: PersonOption = None,
    database: DatabaseOption = None,
) -> None:
    """Delete one entry, or with --all everything stored about you."""
    _, store, account = _open(person, database)
    try:
        if everything:
            if not yes and not typer.confirm(f"Delete everything stored about {account.email}?"):
                raise typer.Exit(1)
            accounts.delete_everything(store, account)
            render.console().print("[green]✓[/green] everything deleted")
            return
        if not entry_id:
            raise _fail("name an entry id, or use --all")
        matches = [entry.id for entry in store.entries(account.id) if entry.id.startswith(entry_id)]
        if len(matches) != 1:
            raise _fail(f"no single entry starts with '{entry_id}'" if not matches else
                        f"'{entry_id}' matches {len(matches)} entries; give more of the id")
        diary.delete_entry(store, account.id, matches[0])
    except EntryNotFoundError:
        raise _fail(f"no entry '{entry_id}' in this diary") from None
    finally:
        store.close()
    render.console().print(f"[green]✓[/green] deleted entry {matches[0]}")


@diary_app.command("answers")
def answers(
    findings: Annotated[Path, typer.Argument(help='JSON: {"present": [...], "absent": [...], "age": 54, "sex": ...}.')],
    person: PersonOption = None,
    database: DatabaseOption = None,
) -> None:
    """Keep your check answers, so every entry is assessed with your whole story."""
    model, store, account = _open(person, database)
    try:
        evidence = assessment_service.evidence_from_file(findings)
        replies: dict[str, str] = {f: "yes" for f in evidence.present}
        replies.update({f: "no" for f in evidence.absent})
        saved = diary.save_answers(model, store, account.id, PersonAnswers.model_validate(
            {"answers": replies, "age": evidence.age, "sex": evidence.sex}))
    except EvidenceError as error:
        raise _fail(str(error)) from None
    finally:
        store.close()
    render.console().print(f"[green]✓[/green] kept {len(saved.answers)} answers")


@diary_app.command("places")
def places() -> None:
    """The body-map places an entry can name as weak (--weak) or numb (--numb)."""
    known = diary.knowledge(assessment_service.load_model())
    table = Table()
    table.add_column("id")
    table.add_column("place")
    table.add_column("weak / numb")
    weak = {spot.id for spot in known.body_map.spots_for("weak")}
    numb = {spot.id for spot in known.body_map.spots_for("numb")}
    for spot in known.body_map.spots:
        modes = [name for name, ids in (("weak", weak), ("numb", numb)) if spot.id in ids]
        if modes:
            table.add_row(spot.id, spot.label, ", ".join(modes))
    render.console().print(table)
