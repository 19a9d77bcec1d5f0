"""`spinecheck check "description"` as a person runs it: a fresh process each time, with and without `spinecheck serve`.

Run: .venv/bin/python benchmarks/bench_check.py [--warm 20] [--cold 3]

Cold: every run loads the knowledge base and the medspaCy reader itself (SPINECHECK_NO_SERVER=1).
Warm: `spinecheck serve` runs on a private socket and each `check` hands it the work; the time is the
whole command, from starting the process to its exit, as a shell would see it. Both print the JSON
contract, so the outputs are compared too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPINECHECK = ROOT / ".venv" / "bin" / "spinecheck"
DESCRIPTIONS = [
    "my lower back has hurt for 3 weeks, now my left foot slaps when I walk, no fever, I can still pee fine",
    "54M, 2/7 hx of LBP radiating to R leg below knee after lifting, no saddle anaesthesia, bladder and bowels normal",
    "both my legs have gone weak and numb since yesterday and my back hurts",
    "can only walk 100 yards before my legs go heavy, better leaning on the trolley, I'm 72",
    "stiff back every morning for over an hour, gets better when I exercise, I'm 28, my mum has psoriasis",
]


def run(description: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([str(SPINECHECK), "check", description, "--json"], env=env, capture_output=True,
                         text=True, check=True)
    return time.perf_counter() - start, out.stdout


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):.3f} s, p90 {p90:.3f} s, max {ordered[-1]:.3f} s ({len(ordered)} runs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=20, help="warm runs (default 20)")
    parser.add_argument("--cold", type=int, default=3, help="cold runs (default 3)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="spinecheck-bench-"))
    folder.chmod(0o700)
    socket_path = folder / "check.sock"
    env = {**os.environ, "SPINECHECK_SOCKET": str(socket_path), "COLUMNS": "100"}
    env.pop("SPINECHECK_NO_SERVER", None)
    cold_env = {**env, "SPINECHECK_NO_SERVER": "1"}

    cold = [run(DESCRIPTIONS[i % len(DESCRIPTIONS)], cold_env) for i in range(args.cold)]
    start = time.perf_counter()
    server = subprocess.Popen([str(SPINECHECK), "serve"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        ready_line = server.stdout.readline()
        startup = time.perf_counter() - start
        assert "ready on" in ready_line, ready_line
        warm = [run(DESCRIPTIONS[i % len(DESCRIPTIONS)], env) for i in range(args.warm)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    same = all(w[1] == c[1] for w, c in zip(warm, cold, strict=False))

    cold_median = statistics.median(t for t, _ in cold)
    warm_median = statistics.median(t for t, _ in warm)
    print(f"descriptions:         {len(DESCRIPTIONS)} (mean {statistics.mean(map(len, DESCRIPTIONS)):.0f} characters)")
    print(f"cold check:           {summary([t for t, _ in cold])}")
    print(f"server start-up:      {startup:.2f} s (load the knowledge base and the reader once)")
    print(f"warm check:           {summary([t for t, _ in warm])}")
    print(f"speed-up (medians):   {cold_median / warm_median:.1f}x")
    print(f"same JSON both ways:  {same}")
    print("target:               a described case checked in under 1 s after the first")


if __name__ == "__main__":
    main()
