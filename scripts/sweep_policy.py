"""What one policy number of the knowledge base does to the published cases, value by value.

    .venv/bin/python scripts/sweep_policy.py triage.yaml:serious_share.value 0.051 0.065 0.085
    .venv/bin/python scripts/sweep_policy.py interview.yaml:max_questions 20 25 --modes interview

Each value is written into a copy of the knowledge base (the shipped one is never touched), the
copy is loaded and validated like any other, and every published set in data/vignettes/external/
is scored, pooled, in each mode. The figures are the ones the issue's targets are stated in:
top-1, top-3, triage exact, under- and over-triage (as counts and shares), emergency
sensitivity and, for the interview, the median number of questions. A policy number is chosen
from evidence; this shows what a choice costs and buys on cases nobody here wrote.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

import yaml

from spinecheck.core.kb.loader import DEFAULT_ROOT
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.interfaces import wiring  # noqa: F401  (plugs the interview and text modes in)
from spinecheck.services.assessment import load_model
from spinecheck.services.evaluation import EvalReport, Mode, evaluate_vignettes, read_vignettes, summarise

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL = ROOT / "data" / "vignettes" / "external"


class SettingError(ValueError):
    """A setting that does not name one existing number in one knowledge-base file."""


def parse_setting(setting: str) -> tuple[str, list[str]]:
    """"triage.yaml:serious_share.value" -> ("triage.yaml", ["serious_share", "value"])."""
    file_name, _, dotted = setting.partition(":")
    if not file_name.endswith(".yaml") or not dotted or any(not key for key in dotted.split(".")):
        raise SettingError(f"'{setting}' is not FILE.yaml:key.key (for example triage.yaml:serious_share.value)")
    return file_name, dotted.split(".")


def with_value(source: Path, folder: Path, setting: str, value: float) -> Path:
    """A copy of the knowledge base in `folder` with `setting` set to `value`; the number it replaces
    must exist, so that a misspelt key fails instead of adding a setting nothing reads."""
    file_name, keys = parse_setting(setting)
    copy = folder / "knowledge"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    target = copy / file_name
    if not target.is_file():
        raise SettingError(f"the knowledge base has no file {file_name}")
    data: Any = yaml.safe_load(target.read_text(encoding="utf-8"))
    holder = data
    for key in keys[:-1]:
        holder = holder.get(key) if isinstance(holder, dict) else None
    if not isinstance(holder, dict) or not isinstance(holder.get(keys[-1]), int | float):
        raise SettingError(f"{setting} is not a number in {file_name}")
    holder[keys[-1]] = int(value) if isinstance(holder[keys[-1]], int) and value == int(value) else value
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return copy


def pooled(kb: Path, mode: Mode, files: Sequence[Path]) -> EvalReport:
    """The pooled report of every case in `files`, scored in `mode` with the knowledge base at `kb`."""
    model = load_model(kb)
    rows = [row for path in files for row in evaluate_vignettes(model, read_vignettes(path), mode).rows]
    return summarise(model, mode, rows)


def line(value: float, report: EvalReport) -> str:
    """One value's figures in one mode: shares, with the under- and over-triaged and the emergencies as counts."""
    n = report.n
    emergencies = sum(1 for row in report.rows if row.gold_triage == TriageLevel.EMERGENCY)
    caught = round((report.emergency_sensitivity or 0.0) * emergencies)
    median = "" if report.questions_median is None else f"  median questions {report.questions_median:g}"
    return (
        f"{value:<8g} {report.mode:<10} top-1 {report.top1:.3f}  top-3 {report.top3:.3f}  "
        f"triage {report.triage_exact:.3f}  under {round(report.under_triage * n)} ({report.under_triage:.3f})  "
        f"over {round(report.over_triage * n)} ({report.over_triage:.3f})  emergencies {caught}/{emergencies}{median}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("setting", help="FILE.yaml:key.key, a number of the knowledge base")
    parser.add_argument("values", nargs="+", type=float, help="the values to try")
    parser.add_argument("--modes", default="findings,interview", help="comma-separated eval modes")
    parser.add_argument("--cases", type=Path, default=EXTERNAL, help="folder of vignette files (*.jsonl)")
    parser.add_argument("--kb", type=Path, default=DEFAULT_ROOT, help="knowledge base to copy (default: shipped)")
    args = parser.parse_args(argv)
    files = sorted(args.cases.glob("*.jsonl"))
    if not files:
        parser.error(f"no vignette files in {args.cases}")
    modes = [mode for mode in args.modes.split(",") if mode in get_args(Mode)]
    if len(modes) != len(args.modes.split(",")):
        parser.error(f"--modes takes {', '.join(get_args(Mode))}")
    try:
        parse_setting(args.setting)
        for value in args.values:
            with tempfile.TemporaryDirectory() as folder:
                kb = with_value(args.kb, Path(folder), args.setting, value)
                for mode in modes:
                    print(line(value, pooled(kb, mode, files)), flush=True)
    except SettingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
