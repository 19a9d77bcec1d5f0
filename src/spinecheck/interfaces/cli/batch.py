"""`spinecheck batch INPUT -o OUTPUT`: triage every record of an intake file, streamed, optionally on Dask."""

from __future__ import annotations

import codecs
import json
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from spinecheck.core.kb.loader import KnowledgeBaseError
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.interfaces.cli import render
from spinecheck.services import assessment as assessment_service
from spinecheck.services.batch import LEVEL_NAMES, BatchInputError, plan_columns

if TYPE_CHECKING:
    from spinecheck.adapters.batch.pipeline import Chunk, ChunkResult, Executor, RunCounts
    from spinecheck.adapters.batch.readers import IntakeSource
    from spinecheck.adapters.batch.writers import ResultSink

EXIT_INPUT_ERROR = 2
STRUCTURED_CHUNK_ROWS = 20_000
NARRATIVE_CHUNK_ROWS = 200
"""Rows per chunk: large when rows are only answers (the arithmetic is cheap per row), small when a
description must be read (milliseconds per row), so progress and a cluster's workers stay busy."""


class _RunError(Exception):
    """A one-line error for a person, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_INPUT_ERROR) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Paths:
    source: Path
    output: Path
    errors: Path


def _paths(source: Path, output: Path, errors: Path | None, overwrite: bool) -> Paths:
    errors = errors or output.with_name(f"{output.stem}.errors.csv")
    if source.resolve() == output.resolve() or errors.resolve() in (source.resolve(), output.resolve()):
        raise _RunError("the input, the output and the errors file must be three different files")
    if not overwrite:
        existing = [str(path) for path in (output, errors) if path.exists()]
        if existing:
            raise _RunError(f"{' and '.join(existing)} already exist(s); pass --overwrite to replace")
    if not output.parent.is_dir():
        raise _RunError(f"no such folder for the output: {output.parent}")
    return Paths(source, output, errors)


def _progress_bar(unit: str, total: int) -> tuple[Progress, Any]:
    progress = Progress(
        TextColumn("[bold]triage"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:>12,} rows"),
        TextColumn("{task.fields[rate]:>9,.0f} rows/s"),
        TextColumn("left"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=render.console(stderr=True),
        transient=True,
    )
    task = progress.add_task(unit, total=max(total, 1), rows=0, rate=0.0)
    return progress, task


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so partial files are removed on the way out."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _summary_view(summary: dict[str, Any]) -> Table:
    table = Table(title="spinecheck batch", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("rows in", f"{summary['rows_in']:,}")
    table.add_row("rows out", f"{summary['rows_out']:,}")
    table.add_row("rows refused", f"{summary['rows_refused']:,}")
    for level in reversed(LEVEL_NAMES):
        table.add_row(f"  {level}", f"{summary['levels'].get(level, 0):,}")
    table.add_row("call an ambulance", f"{summary['call_ambulance']:,}")
    table.add_row("warning signs unanswered", f"{summary['incomplete']:,}")
    table.add_row("time", f"{summary['seconds']:.1f} s ({summary['rows_per_second']:,.0f} rows/s)")
    table.add_row("output", summary["output"])
    table.add_row("errors", summary["errors"])
    table.caption = (
        "These levels support triage; they are not diagnoses. Rows with call_ambulance true need "
        "emergency services now."
    )
    return table


def batch_command(
    source: Annotated[Path, typer.Argument(help="Intake file: .csv, .tsv, .parquet or .jsonl.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="Result file: .parquet or .csv.", show_default=False)],
    errors: Annotated[Path | None, typer.Option(
        "--errors", help="Refused rows with their reasons (default: OUTPUT's name + .errors.csv).")] = None,
    dask: Annotated[str | None, typer.Option(
        "--dask", help="Run on Dask: local[:N] worker processes, or tcp://HOST:PORT of a scheduler.")] = None,
    input_format: Annotated[str | None, typer.Option(
        "--format", help="Input format when the extension does not say: csv, tsv, parquet, jsonl.")] = None,
    id_column: Annotated[str | None, typer.Option(
        "--id-column", help="Column identifying a record, copied to the output (default: 'id' if present).")] = None,
    ignore_column: Annotated[list[str] | None, typer.Option(
        "--ignore-column", help="A column to leave out (repeat for more).")] = None,
    encoding: Annotated[str, typer.Option(
        "--encoding", help="Text encoding of CSV, TSV and JSON Lines input.")] = "utf-8",
    chunk_rows: Annotated[int | None, typer.Option(
        "--chunk-rows", min=1, help="Rows per chunk (default: 20000, or 200 when rows have a narrative).")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace existing output and errors files.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    kb: Annotated[Path | None, typer.Option("--kb", help="Knowledge-base folder.")] = None,
) -> None:
    """Triage every record of an intake file: triage level, ambulance, red flags, top 3 conditions.

    Rows that cannot be assessed go to the errors file with their row number and the reason;
    rows in = rows out + rows refused. The output appears under its name only when complete.
    """
    err = render.console(stderr=True)
    try:
        summary = _run(source, output, errors, dask, input_format, id_column, ignore_column or [], encoding,
                       chunk_rows, overwrite, quiet, kb)
    except KnowledgeBaseError as error:
        err.print(f"[bold red]error:[/bold red] the knowledge base is broken:\n{escape(str(error))}")
        raise typer.Exit(3) from None
    except _RunError as error:
        err.print(f"[bold red]error:[/bold red] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(error.code) from None
    except KeyboardInterrupt:
        err.print("[bold red]interrupted:[/bold red] no output was written")
        raise typer.Exit(130) from None
    except Exception as error:  # a fault of spinecheck's own: still one line, and nothing half-written
        err.print(f"[bold red]error:[/bold red] the run stopped ({type(error).__name__}: "
                  f"{escape(str(error))}); no output was written", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        render.console().print(_summary_view(summary))


def _run(
    source_path: Path,
    output: Path,
    errors: Path | None,
    dask: str | None,
    input_format: str | None,
    id_column: str | None,
    ignore: list[str],
    encoding: str,
    chunk_rows: int | None,
    overwrite: bool,
    quiet: bool,
    kb: Path | None,
) -> dict[str, Any]:
    # Arrow and Dask load only when a batch runs, so the other commands start as fast as before.
    from spinecheck.adapters.batch import columns, dask_runner, pipeline, readers, writers
    from spinecheck.interfaces import batch_job

    started = time.perf_counter()
    try:
        paths = _paths(source_path, output, errors, overwrite)
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise _RunError(f"unknown text encoding '{encoding}'") from None
        target = dask_runner.parse_target(dask) if dask is not None else None
        writers.output_format(paths.output)
        model: CompiledModel = assessment_service.load_model(kb.resolve() if kb else None)
        settings = readers.ReadSettings(frozenset(model.finding_ids), id_column or "id", encoding)
        with readers.open_intake(paths.source, settings, input_format) as source:
            plan = plan_columns(
                model, source.schema.names, id_column or "id", ignore, id_required=id_column is not None
            )
            coded = [name for name in (plan.age, plan.sex, *plan.findings) if name is not None]
            columns.check_types(source.schema, coded, plan.narrative)
            schema = batch_job.output_schema(model, plan, columns.id_type(source.schema, plan.id_column))
            texts = plan.narrative is not None and source.has_values(plan.narrative)
            job = batch_job.BatchJob(kb.resolve() if kb else None, model.kb.content_hash, plan, schema, texts)
            rows_per_chunk = chunk_rows or (NARRATIVE_CHUNK_ROWS if texts else STRUCTURED_CHUNK_ROWS)
            cluster: AbstractContextManager[Any] = (
                dask_runner.dask_executor(target, partial(batch_job.warm_up, job)) if target else nullcontext()
            )
            with _terminate_as_interrupt(), cluster as executor:
                if executor is None:
                    batch_job.warm_up(job)
                    executor = pipeline.InProcess()
                output_sink = writers.open_sink(paths.output, schema)
                try:
                    errors_sink = writers.CsvSink(paths.errors, columns.ERROR_SCHEMA)
                except BaseException:
                    output_sink.discard()
                    raise
                counts = _stream(source, plan.used, rows_per_chunk, partial(batch_job.process_chunk, job),
                                 executor, output_sink, errors_sink, quiet)
    except (readers.BatchFileError, BatchInputError, EvidenceError) as error:
        raise _RunError(str(error)) from None
    except pipeline.IntegrityError as error:
        raise _RunError(str(error), 1) from None
    seconds = time.perf_counter() - started
    return {
        "input": str(paths.source),
        "output": str(paths.output),
        "errors": str(paths.errors),
        "rows_in": counts.rows_in,
        "rows_out": counts.rows_out,
        "rows_refused": counts.rows_refused,
        "levels": {level: counts.tally.get(level, 0) for level in LEVEL_NAMES},
        "call_ambulance": counts.tally.get("call_ambulance", 0),
        "incomplete": counts.tally.get("incomplete", 0),
        "seconds": round(seconds, 3),
        "rows_per_second": round(counts.rows_in / counts.seconds, 1) if counts.seconds else 0.0,
        "dask": target.label if target else None,
        "kb_version": model.kb.version,
        "kb_hash": model.kb.content_hash,
    }


def _stream(
    source: IntakeSource,
    used: tuple[str, ...],
    rows_per_chunk: int,
    process: Callable[[Chunk], ChunkResult],
    executor: Executor,
    output_sink: ResultSink,
    errors_sink: ResultSink,
    quiet: bool,
) -> RunCounts:
    from spinecheck.adapters.batch.pipeline import run_pipeline

    if quiet:
        return run_pipeline(source, used, rows_per_chunk, process, executor, output_sink, errors_sink)
    bar, task = _progress_bar(source.unit, source.total)
    began = time.perf_counter()

    def update(counts: RunCounts, position: int) -> None:
        done = counts.rows_out + counts.rows_refused
        bar.update(task, completed=position, rows=done, rate=done / max(time.perf_counter() - began, 1e-9))

    with bar:
        return run_pipeline(source, used, rows_per_chunk, process, executor, output_sink, errors_sink, update)
