"""One assessment and one posterior, timed against another version of spinecheck in the same run.

On a shared, noisy machine absolute timings swing from run to run; the ratio of two versions
measured in alternating rounds is the figure to trust. Run from the repository root:

    git worktree add /tmp/spinecheck-before <commit>      # or any checkout of another version
    .venv/bin/python benchmarks/compare_versions.py --other /tmp/spinecheck-before

Each version runs in its own process (the other one with its `src` first on `PYTHONPATH`) on
the same sampled cases; rounds alternate between them; each round prints the median thread CPU
time per call, and the last lines the smallest median of each version and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent


def worker(what: str, cases: int) -> None:
    """Time `assess()` or `posterior()` per call, one round for each line read from stdin."""
    import numpy as np

    sys.path.insert(0, str(HERE))
    from harness import sample_evidence
    from spinecheck.core.assessment import assess
    from spinecheck.core.inference import posterior
    from spinecheck.services.assessment import load_model

    model = load_model()
    sampled = sample_evidence(model, np.random.default_rng(20240501), cases)
    checked = [model.check_evidence(evidence) for evidence in sampled]
    call = (lambda e: assess(model, e)) if what == "assess" else (lambda e: posterior(model, e))
    for evidence in checked[:200]:
        call(evidence)
    print("ready", flush=True)
    for _ in sys.stdin:
        samples = []
        for evidence in checked:
            start = time.thread_time_ns()
            call(evidence)
            samples.append(time.thread_time_ns() - start)
        print(json.dumps(float(np.median(samples)) / 1000), flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--other", type=Path, required=True, help="repository root of the other version")
    parser.add_argument("--what", choices=["assess", "posterior"], default="assess")
    parser.add_argument("--cases", type=int, default=2_000, help="cases per round")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.what, args.cases)
        return
    command = [sys.executable, __file__, "--worker", "--other", ".", "--what", args.what, "--cases", str(args.cases)]
    other_env = dict(os.environ, PYTHONPATH=str(args.other.resolve() / "src"))
    versions = {
        "this": subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True),
        "other": subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=other_env),
    }
    for process in versions.values():
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    medians: dict[str, list[float]] = {name: [] for name in versions}
    print(f"# {args.what}(): median thread CPU time per call (µs), {args.cases:,} cases a round")
    print("| round | this | other |\n| ---: | ---: | ---: |")
    for number in range(1, args.rounds + 1):
        for name, process in versions.items():
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write("go\n")
            process.stdin.flush()
            medians[name].append(json.loads(process.stdout.readline()))
        print(f"| {number} | {medians['this'][-1]:.1f} | {medians['other'][-1]:.1f} |")
    for process in versions.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    this, other = min(medians["this"]), min(medians["other"])
    print(f"\nsmallest median: this {this:.1f} µs, other {other:.1f} µs; this / other = {this / other:.2f}")


if __name__ == "__main__":
    main()
