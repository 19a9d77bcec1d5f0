"""One assessment, one posterior or one whole API request, timed against another version of spinecheck in the same run.

On a shared, noisy machine absolute timings swing from run to run; the ratio of two versions
measured in alternating rounds is the figure to trust. Run from the repository root:

    git worktree add /tmp/spinecheck-before <commit>      # or any checkout of another version
    .venv/bin/python benchmarks/compare_versions.py --other /tmp/spinecheck-before

Each version runs in its own process (the other one with its `src` first on `PYTHONPATH`) on
the same sampled cases; rounds alternate between them; each round prints the median thread CPU
time per call, and the last lines the smallest median of each version and their ratio.

`--what request` times the whole of `POST /v1/assess` in process (the ASGI application, from the
security layer through routing, the body's validation, the assessment and its JSON, without a
network or a server) on the sampled cases sent as findings; `--what bench-request` does the same
with the one request `bench_http.py` sends.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def worker(what: str, cases: int) -> None:
    """Time `assess()` or `posterior()` per call, one round for each line read from stdin."""
    import numpy as np

    if what in ("request", "bench-request"):
        request_worker(what, cases)
        return

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


def request_worker(what: str, cases: int) -> None:
    """Time `POST /v1/assess` through the whole ASGI application, one round for each line read from stdin."""
    import asyncio
    import logging

    import numpy as np

    sys.path.insert(0, str(HERE))
    from bench_http import ASSESS
    from harness import sample_evidence
    from spinecheck.interfaces.http.app import create_app
    from spinecheck.services.assessment import load_model

    logging.disable(logging.WARNING)
    app = create_app()
    if what == "bench-request":
        bodies = [json.dumps(ASSESS).encode()] * cases
    else:
        sampled = sample_evidence(load_model(), np.random.default_rng(20240501), cases)
        bodies = [
            json.dumps({"present": sorted(e.present), "absent": sorted(e.absent), "age": e.age, "sex": e.sex}).encode()
            for e in sampled
        ]

    async def call(body: bytes) -> int:
        async def receive() -> MutableMapping[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        status = 0

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(str(message["status"]))

        await app({
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
            "path": "/v1/assess", "raw_path": b"/v1/assess", "query_string": b"", "root_path": "",
            "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": {},
        }, receive, send)
        return status

    async def round_of(bodies: list[bytes]) -> list[int]:
        samples = []
        for body in bodies:
            start = time.thread_time_ns()
            status = await call(body)
            samples.append(time.thread_time_ns() - start)
            assert status == 200, status
        return samples

    loop = asyncio.new_event_loop()
    loop.run_until_complete(round_of(bodies[:200]))
    print("ready", flush=True)
    for _ in sys.stdin:
        print(json.dumps(float(np.median(loop.run_until_complete(round_of(bodies)))) / 1000), flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--other", type=Path, required=True, help="repository root of the other version")
    parser.add_argument("--what", choices=["assess", "posterior", "request", "bench-request"], default="assess")
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
    print(f"# {args.what}: median thread CPU time per call (µs), {args.cases:,} cases a round")
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
