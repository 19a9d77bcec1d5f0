"""Diary throughput: entries re-triaged and stored per second (SQLite in a temporary folder), and the
time to build the report for the doctor as HTML and as PDF.

    .venv/bin/python benchmarks/bench_diary.py [--entries 200]

Prints one line per figure. Each entry is read as findings, compared with the one before it,
assessed by the engine and committed (WAL, synchronous=FULL) before the next starts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from spinecheck.adapters.storage import SqlStorage, sqlite_url
from spinecheck.core.diary import DiaryEntryIn, PersonAnswers
from spinecheck.interfaces import diary_io
from spinecheck.services import accounts, diary
from spinecheck.services.assessment import load_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200)
    args = parser.parse_args()
    model = load_model()
    diary.knowledge(model)
    with tempfile.TemporaryDirectory() as folder:
        store = SqlStorage.open(sqlite_url(Path(folder) / "bench.db"))
        person = accounts.local_account(store)
        diary.save_answers(model, store, person.id, PersonAnswers(
            answers={"low_back_pain": "yes", "leg_pain": "yes", "onset_sudden": "yes"}, age=50))
        start = datetime(2026, 1, 1, tzinfo=UTC)
        began = time.perf_counter()
        for number in range(args.entries):
            diary.add_entry(model, store, person.id, DiaryEntryIn(
                recorded_at=start + timedelta(hours=number), back_pain=number % 11, leg_pain_left=(number * 3) % 11,
                weakness=["left_foot_top"] if number % 7 == 0 else [], walking_distance_m=200 + number % 500))
        elapsed = time.perf_counter() - began
        print(f"entries stored and re-triaged: {args.entries} in {elapsed:.2f} s "
              f"= {args.entries / elapsed:.0f} entries/s ({1000 * elapsed / args.entries:.1f} ms each)")
        began = time.perf_counter()
        html = diary_io.report_html(model, store, person)
        print(f"report HTML ({args.entries} entries): {time.perf_counter() - began:.2f} s, {len(html) // 1024} KiB")
        diary_io.report_pdf(model, store, person)  # the first PDF loads WeasyPrint and the fonts
        began = time.perf_counter()
        pdf = diary_io.report_pdf(model, store, person)
        print(f"report PDF ({args.entries} entries): {time.perf_counter() - began:.2f} s, {len(pdf) // 1024} KiB")
        store.close()


if __name__ == "__main__":
    main()
