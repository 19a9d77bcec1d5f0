"""Free-text reader: how long loading takes and how long one description takes to read.

Run: .venv/bin/python benchmarks/bench_parse.py [--repeat 30]

Load time is measured in a fresh Python process (importing medspaCy and spaCy, reading the
findings and the lexicon, building the matchers), as a person running `spinecheck check "..."`
pays it once: first with an empty cache folder (a first start,
`adapters/nlp/build_cache.py`), then with the folder that start filled (every later start).
Parse latency is per description after load, over the development vignettes'
narratives when data/vignettes/dev.jsonl exists and over a built-in set of descriptions otherwise,
and then over the longer published cases of data/vignettes/external/ (clinician's summary and
the person's own words).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "data" / "vignettes" / "dev.jsonl"
EXTERNAL = [ROOT / "data" / "vignettes" / "external" / name for name in ("exam.jsonl", "reports.jsonl")]

BUILT_IN = [
    "my lower back has hurt for 3 weeks, now my left foot slaps when I walk, no fever, I can still pee fine",
    "54M, 2/7 hx of LBP radiating to R leg below knee after lifting, no saddle anaesthesia, bladder and bowels normal",
    "I'm a 67 year old woman. Back pain for months, worse at night, I've lost a stone without trying. "
    "I had breast cancer 8 years ago.",
    "Fever? yes. Back pain? yes. Numbness down there? not sure. I inject heroin and my back is agony.",
    "both my legs have gone weak and numb since yesterday and I can't pee, my dad had a bad back too",
    "pins and needles in both feet, burning at night, diabetic for 20 years, no back pain at all",
    "can only walk 100 yards before my legs go heavy, better leaning on the trolley, I'm 72",
    "sudden tearing pain in my back, feel faint and clammy, I know I have an aortic aneurysm",
    "stiff back every morning for over an hour, gets better when I exercise, I'm 28, my mum has psoriasis",
    "Hi, not sure if this is the right place. My back went when I bent down to pick up my toddler on Monday. "
    "It's sore but I can walk fine, no numbness or tingling, no problems with my bladder or bowels. Thanks",
]

LOAD = """
import time, sys
t, c = time.perf_counter(), time.process_time()
sys.path.insert(0, {tests!r})
from nlp_support import shipped_parser
shipped_parser().parse("back pain")
print(time.perf_counter() - t, time.process_time() - c)
"""


def narratives() -> tuple[list[str], str]:
    if DEV.exists():
        texts = [json.loads(line)["narrative"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
        if texts:
            return texts, f"{DEV.relative_to(ROOT)} ({len(texts)} narratives)"
    return BUILT_IN, f"built-in set ({len(BUILT_IN)} descriptions)"


def load_seconds(cache: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of loading in a fresh process (CPU time is steadier on a busy machine)."""
    code = LOAD.format(tests=str(ROOT / "tests"))
    environment = {**os.environ, "SPINECHECK_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True,
                         env=environment)
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def cold_load_seconds(runs: int) -> tuple[tuple[float, float], list[float], list[float]]:
    """The first start (an empty cache folder), then `runs` later starts that find it filled."""
    with tempfile.TemporaryDirectory(prefix="spinecheck-bench-cache-") as folder:
        first = load_seconds(Path(folder))
        later = [load_seconds(Path(folder)) for _ in range(runs)]
    return first, [wall for wall, _ in later], [cpu for _, cpu in later]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="passes over the descriptions (default 30)")
    parser.add_argument("--loads", type=int, default=3, help="fresh processes to time loading in (default 3)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "tests"))
    from nlp_support import shipped_parser

    (first_wall, first_cpu), loads, load_cpu = cold_load_seconds(args.loads)
    reader = shipped_parser()
    texts, label = narratives()
    for text in texts:
        reader.parse(text)
    print(f"load, first start:       {first_wall:.2f} s wall, {first_cpu:.2f} s CPU (an empty cache folder)")
    print(f"load (fresh process):    median {statistics.median(loads):.2f} s wall, "
          f"{statistics.median(load_cpu):.2f} s CPU over {len(loads)} runs")
    sets = [(label, texts, args.repeat)]
    external = [
        json.loads(line)[field] for path in EXTERNAL if path.exists()
        for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
        for field in ("narrative", "narrative_patient")
    ]
    if external:
        sets.append((f"published cases ({len(external)} texts)", external, max(1, args.repeat // 10)))
    for name, items, repeat in sets:
        per_parse: list[float] = []
        per_parse_cpu: list[float] = []
        for _ in range(repeat):
            for text in items:
                start, start_cpu = time.perf_counter(), time.process_time()
                reader.parse(text)
                per_parse.append((time.perf_counter() - start) * 1000)
                per_parse_cpu.append((time.process_time() - start_cpu) * 1000)
        per_parse.sort()
        chars = statistics.mean(len(text) for text in items)
        print(f"descriptions:            {name}, mean {chars:.0f} characters")
        print(f"parse latency:           median {statistics.median(per_parse):.2f} ms, "
              f"p90 {per_parse[int(0.9 * (len(per_parse) - 1))]:.2f} ms, max {per_parse[-1]:.2f} ms "
              f"({len(per_parse)} parses)")
        print(f"parse CPU time:          median {statistics.median(per_parse_cpu):.2f} ms")
    print("target:                  median under 20 ms per description after load, load under 3 s")


if __name__ == "__main__":
    main()
