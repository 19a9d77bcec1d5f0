"""How fast `spinecheck batch` triages files, how much memory it needs, and what Dask adds.

Run from the repository root:

    .venv/bin/python benchmarks/bench_batch.py                      # everything
    .venv/bin/python benchmarks/bench_batch.py --skip-big --skip-pgmpy

Sections, each printing its figures:
1. 1,000,000 structured rows, Parquet to Parquet, in one process: rows per minute.
2. The same file on a Dask LocalCluster (`--dask local:N`) beside it: the speed-up, and
   whether the two output files are identical.
3. 10,000,000 rows (the million repeated ten times): peak memory (RSS) of the one process.
4. The narrative column: rows per second with descriptions to read, in one process and on Dask.
5. The engine's batch scoring (`score_batch`) against pgmpy exact inference on the same
   network and cases: the ratio of time per case (pgmpy runs in benchmarks/.venv-pgmpy).

Every run is the real command in a child process (`spinecheck batch ... --json`); wall time and
memory are measured from outside it (peak RSS of the process from the kernel, and the summed
RSS of the process tree, sampled, for Dask). Input files are made once under
benchmarks/.batch-data/ (git ignores it) and reused.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from bench_engine import cpu_model, percentile_us, run_pgmpy
from harness import comparable_evidence, exact_posterior, network_query, network_spec, synthetic_states
from spinecheck.core.inference import score_batch
from spinecheck.core.model import CompiledModel
from spinecheck.services.assessment import load_model

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / ".batch-data"
VIGNETTES = ROOT / "data" / "vignettes"
AGREEMENT = 1e-6


@dataclass(frozen=True)
class Run:
    """One `spinecheck batch` in a child process, seen from outside."""

    summary: dict[str, Any]
    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    peak_tree_rss_bytes: int

    @property
    def rows_per_minute(self) -> float:
        return float(self.summary["rows_in"]) / self.wall_seconds * 60

    @property
    def streaming_rows_per_second(self) -> float:
        return float(self.summary["rows_per_second"])


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def run_batch(source: Path, output: Path, *extra: str) -> Run:
    """Run the command; peak RSS from wait4 (the process itself), tree RSS sampled every 50 ms."""
    command = [str(ROOT / ".venv" / "bin" / "spinecheck"), "batch", str(source), "-o", str(output),
               "--overwrite", "--quiet", "--json", *extra]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    watched = psutil.Process(child.pid)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            try:
                peak_tree = max(peak_tree, _tree_rss(watched))
            except psutil.Error:
                return
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert child.stdout is not None and child.stderr is not None
    out = child.stdout.read()
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"spinecheck batch failed ({child.returncode}): {err.decode(errors='replace')}")
    cpu = usage.ru_utime + usage.ru_stime  # with the worker processes it started and waited for
    return Run(json.loads(out), wall, cpu, usage.ru_maxrss * 1024, peak_tree)


def _complete_choices(model: CompiledModel, states: np.ndarray[Any, np.dtype[np.int8]]) -> None:
    """One "yes" per choice question, as an intake form allows (the others become "no")."""
    for members in model.exclusive_groups.values():
        columns = model.columns(members)
        block = states[:, columns]
        chosen = block == 1
        first = np.argmax(chosen, axis=1)
        keep = np.zeros_like(chosen)
        keep[np.arange(len(block)), first] = chosen[np.arange(len(block)), first]
        block[chosen & ~keep] = -1
        states[:, columns] = block


def make_structured(model: CompiledModel, path: Path, rows: int, seed: int) -> Path:
    """Rows drawn from the model (the engine benchmark's sampler): boolean finding columns, id, age, sex."""
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    partial = path.with_suffix(".partial")
    writer: pq.ParquetWriter | None = None
    step = 100_000
    for start in range(0, rows, step):
        count = min(step, rows - start)
        states = synthetic_states(model, rng, count)
        _complete_choices(model, states)
        columns = {
            "id": pa.array([f"p{number:08d}" for number in range(start, start + count)]),
            "age": pa.array(rng.integers(16, 95, size=count).astype(np.int16)),
            "sex": pa.array(np.where(rng.random(count) < 0.55, "female", "male")),
        }
        for column, finding in enumerate(model.finding_ids):
            answer = states[:, column]
            columns[finding] = pa.array(answer == 1, mask=answer == 0)
        batch = pa.record_batch(list(columns.values()), names=list(columns))
        writer = writer or pq.ParquetWriter(str(partial), batch.schema)
        writer.write_batch(batch)
    assert writer is not None
    writer.close()
    partial.rename(path)
    return path


def make_repeated(source: Path, path: Path, times: int) -> Path:
    """The source's rows `times` over, with fresh ids: a large file built without drawing new rows."""
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    reader = pq.ParquetFile(str(source))
    with pq.ParquetWriter(str(partial), reader.schema_arrow) as writer:
        offset = 0
        for _ in range(times):
            for batch in reader.iter_batches(batch_size=100_000):
                ids = pa.array([f"p{number:08d}" for number in range(offset, offset + batch.num_rows)])
                writer.write_batch(batch.set_column(0, "id", ids))
                offset += batch.num_rows
    partial.rename(path)
    return path


def make_narratives(path: Path, rows: int) -> Path:
    """Descriptions from the vignette files (people's and clinicians' wording), cycled to `rows` rows."""
    if path.exists():
        return path
    texts: list[tuple[str, Any, Any]] = []
    for name in ("dev.jsonl", "second.jsonl", "reports.jsonl"):
        file = VIGNETTES / name
        if file.exists():
            for line in file.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    case = json.loads(line)
                    texts.append((case["narrative"], case.get("age"), case.get("sex")))
    picked = [texts[number % len(texts)] for number in range(rows)]
    table = pa.table({
        "id": [f"n{number:06d}" for number in range(rows)],
        "age": [age for _, age, _ in picked],
        "sex": [sex for _, _, sex in picked],
        "narrative": [text for text, _, _ in picked],
    })
    pa_csv.write_csv(table, path)
    return path


def load_note() -> str:
    return f"load average over the last 5 minutes: {os.getloadavg()[1]:.1f} on {os.cpu_count()} CPUs"


def mib(count: int) -> str:
    return f"{count / 2**20:,.0f} MiB"


def same_rows(first: Path, second: Path) -> bool:
    return bool(pq.read_table(first).equals(pq.read_table(second)))


def bench_structured(model: CompiledModel, rows: int, workers: int) -> Path:
    source = make_structured(model, DATA / f"structured-{rows}.parquet", rows, seed=20240601)
    single = run_batch(source, DATA / "out-single.parquet")
    on_dask = run_batch(source, DATA / "out-dask.parquet", "--dask", f"local:{workers}")
    print(f"\n## {rows:,} structured rows, Parquet to Parquet ({len(model.finding_ids)} finding columns)")
    print("| run | wall seconds | rows per minute (wall) | rows per second while streaming | CPU seconds | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, run in (("one process", single), (f"Dask LocalCluster, {workers} workers", on_dask)):
        memory = mib(run.peak_rss_bytes) if run is single else f"{mib(run.peak_tree_rss_bytes)} (all processes)"
        print(f"| {label} | {run.wall_seconds:.1f} | {run.rows_per_minute:,.0f} | "
              f"{run.streaming_rows_per_second:,.0f} | {run.cpu_seconds:.1f} | {memory} |")
    print(f"\nspeed-up on Dask: {single.wall_seconds / on_dask.wall_seconds:.2f}× wall, "
          f"{on_dask.streaming_rows_per_second / single.streaming_rows_per_second:.2f}× while streaming "
          "(the wall time includes starting the cluster and loading the model on every worker)")
    print(f"outputs identical row for row: {same_rows(DATA / 'out-single.parquet', DATA / 'out-dask.parquet')}")
    print(f"rows out / refused: {single.summary['rows_out']:,} / {single.summary['rows_refused']:,}; "
          f"levels {single.summary['levels']}")
    print(load_note())
    return source


def bench_big(source: Path, rows: int) -> None:
    times = max(1, rows // pq.ParquetFile(str(source)).metadata.num_rows)
    big = make_repeated(source, DATA / f"structured-{rows}.parquet", times)
    run = run_batch(big, DATA / "out-big.parquet")
    print(f"\n## {run.summary['rows_in']:,} rows in one process (the {source.name} rows {times} times over)")
    print("| rows | wall seconds | rows per minute | CPU seconds | peak RSS (kernel, wait4) | peak RSS (sampled) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {run.summary['rows_in']:,} | {run.wall_seconds:.1f} | {run.rows_per_minute:,.0f} | "
          f"{run.cpu_seconds:.1f} | {mib(run.peak_rss_bytes)} | {mib(run.peak_tree_rss_bytes)} |")
    print(load_note())
    (DATA / "out-big.parquet").unlink(missing_ok=True)


def bench_narratives(rows: int, workers: int) -> None:
    source = make_narratives(DATA / f"narratives-{rows}.csv", rows)
    single = run_batch(source, DATA / "out-narr-single.parquet")
    on_dask = run_batch(source, DATA / "out-narr-dask.parquet", "--dask", f"local:{workers}")
    print(f"\n## Narrative column: {rows:,} descriptions to read (vignette texts, cycled)")
    print("| run | wall seconds | rows per second (wall) | rows per second while streaming | CPU seconds |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, run in (("one process", single), (f"Dask LocalCluster, {workers} workers", on_dask)):
        print(f"| {label} | {run.wall_seconds:.1f} | {run.summary['rows_in'] / run.wall_seconds:,.1f} | "
              f"{run.streaming_rows_per_second:,.1f} | {run.cpu_seconds:.1f} |")
    identical = same_rows(DATA / "out-narr-single.parquet", DATA / "out-narr-dask.parquet")
    print(f"\noutputs identical row for row: {identical}; rows refused: {single.summary['rows_refused']}")
    print(load_note())


def bench_pgmpy(model: CompiledModel, queries: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    cases = comparable_evidence(model, rng, queries)
    result = run_pgmpy(network_spec(model), [network_query(model, evidence) for evidence in cases])
    states = np.stack([model.state_vector(evidence) for evidence in cases])
    repeat = max(1, 200_000 // len(cases))
    tiled = np.tile(states, (repeat, 1))
    score_batch(model, tiled[:1000], dtype=np.float64)  # warm-up
    started = time.perf_counter()
    scored = score_batch(model, tiled, dtype=np.float64)
    per_case_us = (time.perf_counter() - started) / len(tiled) * 1e6

    leak, count = model.leak, len(model.condition_ids)
    ours = (scored[: len(cases)] - leak / count) / (1 - leak)  # the posterior before the leak
    expected = np.array([exact_posterior(model, evidence) for evidence in cases])
    theirs = np.array(result["posteriors"], dtype=np.float64)
    difference = max(float(np.abs(theirs - expected).max()), float(np.abs(ours - expected).max()))
    pgmpy_us = percentile_us(result["latencies_ns"], 50)
    print(f"\n## Batch scoring against pgmpy {result['pgmpy']} exact inference ({len(cases)} cases)")
    print("| engine | time per case |")
    print("| --- | ---: |")
    print(f"| spinecheck score_batch, float64 ({len(tiled):,} rows: the cases {repeat} times) | {per_case_us:.2f} µs |")
    print(f"| pgmpy VariableElimination.query (median) | {pgmpy_us:,.1f} µs |")
    print(f"\nratio: {pgmpy_us / per_case_us:,.0f}× (pgmpy time per case / score_batch time per case)")
    verdict = "agree" if difference <= AGREEMENT else "DISAGREE"
    print(f"posteriors {verdict}: largest difference {difference:.1e} (tolerance {AGREEMENT:.0e})")
    if difference > AGREEMENT:
        sys.exit("pgmpy and spinecheck disagree: the comparison is not valid")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the structured file")
    parser.add_argument("--big-rows", type=int, default=10_000_000, help="rows of the memory run")
    parser.add_argument("--narrative-rows", type=int, default=2_000, help="rows with a description")
    parser.add_argument("--workers", type=int, default=2, help="Dask LocalCluster worker processes")
    parser.add_argument("--queries", type=int, default=200, help="cases for the pgmpy comparison")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--skip-big", action="store_true", help="leave out the 10,000,000-row memory run")
    parser.add_argument("--skip-narrative", action="store_true", help="leave out the narrative runs")
    parser.add_argument("--skip-pgmpy", action="store_true", help="leave out the pgmpy comparison")
    args = parser.parse_args(argv)

    DATA.mkdir(exist_ok=True)
    model = load_model()
    print("# spinecheck batch benchmark")
    print(f"date: {dt.date.today().isoformat()}")
    print(f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu_model()}, "
          f"load average {os.getloadavg()[0]:.1f} at start")
    print(f"python {platform.python_version()}, numpy {np.__version__}, pyarrow {pa.__version__}")
    print(f"knowledge base {model.kb.version} ({model.kb.content_hash[:12]}): {len(model.condition_ids)} conditions, "
          f"{len(model.finding_ids)} findings, {len(model.kb.red_flags)} red-flag rules")
    source = bench_structured(model, args.rows, args.workers)
    if not args.skip_big:
        bench_big(source, args.big_rows)
    if not args.skip_narrative:
        bench_narratives(args.narrative_rows, args.workers)
    if not args.skip_pgmpy:
        bench_pgmpy(model, args.queries, args.seed)


if __name__ == "__main__":
    main()
