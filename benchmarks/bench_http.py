"""Load on the HTTP API from a second process on loopback: wrk against uvicorn, bounded in time.

Starts the server (`--workers` uvicorn processes on 127.0.0.1, a free port), runs wrk for a few
seconds per endpoint, prints requests/s and latency percentiles, and samples the server's own
Server-Timing header (parse, engine, serialise) to show where its time goes. It also reports the
CPU time the server's processes spent per request while wrk ran, which other work on a shared
machine inflates less than requests/s.

    .venv/bin/python benchmarks/bench_http.py [--seconds 10] [--connections 8] [--workers 2]

wrk sends the next request as soon as an answer comes, so it measures the most the server can
take and the latency at that saturation. `--rate 800 --interview-rate 300` instead holds the load at fixed rates with
hey (each connection paced at rate / connections requests a second), which is what "sustains 800
requests a second with p99 under 25 ms" asks.

Needs Debian's wrk (`apt-get install wrk`), and hey for `--rate` (`apt-get install hey`). Nothing
here is asserted: the figures go in docs/benchmarks.md with the command.
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


def run_hey(url: str, body: dict[str, object], seconds: int, connections: int, rate: float) -> str:
    command = [
        "hey", "-z", f"{seconds}s", "-c", str(connections), "-q", f"{rate / connections:g}", "-m", "POST",
        "-T", "application/json", "-d", json.dumps(body), url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout


def summary_hey(output: str) -> dict[str, str]:
    """hey's report in wrk's terms: requests/s, count, percentiles in ms, answers other than 200."""
    found: dict[str, str] = {}
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    found["requests/s"] = rate.group(1) if rate else "0"
    codes = {int(code): int(count) for code, count in re.findall(r"\[(\d+)\]\s+(\d+) responses", output)}
    found["requests"] = str(sum(codes.values()))
    found["non-2xx"] = str(sum(count for code, count in codes.items() if not 200 <= code < 300))
    for percentile in ("50", "90", "99"):
        match = re.search(rf"\b{percentile}% in ([\d.]+) secs", output)
        found[f"p{percentile}"] = f"{float(match.group(1)) * 1000:.2f}ms" if match else "?"
    return found


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
    parser.add_argument("--rate", type=float, default=None,
                        help="Hold the load at this many requests a second (hey) instead of saturating it (wrk).")
    parser.add_argument("--interview-rate", type=float, default=None,
                        help="With --rate: the rate for /v1/interview (default: the same as --rate).")
    args = parser.parse_args()
    tool = "hey" if args.rate else "wrk"
    if shutil.which(tool) is None:
        raise SystemExit(f"{tool} is missing: apt-get install -y --no-install-recommends {tool}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "spinecheck.interfaces.http.server", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(args.workers)],
        cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base)
        rates = {"/v1/assess": args.rate, "/v1/interview": args.interview_rate or args.rate}
        for path, body in (("/v1/assess", ASSESS), ("/v1/interview", INTERVIEW)):
            url = base + path
            rate = rates[path]
            for _ in range(20):
                post(url, body)  # warm every worker
            phases: dict[str, list[float]] = {}
            for _ in range(args.samples):
                for phase, ms in post(url, body)[0].items():
                    phases.setdefault(phase, []).append(ms)
            cpu_before = cpu_seconds(server.pid)
            if rate:
                figures = summary_hey(run_hey(url, body, args.seconds, args.connections, rate))
            else:
                figures = summary(run_wrk(url, body, args.seconds, args.connections))
            cpu_per_request = (cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, int(figures["requests"]))
            print(f"POST {path}: {figures['requests/s']} requests/s, p50 {figures['p50']}, p90 {figures['p90']}, "
                  f"p99 {figures['p99']}, non-2xx {figures['non-2xx']} "
                  f"({args.connections} connections, {args.seconds} s, {args.workers} workers"
                  + (f", held at {rate:g} requests/s by hey)" if rate else ", wrk)"))
            print(f"  server CPU per request under load: {cpu_per_request:.2f} ms (all workers, user + system)")
            for phase, values in phases.items():
                print(f"  server time {phase:<10} median {statistics.median(values):7.3f} ms   "
                      f"p90 {statistics.quantiles(values, n=10)[-1]:7.3f} ms  ({len(values)} sequential requests)")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
