"""On a Dask cluster, `spinecheck batch` writes the same files, row for row, as in one process."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from batch_support import assert_one_line_error, read_rows, run_batch, summary, write_intake
from spinecheck.adapters.batch.dask_runner import DaskSetupError, DaskTarget, parse_target

FINDINGS = ["low_back_pain", "leg_pain_below_knee", "fever", "worse_walking", "saddle_numbness", "duration_acute",
            "duration_chronic"]
DESCRIPTIONS = [
    "My lower back has hurt for two days since I lifted a box. No fever.",
    "Pain shoots down my left leg below the knee and I am numb down there.",
    "Back pain with a temperature for three days.",
]


def make_intake(path: Path, descriptions: bool) -> Path:
    """3,000 rows: answers of every spelling, some refused, and optionally a few descriptions to read."""
    rng = np.random.default_rng(11)
    words = ["yes", "no", "", "true", "0", "1", "unknown", "perhaps"]
    answers = rng.choice(words, size=(3_000, len(FINDINGS)), p=[.2, .3, .25, .05, .05, .05, .09, .01]).tolist()
    ages = rng.integers(8, 95, size=3_000).tolist()
    rows = []
    for number in range(3_000):
        row: dict[str, object] = {"id": f"r{number}", "age": ages[number], "sex": "female"}
        row.update(zip(FINDINGS, answers[number], strict=True))
        if descriptions:
            row["narrative"] = DESCRIPTIONS[number % 3] if number % 150 == 0 else ""
        rows.append(row)
    return write_intake(path, rows)


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_intake(tmp_path_factory.mktemp("dask") / "intake.csv", descriptions=False)


@pytest.fixture(scope="module")
def described_intake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_intake(tmp_path_factory.mktemp("dask") / "described.csv", descriptions=True)


def test_a_local_cluster_gives_the_same_files_row_for_row(intake: Path, tmp_path: Path) -> None:
    alone = summary(run_batch(intake, "-o", tmp_path / "alone.parquet", "--chunk-rows", "250"))
    on_dask = summary(run_batch(intake, "-o", tmp_path / "dask.parquet", "--chunk-rows", "250", "--dask", "local:2"))
    assert on_dask["dask"] == "local cluster, 2 workers"
    assert 0 < alone["rows_refused"] < alone["rows_in"] == 3_000
    assert {key: on_dask[key] for key in ("rows_in", "rows_out", "rows_refused", "levels", "call_ambulance")} == {
        key: alone[key] for key in ("rows_in", "rows_out", "rows_refused", "levels", "call_ambulance")
    }
    assert read_rows(tmp_path / "dask.parquet") == read_rows(tmp_path / "alone.parquet")
    assert read_rows(tmp_path / "dask.errors.csv") == read_rows(tmp_path / "alone.errors.csv")


def test_an_existing_scheduler_is_used_by_its_address(described_intake: Path, tmp_path: Path) -> None:
    """Workers in threads of this process: quick to start, and the descriptions read the same way."""
    from distributed import LocalCluster

    alone = summary(run_batch(described_intake, "-o", tmp_path / "alone.csv", "--chunk-rows", "500"))
    threads = LocalCluster(n_workers=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None)
    with threads as cluster:
        address = cluster.scheduler_address
        result = summary(run_batch(described_intake, "-o", tmp_path / "dask.csv", "--chunk-rows", "500",
                                   "--dask", address))
    assert result["dask"] == f"scheduler {address}"
    assert result["rows_out"] == alone["rows_out"] > 0
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "alone.csv").read_bytes()


@pytest.mark.parametrize(("text", "target"), [
    ("local", DaskTarget(workers=None)),
    ("local:3", DaskTarget(workers=3)),
    ("tcp://10.0.0.5:8786", DaskTarget(address="tcp://10.0.0.5:8786")),
])
def test_the_dask_option_names_a_local_cluster_or_a_scheduler(text: str, target: DaskTarget) -> None:
    parsed = parse_target(text)
    assert parsed.address == target.address
    assert parsed.workers == target.workers or (target.workers is None and (parsed.workers or 0) >= 1)


@pytest.mark.parametrize("text", ["cluster", "local:0", "tcp://host", "http://host:80"])
def test_a_malformed_dask_option_is_refused(text: str) -> None:
    with pytest.raises(DaskSetupError):
        parse_target(text)


def test_a_malformed_dask_option_is_one_line_on_the_command_line(intake: Path, tmp_path: Path) -> None:
    assert_one_line_error(run_batch(intake, "-o", tmp_path / "out.parquet", "--dask", "yarn"), "--dask takes local")
    assert not (tmp_path / "out.parquet").exists()
