"""Writing small intake files in every format, and running `spinecheck batch` on them in-process."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from typer.testing import CliRunner, Result

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"
NAMED = ("id", "age", "sex", "narrative")

Row = dict[str, Any]


def write_intake(path: Path, rows: Sequence[Row]) -> Path:
    """The same records as CSV, TSV, Parquet (text columns) or JSON Lines (findings under "findings")."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    suffix = path.suffix
    if suffix in (".csv", ".tsv"):
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter="," if suffix == ".csv" else "\t")
            writer.writerow(columns)
            writer.writerows([["" if row.get(c) is None else str(row[c]) for c in columns] for row in rows])
    elif suffix == ".parquet":
        table = pa.table({c: pa.array([None if row.get(c) is None else str(row[c]) for row in rows], pa.string())
                          for c in columns})
        pq.write_table(table, path)
    elif suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                record = {key: value for key, value in row.items() if key in NAMED}
                record["findings"] = {key: value for key, value in row.items() if key not in NAMED}
                handle.write(json.dumps(record) + "\n")
    else:
        raise ValueError(suffix)
    return path


def run_batch(*args: str | Path, kb: Path | None = MINI_KB) -> Result:
    from spinecheck.interfaces.cli.app import app

    extra = ["--kb", str(kb)] if kb is not None else []
    return CliRunner().invoke(app, ["batch", *map(str, args), "--quiet", "--json", *extra])


def summary(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def read_rows(path: Path) -> list[Row]:
    """An output or errors file as a list of dicts (CSV read with every column as text)."""
    if path.suffix == ".parquet":
        rows: list[Row] = pq.read_table(path).to_pylist()
        return rows
    names = pa_csv.open_csv(path).schema.names
    options = pa_csv.ConvertOptions(column_types={name: pa.string() for name in names if name != "row"})
    table = pa_csv.read_csv(path, convert_options=options)
    return list(table.to_pylist())


def assert_one_line_error(result: Result, fragment: str) -> None:
    """Bad input: exit code 2, one line naming the problem, never a traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    assert fragment in lines[0], result.output
