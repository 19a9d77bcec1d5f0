"""`spinecheck batch` on files: every format, malformed input, and no record ever lost."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from batch_support import Row, assert_one_line_error, read_rows, run_batch, summary, write_intake
from spinecheck.adapters.batch.readers import INPUT_FORMATS, CsvSource, InputFormat, register_input_format

ROWS: list[Row] = [
    {"id": "p1", "age": 45, "sex": "male", "saddle_numbness": "yes", "low_back_pain": "yes", "fever": None},
    {"id": "p2", "age": 30, "sex": "female", "saddle_numbness": "no", "low_back_pain": "true", "fever": "no"},
    {"id": "p3", "age": 75, "sex": "m", "saddle_numbness": "0", "low_back_pain": "0", "fever": "1"},
    {"id": "p4", "age": None, "sex": None, "saddle_numbness": None, "low_back_pain": "yes", "fever": "maybe"},
]


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".jsonl"])
def test_every_input_format_gives_the_same_results(tmp_path: Path, suffix: str) -> None:
    reference = run_batch(write_intake(tmp_path / "ref.csv", ROWS), "-o", tmp_path / "ref.parquet")
    result = run_batch(write_intake(tmp_path / f"in{suffix}", ROWS), "-o", tmp_path / "out.parquet")
    assert summary(result)["rows_out"] == summary(reference)["rows_out"] == 3
    assert read_rows(tmp_path / "out.parquet") == read_rows(tmp_path / "ref.parquet")
    assert read_rows(tmp_path / "out.errors.csv") == read_rows(tmp_path / "ref.errors.csv")


def test_the_output_keeps_the_id_and_adds_triage_ambulance_red_flags_and_top_conditions(tmp_path: Path) -> None:
    run_batch(write_intake(tmp_path / "in.csv", ROWS), "-o", tmp_path / "out.parquet")
    first = read_rows(tmp_path / "out.parquet")[0]
    assert list(first) == [
        "row", "id", "triage", "incomplete", "call_ambulance", "red_flags",
        "condition_1", "probability_1", "condition_2", "probability_2", "condition_3", "probability_3",
    ]
    assert (first["row"], first["id"], first["triage"], first["red_flags"]) == (
        1, "p1", "emergency", ["cauda_equina_signs"]
    )
    metadata = pq.read_schema(tmp_path / "out.parquet").metadata
    assert b"kb_hash" in metadata and b"disclaimer" in metadata


def test_csv_output_joins_the_red_flags_with_semicolons(tmp_path: Path) -> None:
    rows = [{"id": "a", "saddle_numbness": "yes", "fever": "yes", "low_back_pain": "yes"}]
    run_batch(write_intake(tmp_path / "in.csv", rows), "-o", tmp_path / "out.csv")
    assert read_rows(tmp_path / "out.csv")[0]["red_flags"] == "cauda_equina_signs;fever_with_back_pain"


def test_the_summary_counts_rows_and_levels(tmp_path: Path) -> None:
    result = summary(run_batch(write_intake(tmp_path / "in.csv", ROWS), "-o", tmp_path / "out.parquet"))
    assert (result["rows_in"], result["rows_out"], result["rows_refused"]) == (4, 3, 1)
    assert sum(result["levels"].values()) == 3 and result["levels"]["emergency"] >= 1


def test_a_refused_row_is_in_the_errors_file_with_its_row_number_and_reason(tmp_path: Path) -> None:
    run_batch(write_intake(tmp_path / "in.csv", ROWS), "-o", tmp_path / "out.parquet", "--errors", tmp_path / "bad.csv")
    assert read_rows(tmp_path / "bad.csv") == [
        {"row": 4, "id": "p4", "reason": "fever: 'maybe' is not yes, no or unknown"}
    ]


def test_a_csv_line_with_the_wrong_number_of_fields_is_refused_and_later_rows_keep_their_numbers(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.csv"
    source.write_text('id,fever,low_back_pain\na,no,yes\n"b on\ntwo lines",no,yes\nc,yes\nd,no,no,extra\ne,yes,yes\n')
    result = summary(run_batch(source, "-o", tmp_path / "out.parquet"))
    assert (result["rows_in"], result["rows_out"], result["rows_refused"]) == (5, 3, 2)
    written = [(row["row"], row["id"]) for row in read_rows(tmp_path / "out.parquet")]
    assert written == [(1, "a"), (2, "b on\ntwo lines"), (5, "e")]
    errors = read_rows(tmp_path / "out.errors.csv")
    assert [row["row"] for row in errors] == [3, 4]
    assert errors[0]["reason"] == "expected 3 fields, found 2: 'c,yes'"


def test_bytes_that_are_not_utf8_refuse_their_row_and_encoding_reads_them(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"id,fever\ncaf\xe9,yes\nplain,no\n")
    result = summary(run_batch(source, "-o", tmp_path / "out.parquet"))
    assert (result["rows_out"], result["rows_refused"]) == (1, 1)
    assert "not valid UTF-8 text" in read_rows(tmp_path / "out.errors.csv")[0]["reason"]
    again = summary(run_batch(source, "-o", tmp_path / "latin.parquet", "--encoding", "latin-1"))
    assert again["rows_out"] == 2
    assert read_rows(tmp_path / "latin.parquet")[0]["id"] == "café"


def test_json_lines_that_do_not_parse_are_refused_with_their_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "findings": {"fever": True}}),
        "",
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "b", "findings": {"fevr": True}}),
        json.dumps({"id": "c", "age": 40, "findings": {"fever": [1]}}),
        b"\xff\xfe".decode("latin-1"),
        json.dumps({"id": "d", "findings": {"fever": False}, "gold_triage": "self_care"}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = summary(run_batch(source, "-o", tmp_path / "out.parquet"))
    assert (result["rows_in"], result["rows_out"], result["rows_refused"]) == (7, 2, 5)
    assert [row["row"] for row in read_rows(tmp_path / "out.parquet")] == [1, 8]
    reasons = {row["row"]: row["reason"] for row in read_rows(tmp_path / "out.errors.csv")}
    assert reasons[3].startswith("not valid JSON")
    assert reasons[4] == "a record must be a JSON object"
    assert reasons[5] == "unknown finding 'fevr' (did you mean fever?)"
    assert reasons[6] == "fever: '[1]' is not yes, no or unknown"
    assert 7 in reasons


def test_a_file_without_finding_columns_is_refused_in_one_line(tmp_path: Path) -> None:
    source = write_intake(tmp_path / "in.csv", [{"id": "a", "age": 40}])
    assert_one_line_error(run_batch(source, "-o", tmp_path / "out.parquet"), "nothing to assess")
    assert not (tmp_path / "out.parquet").exists()


def test_an_unknown_column_is_refused_with_the_closest_finding(tmp_path: Path) -> None:
    source = write_intake(tmp_path / "in.csv", [{"id": "a", "saddle_numbnes": "yes"}])
    assert_one_line_error(run_batch(source, "-o", tmp_path / "out.parquet"), "did you mean saddle_numbness?")


def test_a_parquet_column_of_the_wrong_type_is_refused_in_one_line(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a"], "fever": pa.array([0], pa.timestamp("ms"))}), source)
    assert_one_line_error(run_batch(source, "-o", tmp_path / "out.parquet"), "column 'fever' holds timestamp[ms]")


def test_parquet_numbers_and_booleans_are_answers(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({
        "id": pa.array([1, 2, 3]), "age": pa.array([40.0, None, 70.5]),
        "fever": pa.array([True, None, False]), "saddle_numbness": pa.array([0, 1, 2]),
    }), source)
    result = summary(run_batch(source, "-o", tmp_path / "out.parquet"))
    assert (result["rows_out"], result["rows_refused"]) == (2, 1)
    assert [row["id"] for row in read_rows(tmp_path / "out.parquet")] == [1, 2]
    assert read_rows(tmp_path / "out.errors.csv")[0]["reason"] == "saddle_numbness: '2' is not yes, no or unknown"


def test_a_truncated_parquet_file_is_refused_in_one_line(tmp_path: Path) -> None:
    source = write_intake(tmp_path / "in.parquet", ROWS)
    source.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    assert_one_line_error(run_batch(source, "-o", tmp_path / "out.parquet"), "is not a readable Parquet file")


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("empty.csv", b"", "cannot be read as CSV"),
    ("notes.txt", b"id,fever\n", "cannot tell the input format"),
    ("missing.csv", None, "no such file"),
])
def test_a_file_that_cannot_be_read_is_refused_in_one_line(
    tmp_path: Path, name: str, content: bytes | None, fragment: str
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    assert_one_line_error(run_batch(tmp_path / name, "-o", tmp_path / "out.parquet"), fragment)


def test_an_unknown_encoding_is_refused_in_one_line(tmp_path: Path) -> None:
    source = write_intake(tmp_path / "in.csv", ROWS)
    assert_one_line_error(run_batch(source, "-o", tmp_path / "out.parquet", "--encoding", "klingon"),
                          "unknown text encoding 'klingon'")


def test_an_existing_output_is_kept_unless_overwrite_is_given(tmp_path: Path) -> None:
    source = write_intake(tmp_path / "in.csv", ROWS)
    (tmp_path / "out.parquet").write_bytes(b"earlier results")
    assert_one_line_error(run_batch(source, "-o", tmp_path / "out.parquet"), "--overwrite")
    assert (tmp_path / "out.parquet").read_bytes() == b"earlier results"
    assert summary(run_batch(source, "-o", tmp_path / "out.parquet", "--overwrite"))["rows_out"] == 3


def test_an_output_format_is_chosen_by_extension(tmp_path: Path) -> None:
    source = write_intake(tmp_path / "in.csv", ROWS)
    assert_one_line_error(run_batch(source, "-o", tmp_path / "out.xlsx"), "output format")


def test_a_new_input_format_is_one_registration(tmp_path: Path) -> None:
    source = tmp_path / "in.ssv"
    source.write_text("id;fever\na;yes\n")
    register_input_format(InputFormat(
        "ssv", (".ssv",), lambda path, options: CsvSource(path, options, delimiter=";"), "semicolon-separated"
    ))
    try:
        assert summary(run_batch(source, "-o", tmp_path / "out.parquet"))["rows_out"] == 1
    finally:
        del INPUT_FORMATS["ssv"]


ANSWERS = st.sampled_from(["yes", "no", "", "unknown", "true", "0", "1", "maybe", "YES", "n", "x,y", "é"])
RECORDS = st.lists(
    st.tuples(st.lists(ANSWERS, min_size=3, max_size=3), st.sampled_from(["", "40", "200", "old"]),
              st.integers(min_value=-1, max_value=1)),
    max_size=40,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=RECORDS, chunk=st.integers(min_value=1, max_value=7), suffix=st.sampled_from([".csv", ".jsonl"]))
def test_rows_in_always_equal_rows_out_plus_rows_refused(
    tmp_path: Path, records: list[tuple[list[str], str, int]], chunk: int, suffix: str
) -> None:
    """Random answers, bad ages and lines with missing or extra fields: every record is accounted for once."""
    source = tmp_path / f"in{suffix}"
    lines = []
    for number, (answers, age, shape) in enumerate(records, start=1):
        if suffix == ".csv":
            cells = [f"r{number}", age, *(f'"{a}"' for a in answers)]
            lines.append(",".join(cells[: len(cells) + shape] if shape < 0 else cells + ["extra"] * shape))
        else:
            findings = dict(zip(("fever", "low_back_pain", "saddle_numbness"), answers, strict=True))
            record = json.dumps({"id": f"r{number}", "age": age, "findings": findings})
            lines.append(record[:-2] if shape < 0 else record)
    header = ["id,age,fever,low_back_pain,saddle_numbness"] if suffix == ".csv" else []
    source.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    output, errors = tmp_path / "out.parquet", tmp_path / "errors.csv"
    result = summary(run_batch(source, "-o", output, "--errors", errors, "--chunk-rows", str(chunk), "--overwrite"))

    written = [row["row"] for row in read_rows(output)]
    refused = [row["row"] for row in read_rows(errors)]
    assert result["rows_in"] == len(records) == result["rows_out"] + result["rows_refused"]
    assert (len(written), len(refused)) == (result["rows_out"], result["rows_refused"])
    assert sorted(written + refused) == list(range(1, len(records) + 1))
    assert written == sorted(written)
