"""Intake files read as a stream of Arrow record batches, whatever their format.

Each format is an `InputFormat` in `INPUT_FORMATS`, found by file extension or by name, so a
new format (FHIR QuestionnaireResponse NDJSON, say) is one class and one `register_input_format`
call. A source yields `SourceChunk`s: at most `chunk_rows` rows, the row number of each (as a
person would count them in the file), and the records the reader itself had to refuse (a CSV
line with the wrong number of fields, a JSON line that does not parse) with their row numbers
and reasons, so that no record is ever lost between the file and the errors file.

Row numbers: CSV counts records after the header (1 is the first data record); JSON Lines
counts lines (blank lines are not records but keep the numbering); Parquet counts rows from 1.
"""

from __future__ import annotations

import difflib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

Int64Array = npt.NDArray[np.int64]


class BatchFileError(Exception):
    """The file cannot be read as a whole (not the format it claims, unreadable, wrong column types)."""


@dataclass(frozen=True)
class ReadSettings:
    """What every reader needs to know: which ids are findings, the id column, the text encoding."""

    finding_ids: frozenset[str]
    id_column: str = "id"
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Refused:
    """A record the reader could not turn into a row, and why."""

    row: int
    id: str | None
    reason: str


@dataclass(frozen=True)
class SourceChunk:
    """Up to `chunk_rows` rows (or none), their row numbers, and records refused up to the last of them."""

    rows: Int64Array
    batch: pa.RecordBatch | None
    refused: tuple[Refused, ...] = ()


class IntakeSource(ABC):
    """An open intake file: its columns, how far the reading has got, and its chunks."""

    unit: Literal["rows", "bytes"] = "bytes"

    def __init__(self, path: Path, settings: ReadSettings) -> None:
        self.path = path
        self.settings = settings

    @property
    @abstractmethod
    def schema(self) -> pa.Schema:
        """The columns a reader can give, with the Arrow type each arrives in."""

    @property
    @abstractmethod
    def total(self) -> int:
        """The size of the input in `unit`s (for the progress bar)."""

    @abstractmethod
    def position(self) -> int:
        """How many `unit`s have been read so far."""

    @abstractmethod
    def chunks(self, columns: Sequence[str], chunk_rows: int) -> Iterator[SourceChunk]:
        """The rows, with only `columns`, at most `chunk_rows` at a time."""

    def has_values(self, column: str) -> bool:
        """Whether the column is likely to hold values (to decide, before reading, whether to load the text reader)."""
        return column in self.schema.names

    def close(self) -> None:  # noqa: B027  (sources with nothing to release need not override)
        """Release the file."""

    def __enter__(self) -> IntakeSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def split_batch(batch: pa.RecordBatch, rows: Int64Array, size: int) -> Iterator[tuple[pa.RecordBatch, Int64Array]]:
    """Zero-copy slices of at most `size` rows."""
    for start in range(0, batch.num_rows, size):
        yield batch.slice(start, size), rows[start:start + size]


class _RowNumbers:
    """Numbers the rows a streaming reader yields, around the records it refused on the way."""

    def __init__(self) -> None:
        self.next = 1
        self.pending: list[Refused] = []

    def take(self, count: int) -> tuple[Int64Array, tuple[Refused, ...]]:
        """The next `count` row numbers not used by a refused record, and the refused records before them."""
        skipped = np.array(sorted(item.row for item in self.pending if item.row >= self.next), dtype=np.int64)
        candidates = np.arange(self.next, self.next + count + skipped.size, dtype=np.int64)
        numbers = candidates[~np.isin(candidates, skipped)][:count]
        if numbers.size:
            self.next = int(numbers[-1]) + 1
        done = tuple(sorted((item for item in self.pending if item.row < self.next), key=lambda item: item.row))
        self.pending = [item for item in self.pending if item.row >= self.next]
        return numbers, done

    def rest(self) -> tuple[Refused, ...]:
        done, self.pending = tuple(sorted(self.pending, key=lambda item: item.row)), []
        return done


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as error:
        raise BatchFileError(f"cannot read {path}: {error.strerror or error}") from None


class _ByteStream(IntakeSource):
    """A text format read front to back: progress is the bytes read so far."""

    def __init__(self, path: Path, settings: ReadSettings) -> None:
        super().__init__(path, settings)
        self._size = _file_size(path)
        self._file: Any = None

    @property
    def total(self) -> int:
        return self._size

    def position(self) -> int:
        return int(self._file.tell()) if self._file is not None and not self._file.closed else self._size

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class CsvSource(_ByteStream):
    """Comma- (or tab-) separated values with a header line, streamed by Arrow's CSV reader.

    Every column is read as text: finding, age and sex columns dictionary-encoded (few distinct
    values), the id and the narrative as they are. Bytes are checked as text later, per value,
    so one badly encoded record is refused without stopping the file.
    """

    BLOCK_BYTES = 1 << 20

    def __init__(self, path: Path, settings: ReadSettings, delimiter: str = ",") -> None:
        super().__init__(path, settings)
        self._delimiter = delimiter
        try:
            probe = pa_csv.open_csv(
                str(path), read_options=self._read_options(), parse_options=self._parse_options(lambda row: "skip")
            )
        except pa.ArrowInvalid as error:
            raise BatchFileError(f"{path} cannot be read as CSV: {_first_line(error)}") from None
        self._names = list(probe.schema.names)
        probe.close()

    def _read_options(self) -> pa_csv.ReadOptions:
        return pa_csv.ReadOptions(block_size=self.BLOCK_BYTES, use_threads=False, encoding=self.settings.encoding)

    def _parse_options(self, handler: Callable[[Any], str] | None = None) -> pa_csv.ParseOptions:
        return pa_csv.ParseOptions(delimiter=self._delimiter, newlines_in_values=True, invalid_row_handler=handler)

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([(name, pa.string()) for name in self._names])

    def chunks(self, columns: Sequence[str], chunk_rows: int) -> Iterator[SourceChunk]:
        numbers = _RowNumbers()
        coded = set(columns) - {self.settings.id_column, "narrative"}

        def refuse(row: Any) -> str:
            # the reader counts the header as record 1; we count data records from 1
            where = row.number - 1 if row.number is not None else numbers.next
            text = row.text if len(row.text) <= 60 else row.text[:57] + "..."
            numbers.pending.append(Refused(where, None, (
                f"expected {row.expected_columns} fields, found {row.actual_columns}: {text!r}"
            )))
            return "skip"

        convert = pa_csv.ConvertOptions(
            include_columns=list(columns),
            column_types={name: pa.dictionary(pa.int32(), pa.binary()) if name in coded else pa.binary()
                          for name in columns},
            null_values=[], strings_can_be_null=False, quoted_strings_can_be_null=False,
        )
        self._file = pa.OSFile(str(self.path))
        try:
            reader = pa_csv.open_csv(
                self._file, read_options=self._read_options(), parse_options=self._parse_options(refuse),
                convert_options=convert,
            )
            for block in _guarded(reader, self.path):
                rows, refused = numbers.take(block.num_rows)
                first = True
                for piece, piece_rows in split_batch(block, rows, chunk_rows):
                    yield SourceChunk(piece_rows, piece, refused if first else ())
                    first = False
                if first and refused:
                    yield SourceChunk(np.empty(0, dtype=np.int64), None, refused)
            rest = numbers.rest()
            if rest:
                yield SourceChunk(np.empty(0, dtype=np.int64), None, rest)
        except pa.ArrowInvalid as error:
            raise BatchFileError(f"{self.path} cannot be read as CSV: {_first_line(error)}") from None
        finally:
            self._file.close()


class TsvSource(CsvSource):
    def __init__(self, path: Path, settings: ReadSettings) -> None:
        super().__init__(path, settings, delimiter="\t")


def _guarded(reader: Any, path: Path) -> Iterator[pa.RecordBatch]:
    """Batches from an Arrow reader; a read failure part-way becomes a BatchFileError."""
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowException, OSError) as error:
            raise BatchFileError(f"{path} could not be read to the end: {_first_line(error)}") from None
        yield batch


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class ParquetSource(IntakeSource):
    """Apache Parquet, read row group by row group; text columns of answers arrive dictionary-encoded."""

    unit = "rows"

    def __init__(self, path: Path, settings: ReadSettings) -> None:
        super().__init__(path, settings)
        _file_size(path)
        try:
            self._file = pq.ParquetFile(str(path))
        except (pa.ArrowException, OSError) as error:
            raise BatchFileError(f"{path} is not a readable Parquet file: {_first_line(error)}") from None
        self._read = 0

    @property
    def schema(self) -> pa.Schema:
        return self._file.schema_arrow

    @property
    def total(self) -> int:
        return int(self._file.metadata.num_rows)

    def position(self) -> int:
        return self._read

    def chunks(self, columns: Sequence[str], chunk_rows: int) -> Iterator[SourceChunk]:
        schema = self._file.schema_arrow
        coded = set(columns) - {self.settings.id_column, "narrative"}
        text = [
            name for name in coded
            if pa.types.is_string(schema.field(name).type) or pa.types.is_large_string(schema.field(name).type)
        ]
        try:
            reopened = pq.ParquetFile(str(self.path), read_dictionary=text) if text else self._file
        except (pa.ArrowException, OSError) as error:
            raise BatchFileError(f"{self.path} is not a readable Parquet file: {_first_line(error)}") from None
        batches = reopened.iter_batches(batch_size=chunk_rows, columns=list(columns))
        for batch in _guarded(_Next(batches), self.path):
            rows = np.arange(self._read + 1, self._read + batch.num_rows + 1, dtype=np.int64)
            self._read += batch.num_rows
            yield SourceChunk(rows, batch)

    def close(self) -> None:
        self._file.close()


class _Next:
    """`read_next_batch` over a plain iterator, so `_guarded` serves every reader."""

    def __init__(self, items: Iterator[pa.RecordBatch]) -> None:
        self._items = items

    def read_next_batch(self) -> pa.RecordBatch:
        return next(self._items)


NAMED = ("age", "sex", "narrative")


class JsonLinesSource(_ByteStream):
    """One JSON object per line, in the shape of a vignette case.

    `{"id": "p-1", "age": 54, "sex": "male", "narrative": "...", "findings": {"fever": true, ...}}`.
    Findings live under "findings" (true / false / null or the same words a CSV takes); other
    top-level keys (a gold label, a source) are carried by the file but not read. A finding id
    the knowledge base does not know refuses the record, with the closest known ids.
    """

    def __init__(self, path: Path, settings: ReadSettings) -> None:
        super().__init__(path, settings)
        self._findings = tuple(sorted(settings.finding_ids))

    @property
    def schema(self) -> pa.Schema:
        named = [(self.settings.id_column, pa.string()), *((name, pa.string()) for name in NAMED)]
        return pa.schema(named + [(finding, pa.string()) for finding in self._findings])

    PEEK_LINES = 1_000

    def has_values(self, column: str) -> bool:
        """Whether any of the first lines gives the key a value (every line may carry a narrative, or none)."""
        with self.path.open("rb") as handle:
            for _, raw in zip(range(self.PEEK_LINES), handle, strict=False):
                try:
                    record = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get(column) not in (None, ""):
                    return True
        return False

    def chunks(self, columns: Sequence[str], chunk_rows: int) -> Iterator[SourceChunk]:
        chunk = _JsonChunk(columns, self.settings)
        with self.path.open("rb") as self._file:
            for number, raw in enumerate(self._file, start=1):
                if raw.strip():
                    chunk.add(number, raw)
                if chunk.size >= chunk_rows:
                    yield chunk.finish()
                    chunk = _JsonChunk(columns, self.settings)
            if chunk.size or chunk.refused:
                yield chunk.finish()


class _JsonChunk:
    """Records of one chunk gathered line by line, then turned into Arrow columns at once."""

    def __init__(self, columns: Sequence[str], settings: ReadSettings) -> None:
        self.settings = settings
        self.columns = list(columns)
        self.finding_columns = {name: i for i, name in enumerate(c for c in columns if c in settings.finding_ids)}
        self.rows: list[int] = []
        self.named: dict[str, list[str | None]] = {name: [] for name in columns if name not in settings.finding_ids}
        self.cells: list[tuple[int, int, str]] = []  # (row in chunk, finding column, value)
        self.refused: list[Refused] = []

    @property
    def size(self) -> int:
        return len(self.rows)

    def add(self, number: int, raw: bytes) -> None:
        try:
            record = json.loads(raw.decode(self.settings.encoding))
        except UnicodeDecodeError:
            self.refused.append(Refused(number, None, f"not valid {self.settings.encoding} text"))
            return
        except json.JSONDecodeError as error:
            self.refused.append(Refused(number, None, f"not valid JSON ({error.msg} at column {error.colno})"))
            return
        if not isinstance(record, dict):
            self.refused.append(Refused(number, None, "a record must be a JSON object"))
            return
        record_id = record.get(self.settings.id_column)
        record_id = None if record_id is None else str(record_id)
        findings = record.get("findings") or {}
        if not isinstance(findings, dict):
            self.refused.append(Refused(number, record_id, "'findings' must map finding ids to answers"))
            return
        unknown = [key for key in findings if key not in self.settings.finding_ids]
        if unknown:
            self.refused.append(Refused(number, record_id, "; ".join(self._unknown(key) for key in unknown[:3])))
            return
        narrative = record.get("narrative")
        if narrative is not None and not isinstance(narrative, str):
            self.refused.append(Refused(number, record_id, "narrative: must be text"))
            return
        row = len(self.rows)
        self.rows.append(number)
        for name, values in self.named.items():
            values.append(record_id if name == self.settings.id_column else _token(record.get(name)))
        for key, value in findings.items():
            column = self.finding_columns.get(key)
            token = _token(value)
            if column is not None and token is not None:
                self.cells.append((row, column, token))

    def _unknown(self, key: str) -> str:
        close = difflib.get_close_matches(key, sorted(self.settings.finding_ids), n=2, cutoff=0.75)
        return f"unknown finding '{key}'" + (f" (did you mean {' or '.join(close)}?)" if close else "")

    def finish(self) -> SourceChunk:
        rows = np.array(self.rows, dtype=np.int64)
        refused = tuple(self.refused)
        if not self.rows:
            return SourceChunk(rows, None, refused)
        vocabulary: dict[str, int] = {}
        codes = np.full((len(self.finding_columns), len(self.rows)), -1, dtype=np.int32)
        if self.cells:
            row_index, column_index, tokens = zip(*self.cells, strict=True)
            coded = [vocabulary.setdefault(token, len(vocabulary)) for token in tokens]
            codes[np.array(column_index), np.array(row_index)] = np.array(coded, dtype=np.int32)
        dictionary = pa.array(list(vocabulary), type=pa.string())
        arrays: list[pa.Array] = []
        for name in self.columns:
            if name in self.finding_columns:
                column_codes = codes[self.finding_columns[name]]
                arrays.append(pa.DictionaryArray.from_arrays(pa.array(column_codes, mask=column_codes < 0), dictionary))
            else:
                arrays.append(pa.array(self.named[name], type=pa.string()))
        return SourceChunk(rows, pa.record_batch(arrays, names=self.columns), refused)


def _token(value: object) -> str | None:
    """A JSON value as the text a CSV cell would hold (true / false, numbers, words); None when missing."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return json.dumps(value)


@dataclass(frozen=True)
class InputFormat:
    """A file format spinecheck can triage, the extensions that announce it, and how to open it."""

    name: str
    extensions: tuple[str, ...]
    open: Callable[[Path, ReadSettings], IntakeSource]
    description: str


INPUT_FORMATS: dict[str, InputFormat] = {}


def register_input_format(fmt: InputFormat) -> None:
    INPUT_FORMATS[fmt.name] = fmt


register_input_format(InputFormat("csv", (".csv",), CsvSource, "comma-separated values with a header line"))
register_input_format(InputFormat("tsv", (".tsv", ".tab"), TsvSource, "tab-separated values with a header line"))
register_input_format(InputFormat("parquet", (".parquet", ".pq"), ParquetSource, "Apache Parquet"))
register_input_format(InputFormat("jsonl", (".jsonl", ".ndjson"), JsonLinesSource, "one JSON case per line"))


class _HasExtensions(Protocol):
    @property
    def extensions(self) -> tuple[str, ...]: ...


Format = TypeVar("Format", bound=_HasExtensions)


def by_extension(formats: Mapping[str, Format], path: Path, what: str) -> Format:
    """The format whose extensions include the path's; a clear error listing them otherwise."""
    suffix = path.suffix.lower()
    for fmt in formats.values():
        if suffix in fmt.extensions:
            return fmt
    known = ", ".join(ext for fmt in formats.values() for ext in fmt.extensions)
    raise BatchFileError(f"cannot tell the {what} format of {path.name} from its extension ({known})")


def input_format(path: Path, name: str | None = None) -> InputFormat:
    """The format named, or the one the file's extension announces."""
    if name is None:
        return by_extension(INPUT_FORMATS, path, "input")
    if name not in INPUT_FORMATS:
        raise BatchFileError(f"unknown input format '{name}' (known: {', '.join(INPUT_FORMATS)})")
    return INPUT_FORMATS[name]


def open_intake(path: Path, settings: ReadSettings, format_name: str | None = None) -> IntakeSource:
    """Open an intake file for streaming; raises BatchFileError when it cannot be read."""
    fmt = input_format(path, format_name)
    if not path.is_file():
        raise BatchFileError(f"no such file: {path}")
    return fmt.open(path, settings)
