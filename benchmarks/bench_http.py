"""Load on the HTTP API from a second process on loopback: wrk against uvicorn, bounded in time.

Starts the server (`--workers` uvicorn processes on 127.0.0.1, a free port), runs wrk for a few
seconds per endpoint, prints requests/s and latency percentiles, and samples the server's own
Server-Timing header (parse, engine, serialise) to show where its time goes. It also reports the
CPU time the server's processes spent per request while wrk ran, which other work on a shared
machine inflates less than requests/s.

    .venv/bin/python benchmarks/bench_http.py [--seconds 10] [--connections 8] [--workers 2]

Needs Debian's wrk (`apt-get install wrk`). Nothing here is asserted: the figures go in
docs/benchmarks.md with the command.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSESS = {
    "present": [
        "low_back_pain", "leg_pain", "leg_pain_below_knee", "leg_pain_unilateral", "weakness_big_toe_extension",
    ],
    "absent": ["saddle_numbness", "bladder_retention", "fever"],
    "age": 42,
    "sex": "male",
}
INTERVIEW = {"state": {"age": 42, "sex": "male", "answers": {"low_back_pain": "yes", "leg_pain": "yes"}}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def post(url: str, body: dict[str, object]) -> tuple[dict[str, float], bytes]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        timing = response.headers.get("Server-Timing", "")
        content = response.read()
    phases = {name: float(ms) for name, ms in re.findall(r"(\w+);dur=([\d.]+)", timing)}
    return phases, content


def wait_until_up(base: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise SystemExit("the server did not start")


def run_wrk(url: str, body: dict[str, object], seconds: int, connections: int) -> str:
    script = (
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(body))}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", handle.name, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and of its child processes (uvicorn's workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    total = 0.0
    for process in pids:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def summary(output: str) -> dict[str, str]:
    found = {"requests/s": re.search(r"Requests/sec:\s+([\d.]+)", output)}
    found["requests"] = re.search(r"(\d+) requests in", output)
    for percentile in ("50%", "90%", "99%"):
        found[f"p{percentile[:-1]}"] = re.search(rf"{percentile}\s+([\d.]+\w+)", output)
    found["non-2xx"] = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {key: (match.group(1) if match else "0") for key, match in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--samples", type=int, default=200, help="Requests sampled for the Server-Timing breakdown.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y --no-install-recommends wrk")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "spinecheck.interfaces.http.server", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(args.workers)],
        cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base)
        for path, body in (("/v1/assess", ASSESS), ("/v1/interview", INTERVIEW)):
            url = base + path
            for _ in range(20):
                post(url, body)  # warm every worker
            phases: dict[str, list[float]] = {}
            for _ in range(args.samples):
                for phase, ms in post(url, body)[0].items():
                    phases.setdefault(phase, []).append(ms)
            cpu_before = cpu_seconds(server.pid)
            figures = summary(run_wrk(url, body, args.seconds, args.connections))
            cpu_per_request = (cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, int(figures["requests"]))
            print(f"POST {path}: {figures['requests/s']} requests/s, p50 {figures['p50']}, p90 {figures['p90']}, "
                  f"p99 {figures['p99']}, non-2xx {figures['non-2xx']} "
                  f"({args.connections} connections, {args.seconds} s, {args.workers} workers)")
            print(f"  server CPU per request under load: {cpu_per_request:.2f} ms (all workers, user + system)")
            for phase, values in phases.items():
                print(f"  server time {phase:<10} median {statistics.median(values):7.3f} ms   "
                      f"p90 {statistics.quantiles(values, n=10)[-1]:7.3f} ms  ({len(values)} sequential requests)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
