"""The streaming loop: read a chunk, have it processed (here or on a cluster), write it, repeat.

Memory stays flat: at most `executor.window` chunks are in flight, and each is written as soon
as it and every chunk before it are done, so the output keeps the input's order. Every record
read is counted, and the run commits its files only if rows in = rows out + rows refused.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from spinecheck.adapters.batch.columns import ERROR_SCHEMA, refused_batch
from spinecheck.adapters.batch.readers import IntakeSource, Refused
from spinecheck.adapters.batch.writers import ResultSink

Chunk = tuple[npt.NDArray[np.int64], pa.RecordBatch]


@dataclass(frozen=True)
class ChunkResult:
    """What processing one chunk gives back: result rows, refused rows, and a count per category."""

    output: pa.RecordBatch
    refused: pa.RecordBatch
    tally: dict[str, int]


class Pending(Protocol):
    def result(self) -> ChunkResult: ...


class Executor(Protocol):
    """Runs `process` on chunks; `window` is how many may be in flight at once."""

    window: int

    def submit(self, process: Callable[[Chunk], ChunkResult], chunk: Chunk) -> Pending: ...


@dataclass(frozen=True)
class _Done:
    value: ChunkResult

    def result(self) -> ChunkResult:
        return self.value


class InProcess:
    """Processes each chunk at once, in this process."""

    window = 1

    def submit(self, process: Callable[[Chunk], ChunkResult], chunk: Chunk) -> Pending:
        return _Done(process(chunk))


class IntegrityError(RuntimeError):
    """Rows in did not equal rows out plus rows refused: nothing is committed."""


@dataclass
class RunCounts:
    rows_in: int = 0
    rows_out: int = 0
    rows_refused: int = 0
    tally: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


Progress = Callable[[RunCounts, int], None]
"""Called after each chunk is written, with the counts so far and the source's position then."""


def _refused_rows(refused: Sequence[Refused]) -> pa.RecordBatch:
    return refused_batch([item.row for item in refused], [item.id for item in refused],
                         [item.reason for item in refused])


def _in_row_order(first: pa.RecordBatch, second: pa.RecordBatch) -> pa.RecordBatch:
    if not first.num_rows:
        return second
    if not second.num_rows:
        return first
    table = pa.Table.from_batches([first, second], schema=ERROR_SCHEMA)
    ordered = table.take(pc.sort_indices(table, [("row", "ascending")])).combine_chunks()
    return ordered.to_batches()[0]


def run_pipeline(
    source: IntakeSource,
    columns: Sequence[str],
    chunk_rows: int,
    process: Callable[[Chunk], ChunkResult],
    executor: Executor,
    output: ResultSink,
    errors: ResultSink,
    progress: Progress | None = None,
) -> RunCounts:
    """Stream `source` through `process` into `output` and `errors`; commit both only when complete.

    On any failure or interruption both files are discarded and the exception propagates.
    """
    counts = RunCounts()
    started = time.perf_counter()
    pending: deque[tuple[Pending | None, tuple[Refused, ...], int]] = deque()

    def drain() -> None:
        handle, refused_early, position = pending.popleft()
        refused = _refused_rows(refused_early)
        if handle is not None:
            result: Any = handle.result()
            output.write(result.output)
            counts.rows_out += result.output.num_rows
            counts.tally.update(result.tally)
            refused = _in_row_order(refused, result.refused)
        errors.write(refused)
        counts.rows_refused += refused.num_rows
        if progress is not None:
            progress(counts, position)

    try:
        for chunk in source.chunks(columns, chunk_rows):
            counts.rows_in += len(chunk.rows) + len(chunk.refused)
            handle = None
            if chunk.batch is not None and chunk.batch.num_rows:
                handle = executor.submit(process, (chunk.rows, chunk.batch))
            pending.append((handle, chunk.refused, source.position()))
            while len(pending) >= executor.window:
                drain()
        while pending:
            drain()
        if counts.rows_in != counts.rows_out + counts.rows_refused:
            raise IntegrityError(
                f"rows in ({counts.rows_in}) differ from rows out ({counts.rows_out}) plus rows refused "
                f"({counts.rows_refused}); no file was written"
            )
        errors.commit()
        output.commit()
    except BaseException:
        output.discard()
        errors.discard()
        raise
    counts.seconds = time.perf_counter() - started
    return counts
