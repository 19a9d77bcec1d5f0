"""Result files written chunk by chunk under a temporary name, renamed only when complete.

A run that is interrupted (Ctrl-C, a kill, a full disk, a bad record part-way through a
Parquet file) never leaves a file under the final name that looks finished: the rows go to
`NAME.partial-XXXX` beside it, and `commit` renames that file in one step (`os.replace`,
atomic on one file system). `discard` removes it. A process killed outright leaves the
`.partial-` file behind, never the final one.
"""

from __future__ import annotations

import os
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from spinecheck.adapters.batch.readers import BatchFileError, by_extension


def partial_name(path: Path) -> Path:
    """A temporary name in the same folder (so the final rename stays on one file system)."""
    return path.with_name(f"{path.name}.partial-{secrets.token_hex(4)}")


class ResultSink(ABC):
    """A result file being written: batches in, then `commit` (rename into place) or `discard`."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        self.partial = partial_name(path)
        self.rows = 0
        try:
            self._open()
        except OSError as error:
            raise BatchFileError(f"cannot write {path}: {error.strerror or error}") from None

    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _write(self, batch: pa.RecordBatch) -> None: ...

    @abstractmethod
    def _close(self) -> None: ...

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows:
            self._write(batch)
            self.rows += batch.num_rows

    def commit(self) -> None:
        self._close()
        os.replace(self.partial, self.path)

    def discard(self) -> None:
        try:
            self._close()
        finally:
            self.partial.unlink(missing_ok=True)


class ParquetSink(ResultSink):
    """One row group per chunk, compressed with zstd; list columns stay lists."""

    def _open(self) -> None:
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(str(self.partial), self.schema, compression="zstd")

    def _write(self, batch: pa.RecordBatch) -> None:
        assert self._writer is not None
        self._writer.write_batch(batch)

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


LIST_SEPARATOR = ";"


def _flat(schema: pa.Schema) -> pa.Schema:
    """CSV has no lists: list columns become text joined with ';'."""
    return pa.schema([
        pa.field(field.name, pa.string()) if pa.types.is_list(field.type) else field for field in schema
    ], metadata=schema.metadata)


class CsvSink(ResultSink):
    """A header line, then one line per row; list columns joined with ';'."""

    def _open(self) -> None:
        self._flat_schema = _flat(self.schema)
        self._writer: pa_csv.CSVWriter | None = pa_csv.CSVWriter(str(self.partial), self._flat_schema)

    def _write(self, batch: pa.RecordBatch) -> None:
        assert self._writer is not None
        columns = [
            pc.binary_join(column, LIST_SEPARATOR) if pa.types.is_list(column.type) else column
            for column in batch.columns
        ]
        self._writer.write_batch(pa.record_batch(columns, schema=self._flat_schema))

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


@dataclass(frozen=True)
class OutputFormat:
    name: str
    extensions: tuple[str, ...]
    open: Callable[[Path, pa.Schema], ResultSink]


OUTPUT_FORMATS: dict[str, OutputFormat] = {
    "parquet": OutputFormat("parquet", (".parquet", ".pq"), ParquetSink),
    "csv": OutputFormat("csv", (".csv",), CsvSink),
}


def output_format(path: Path) -> OutputFormat:
    return by_extension(OUTPUT_FORMATS, path, "output")


def open_sink(path: Path, schema: pa.Schema) -> ResultSink:
    """A sink for `path`, Parquet or CSV by its extension."""
    return output_format(path).open(path, schema)
