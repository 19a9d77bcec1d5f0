"""How fast the engine is: one assessment, a million cases in a batch, and pgmpy for reference.

Run from the repository root:

    .venv/bin/python benchmarks/bench_engine.py            # the packaged knowledge base
    .venv/bin/python benchmarks/bench_engine.py --kb tests/fixtures/mini_kb

The pgmpy comparison runs in benchmarks/.venv-pgmpy, which is created on first use from
benchmarks/requirements-pgmpy.txt (pass --skip-pgmpy to leave it out). Figures go to stdout;
docs/benchmarks.md records them with the machine they came from.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from harness import (
    comparable_evidence,
    exact_posterior,
    merged_posteriors,
    network_query,
    network_spec,
    sample_evidence,
    synthetic_states,
)
from spinecheck.core.assessment import assess
from spinecheck.core.inference import posterior, score_batch
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.core.triage import triage_batch
from spinecheck.services.assessment import load_model

HERE = Path(__file__).resolve().parent
PGMPY_ENV = HERE / ".venv-pgmpy"
PGMPY_REQUIREMENTS = HERE / "requirements-pgmpy.txt"
PGMPY_WORKER = HERE / "pgmpy_worker.py"
AGREEMENT = 1e-6


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def percentile_us(samples_ns: Sequence[int], q: float) -> float:
    return float(np.percentile(np.asarray(samples_ns, dtype=np.float64), q)) / 1000.0


def time_each(function: Callable[[Evidence], object], cases: Sequence[Evidence]) -> list[int]:
    """Nanoseconds per call, after one pass over a few cases to warm caches."""
    for evidence in cases[:50]:
        function(evidence)
    samples: list[int] = []
    for evidence in cases:
        start = time.perf_counter_ns()
        function(evidence)
        samples.append(time.perf_counter_ns() - start)
    return samples


def bench_single(model: CompiledModel, rng: np.random.Generator, count: int) -> None:
    cases = sample_evidence(model, rng, count)
    checked = [model.check_evidence(evidence) for evidence in cases]
    raw = time_each(lambda evidence: posterior(model, evidence), checked)
    full = time_each(lambda evidence: assess(model, evidence), cases)
    answered = np.mean([len(e.present) + len(e.absent) for e in checked])
    present = np.mean([len(e.present) for e in checked])
    average = f"{answered:.0f} answers, {present:.0f} present, on average"
    print(f"\n## One assessment, in-process ({count:,} cases; {average})")
    print("| what | median | p99 |")
    print("| --- | ---: | ---: |")
    print(f"| posterior() | {percentile_us(raw, 50):.1f} µs | {percentile_us(raw, 99):.1f} µs |")
    print(f"| assess() | {percentile_us(full, 50):.1f} µs | {percentile_us(full, 99):.1f} µs |")


def bench_batch(model: CompiledModel, rng: np.random.Generator, count: int) -> None:
    states = synthetic_states(model, rng, count)
    age = rng.integers(18, 91, size=count).astype(np.float64)
    sex = rng.integers(1, 3, size=count).astype(np.int8)
    score_batch(model, states[:1000], age[:1000], sex[:1000])  # warm-up

    start = time.perf_counter()
    probabilities = score_batch(model, states, age, sex)
    scored = time.perf_counter() - start
    start = time.perf_counter()
    levels = triage_batch(model, states, probabilities, age, sex)
    triaged = time.perf_counter() - start

    counts = np.bincount(levels, minlength=4)
    print(f"\n## Batch, {count:,} synthetic cases in memory (float32)")
    print("| what | seconds | cases per minute |")
    print("| --- | ---: | ---: |")
    print(f"| score_batch | {scored:.2f} | {count / scored * 60:,.0f} |")
    both = scored + triaged
    print(f"| score_batch + triage_batch | {both:.2f} | {count / both * 60:,.0f} |")
    shares = ", ".join(f"{n / count:.1%}" for n in counts)
    print(f"\nlevels self-care / routine / urgent / emergency: {shares}")


def ensure_pgmpy_env() -> Path:
    """benchmarks/.venv-pgmpy/bin/python, creating the environment the first time."""
    python = PGMPY_ENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PGMPY_ENV.relative_to(HERE.parent)} (first run only) ...", file=sys.stderr)
        for command in (
            [sys.executable, "-m", "venv", str(PGMPY_ENV)],
            [str(python), "-m", "pip", "install", "--quiet", "-r", str(PGMPY_REQUIREMENTS)],
        ):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                print(done.stdout + done.stderr, file=sys.stderr)
                shutil.rmtree(PGMPY_ENV, ignore_errors=True)  # so that the next run starts afresh
                sys.exit(f"could not create {PGMPY_ENV} (see above); run again, or pass --skip-pgmpy")
    return python


def run_pgmpy(network: dict[str, Any], queries: list[dict[str, str]]) -> dict[str, Any]:
    python = ensure_pgmpy_env()
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "input.json", Path(folder) / "output.json"
        source.write_text(json.dumps({"network": network, "queries": queries}), encoding="utf-8")
        subprocess.run([str(python), str(PGMPY_WORKER), str(source), str(target)], check=True)
        result: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return result


def bench_pgmpy(model: CompiledModel, rng: np.random.Generator, count: int) -> None:
    cases = comparable_evidence(model, rng, count)
    ours = time_each(lambda evidence: posterior(model, evidence), cases)
    network = network_spec(model)
    result = run_pgmpy(network, [network_query(model, evidence) for evidence in cases])

    expected: npt.NDArray[np.float64] = np.array([exact_posterior(model, evidence) for evidence in cases])
    # a condition with forms is one state per form in the network (ADR 0023): its forms are added up
    theirs = merged_posteriors(network, np.array(result["posteriors"], dtype=np.float64), len(model.condition_ids))
    difference = float(np.abs(theirs - expected).max())
    ours_median = percentile_us(ours, 50)
    theirs_median = percentile_us(result["latencies_ns"], 50)
    print(f"\n## Against pgmpy {result['pgmpy']} VariableElimination ({count} cases, numpy {result['numpy']})")
    print("| engine | median per query | p99 |")
    print("| --- | ---: | ---: |")
    print(f"| spinecheck posterior() | {ours_median:.1f} µs | {percentile_us(ours, 99):.1f} µs |")
    print(
        f"| pgmpy VariableElimination.query | {theirs_median:,.1f} µs "
        f"| {percentile_us(result['latencies_ns'], 99):,.1f} µs |"
    )
    print(f"\nspeed-up (median/median): {theirs_median / ours_median:,.0f}×")
    verdict = "agree" if difference <= AGREEMENT else "DISAGREE"
    print(f"posteriors {verdict}: largest difference {difference:.1e} (tolerance {AGREEMENT:.0e})")
    print(f"torch installed in the pgmpy environment: {result['torch_installed']}")
    if difference > AGREEMENT:
        sys.exit("pgmpy and spinecheck disagree: the comparison is not valid")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kb", type=Path, default=None, help="knowledge-base folder (default: the packaged one)")
    parser.add_argument("--cases", type=int, default=5_000, help="single cases to time")
    parser.add_argument("--batch", type=int, default=1_000_000, help="cases in the batch benchmark")
    parser.add_argument("--queries", type=int, default=200, help="cases for the pgmpy comparison")
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--skip-pgmpy", action="store_true", help="leave out the pgmpy comparison")
    args = parser.parse_args(argv)

    model = load_model(args.kb.resolve() if args.kb else None)
    if not model.condition_ids:
        sys.exit("the knowledge base has no conditions yet; pass --kb tests/fixtures/mini_kb")
    rng = np.random.default_rng(args.seed)
    kb_name = str(args.kb) if args.kb else "packaged knowledge base"
    print("# spinecheck engine benchmark")
    print(f"date: {dt.date.today().isoformat()}")
    print(f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu_model()}")
    print(f"python {platform.python_version()}, numpy {np.__version__}")
    print(
        f"knowledge base: {kb_name} {model.kb.version} ({model.kb.content_hash[:12]}), "
        f"{len(model.condition_ids)} conditions, {len(model.finding_ids)} findings, "
        f"{len(model.kb.red_flags)} red-flag rules, {len(model.modifiers)} prior modifiers"
    )
    bench_single(model, rng, args.cases)
    bench_batch(model, rng, args.batch)
    if not args.skip_pgmpy:
        bench_pgmpy(model, rng, args.queries)


if __name__ == "__main__":
    main()
