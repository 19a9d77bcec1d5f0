"""`spinecheck diary ...` in the terminal: add (the alert first), list, chart, report, export, import, delete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from spinecheck.interfaces.cli.app import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPINECHECK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SPINECHECK_PERSON", raising=False)
    return tmp_path


def diary(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["diary", *args])
    return result.exit_code, result.output


def test_entries_from_the_terminal_with_the_alert_first(data_dir: Path) -> None:
    assert diary("add", "--back", "4", "--left", "6", "--walk", "800", "--at", "2026-03-01T08:00")[0] == 0
    code, output = diary("add", "--back", "5", "--left", "6", "--bladder", "hard_to_pass", "--at", "2026-03-02T08:00")
    assert code == 0
    assert output.lstrip().startswith("╭") and "ALERT" in output.splitlines()[0]
    assert "Cauda equina" in output
    code, output = diary("add", "--weak", "elbow")
    assert code == 2 and "weakness[0]" in output
    code, output = diary("list", "--json")
    entries = json.loads(output)
    # the first entry leaves the warning-sign screen unanswered: never an all-clear
    assert [entry["assessment"]["level"] for entry in entries] == ["routine", "emergency"]
    assert entries[0]["assessment"]["status"] == "incomplete"
    assert (data_dir / "spinecheck.db").exists()


def test_chart_report_export_import_and_delete(data_dir: Path, tmp_path: Path) -> None:
    for day, back in ((1, 3), (2, 5), (3, 6)):
        diary("add", "--back", str(back), "--at", f"2026-03-0{day}T08:00", "--notes", f"day {day}")
    code, output = diary("chart", "--metric", "pain")
    assert code == 0 and output.count('class="point"') == 3
    assert diary("report", "--output", str(tmp_path / "report.pdf"))[0] == 0
    assert "summary for the doctor" in PdfReader(str(tmp_path / "report.pdf")).pages[0].extract_text()
    assert diary("export", "--format", "fhir", "--output", str(tmp_path / "diary.json"))[0] == 0
    code, output = diary("import", str(tmp_path / "diary.json"), "--person", "copy@example.org")
    assert code == 0 and "imported 3 entries" in output
    first = json.loads(diary("list", "--json")[1])[0]["id"]
    assert diary("delete", first[:8])[0] == 0
    assert len(json.loads(diary("list", "--json")[1])) == 2
    assert diary("delete", "--all", "--yes")[0] == 0
    assert json.loads(diary("list", "--json")[1]) == []
    assert len(json.loads(diary("list", "--json", "--person", "copy@example.org")[1])) == 3
