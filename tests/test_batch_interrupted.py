"""An interrupted batch run never leaves a file under the final name that looks finished."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from batch_support import MINI_KB

ROWS = 2_000_000
CHUNK_ROWS = "500"


@pytest.fixture(scope="module")
def long_intake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two million rows of the small knowledge base's findings: seconds of work in small chunks."""
    path = tmp_path_factory.mktemp("long") / "intake.parquet"
    rng = np.random.default_rng(3)
    findings = ["low_back_pain", "leg_pain_below_knee", "fever", "worse_walking", "saddle_numbness"]
    states = {name: rng.integers(-1, 2, ROWS) for name in findings}
    pq.write_table(pa.table({name: pa.array(s == 1, mask=s == 0) for name, s in states.items()}), path,
                   row_group_size=100_000)
    return path


def start(source: Path, output: Path) -> subprocess.Popen[bytes]:
    command = ["from spinecheck.interfaces.cli.app import main; main()", "batch", str(source), "-o", str(output),
               "--chunk-rows", CHUNK_ROWS, "--quiet", "--kb", str(MINI_KB)]
    return subprocess.Popen([sys.executable, "-c", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_rows(process: subprocess.Popen[bytes], folder: Path, timeout: float = 120.0) -> Path:
    """The partial output file, once some rows have reached it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be interrupted"
        partial = [path for path in folder.glob("out.parquet.partial-*") if path.stat().st_size > 10_000]
        if partial:
            return partial[0]
        time.sleep(0.02)
    process.kill()
    raise AssertionError("no rows were written in time")


def test_a_killed_run_leaves_no_file_under_the_final_name(long_intake: Path, tmp_path: Path) -> None:
    process = start(long_intake, tmp_path / "out.parquet")
    partial = wait_for_rows(process, tmp_path)
    process.kill()
    process.wait(timeout=30)
    assert not (tmp_path / "out.parquet").exists()
    assert not (tmp_path / "out.errors.csv").exists()
    assert partial.exists()  # a kill cannot be cleaned up after; its name says it is unfinished


def test_a_terminated_run_removes_its_partial_files(long_intake: Path, tmp_path: Path) -> None:
    process = start(long_intake, tmp_path / "out.parquet")
    wait_for_rows(process, tmp_path)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == []
