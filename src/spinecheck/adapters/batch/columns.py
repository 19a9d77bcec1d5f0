"""Arrow columns to the coded form the triage service reads, and result arrays back to Arrow.

A coded column is, per row, an index into a short list of distinct values (-1 where missing):
exactly what a dictionary-encoded Arrow array is. Text, booleans and numbers all become one, so
the service sees "true", "1" and "yes" alike whatever the file's types were. Text arrives as
bytes from CSV; it is checked as UTF-8 per distinct value, and a row whose bytes are not text
is refused with that reason rather than stopping the file.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from spinecheck.adapters.batch.readers import BatchFileError

Coded = tuple[npt.NDArray[np.int32], list[str]]

NOT_TEXT = "not valid UTF-8 text (pass --encoding if the file uses another)"


@dataclass
class CodedChunk:
    """One chunk's columns, coded; `problems` maps a row (0-based in the chunk) to why it is refused."""

    count: int
    findings: dict[str, Coded]
    age: Coded | None = None
    sex: Coded | None = None
    narratives: list[str | None] | None = None
    ids: pa.Array | None = None
    problems: dict[int, str] = field(default_factory=dict)

    def refuse(self, rows: npt.NDArray[np.intp], reason: str) -> None:
        for row in rows.tolist():
            self.problems[row] = f"{self.problems[row]}; {reason}" if row in self.problems else reason


def is_answer_type(kind: pa.DataType) -> bool:
    """Types a finding, age or sex column may have: text, true / false, numbers, or all missing."""
    if pa.types.is_dictionary(kind):
        return is_answer_type(kind.value_type)
    return bool(
        pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind) or pa.types.is_boolean(kind) or pa.types.is_integer(kind)
        or pa.types.is_floating(kind) or pa.types.is_null(kind)
    )


def is_text_type(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind)
        or pa.types.is_large_binary(kind) or pa.types.is_null(kind)
    )


def check_types(schema: pa.Schema, coded: Sequence[str], narrative: str | None) -> None:
    """Refuse the file when a column's type cannot hold what its name says it holds."""
    for name in coded:
        kind = schema.field(name).type
        if not is_answer_type(kind):
            raise BatchFileError(
                f"column '{name}' holds {kind} values; it must hold yes / no / unknown (text), true / false or 1 / 0"
                if name not in ("age", "sex") else f"column '{name}' holds {kind} values; it must hold text or numbers"
            )
    if narrative is not None and not is_text_type(schema.field(narrative).type):
        raise BatchFileError(f"column '{narrative}' holds {schema.field(narrative).type} values; it must hold text")


def _texts(values: pa.Array) -> tuple[list[str], list[int]]:
    """Each distinct value as text, and the positions of values that are not UTF-8."""
    kind = values.type
    bad: list[int] = []
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        texts: list[str] = []
        for position, raw in enumerate(values.to_pylist()):
            try:
                texts.append("" if raw is None else raw.decode("utf-8"))
            except UnicodeDecodeError:
                texts.append(raw.decode("utf-8", errors="replace"))
                bad.append(position)
        return texts, bad
    if pa.types.is_floating(kind):
        return [_number_text(value) for value in values.to_pylist()], bad
    if pa.types.is_boolean(kind):
        return ["" if value is None else ("true" if value else "false") for value in values.to_pylist()], bad
    return ["" if value is None else str(value) for value in values.to_pylist()], bad


def _number_text(value: float | None) -> str:
    if value is None or math.isnan(value):
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def _bits(buffer: pa.Buffer, offset: int, length: int) -> npt.NDArray[np.bool_]:
    """An Arrow bitmap (validity or boolean values) as one numpy bool per row."""
    raw = np.frombuffer(buffer, dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[offset:offset + length].view(np.bool_)


def code_column(array: pa.Array, name: str, chunk: CodedChunk) -> Coded:
    """Any answer column as (codes, distinct values); rows whose value is not text get refused."""
    if pa.types.is_null(array.type):
        return np.full(len(array), -1, dtype=np.int32), []
    if pa.types.is_boolean(array.type):
        validity, values = array.buffers()
        yes = _bits(values, array.offset, len(array)).astype(np.int32)
        if validity is not None and array.null_count:
            yes[~_bits(validity, array.offset, len(array))] = -1
        return yes, ["false", "true"]
    encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    values, bad = _texts(encoded.dictionary)
    for position in bad:
        chunk.refuse(np.flatnonzero(codes == position), f"{name}: {NOT_TEXT}")
    return codes, values


def _text_list(array: pa.Array, name: str, chunk: CodedChunk) -> list[str | None]:
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    if not (pa.types.is_binary(array.type) or pa.types.is_large_binary(array.type)):
        return [None if value is None else str(value) for value in array.to_pylist()]
    texts: list[str | None] = []
    for row, raw in enumerate(array.to_pylist()):
        try:
            texts.append(None if raw is None else raw.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(None)
            chunk.refuse(np.array([row]), f"{name}: {NOT_TEXT}")
    return texts


def _ids(array: pa.Array, name: str, chunk: CodedChunk) -> pa.Array:
    """Ids pass through as they are, except bytes (from CSV), which become text."""
    if not (pa.types.is_binary(array.type) or pa.types.is_large_binary(array.type)):
        return array
    try:
        return pc.cast(array, pa.string())
    except pa.ArrowInvalid:
        return pa.array(_lossy_texts(array, name, chunk), type=pa.string())


def _lossy_texts(array: pa.Array, name: str, chunk: CodedChunk) -> list[str | None]:
    texts: list[str | None] = []
    for row, raw in enumerate(array.to_pylist()):
        try:
            texts.append(None if raw is None else raw.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(raw.decode("utf-8", errors="replace"))
            chunk.refuse(np.array([row]), f"{name}: {NOT_TEXT}")
    return texts


def code_chunk(
    batch: pa.RecordBatch,
    findings: Sequence[str],
    age: str | None = None,
    sex: str | None = None,
    narrative: str | None = None,
    id_column: str | None = None,
) -> CodedChunk:
    """The columns of one chunk, coded for the triage service."""
    chunk = CodedChunk(count=batch.num_rows, findings={})
    names = set(batch.schema.names)
    for name in findings:
        if name in names:
            chunk.findings[name] = code_column(batch.column(name), name, chunk)
    if age is not None and age in names:
        chunk.age = code_column(batch.column(age), age, chunk)
    if sex is not None and sex in names:
        chunk.sex = code_column(batch.column(sex), sex, chunk)
    if narrative is not None and narrative in names:
        chunk.narratives = _text_list(batch.column(narrative), narrative, chunk)
    if id_column is not None and id_column in names:
        chunk.ids = _ids(batch.column(id_column), id_column, chunk)
    return chunk


def id_type(schema: pa.Schema, id_column: str | None) -> pa.DataType | None:
    """The id column's type in the output: as in the input, with bytes read as text."""
    if id_column is None:
        return None
    kind = schema.field(id_column).type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.string() if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) else kind


# Result columns: from the service's arrays to Arrow, vectorised.

def strings_at(names: Sequence[str], index: npt.NDArray[np.integer]) -> pa.Array:  # type: ignore[type-arg]
    """`names[index]` per row as a text column; an index of -1 gives a missing value."""
    return pc.take(pa.array(list(names), type=pa.string()), pa.array(index, mask=index < 0, type=pa.int64()))


def lists_of(names: Sequence[str], chosen: npt.NDArray[np.bool_]) -> pa.Array:
    """Per row, the names whose column is true in `chosen` (rows × names), as a list column."""
    counts = chosen.sum(axis=1, dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    values = strings_at(names, np.nonzero(chosen)[1])
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), values)


def floats(values: npt.NDArray[np.float64]) -> pa.Array:
    """Numbers with NaN as a missing value."""
    return pa.array(values, mask=np.isnan(values), type=pa.float64())


ERROR_SCHEMA = pa.schema([("row", pa.int64()), ("id", pa.string()), ("reason", pa.string())])


def refused_batch(rows: Sequence[int], ids: Sequence[str | None], reasons: Sequence[str]) -> pa.RecordBatch:
    return pa.record_batch(
        [pa.array(rows, type=pa.int64()), pa.array(ids, type=pa.string()), pa.array(reasons, type=pa.string())],
        schema=ERROR_SCHEMA,
    )


def ids_as_text(ids: pa.Array | None, count: int) -> list[str | None]:
    """Ids for the errors file, which is text whatever the input's id type."""
    if ids is None:
        return [None] * count
    return [None if value is None else str(value) for value in ids.to_pylist()]


def result_batch(schema: pa.Schema, columns: Mapping[str, pa.Array]) -> pa.RecordBatch:
    """The output columns in the schema's order and types."""
    return pa.record_batch([columns[name].cast(schema.field(name).type) for name in schema.names], schema=schema)
