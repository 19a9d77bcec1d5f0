"""The evidence table in docs matches the knowledge base, and its ratios are the model's own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MINI_KB
from spinecheck.core.kb.evidence_table import evidence_rows, evidence_table_markdown
from spinecheck.core.kb.loader import load_knowledge_base
from spinecheck.core.model import CompiledModel
from spinecheck.interfaces.cli.app import app

DOC = Path(__file__).parents[1] / "docs" / "evidence-tables.md"


def test_the_table_in_docs_is_the_one_the_knowledge_base_generates(model: CompiledModel) -> None:
    assert DOC.read_text(encoding="utf-8") == evidence_table_markdown(model.kb), (
        "regenerate it: spinecheck kb evidence --output docs/evidence-tables.md"
    )


def test_the_command_writes_the_table_it_prints(tmp_path: Path) -> None:
    target = tmp_path / "table.md"
    written = CliRunner().invoke(app, ["kb", "evidence", "--kb", str(MINI_KB), "--output", str(target)])
    printed = CliRunner().invoke(app, ["kb", "evidence", "--kb", str(MINI_KB)])
    assert written.exit_code == 0 and printed.exit_code == 0
    assert target.read_text(encoding="utf-8") == printed.stdout


def test_every_examination_and_warning_sign_finding_has_a_row(model: CompiledModel) -> None:
    wanted = {f.id for f in model.kb.findings.values() if f.category.value in ("sign", "test", "red_flag")}
    assert {row.finding for row in evidence_rows(model.kb)} == wanted


def test_no_background_of_an_examination_or_warning_sign_rests_on_the_project_assumption(
    model: CompiledModel,
) -> None:
    assumed = {
        row.finding for row in evidence_rows(model.kb)
        if model.kb.sources[row.background_source].kind.value == "model_assumption"
    }
    assert assumed == set()


def test_a_row_gives_the_ratio_the_model_implies(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    sciatica = root / "conditions" / "sciatica.yaml"
    line = (
        "  - {finding: saddle_numbness, p: 0.05, source: test_source, "
        "accuracy: {sens: 0.05, spec: 0.99, setting: made-up sample}}\n"
    )
    sciatica.write_text(
        sciatica.read_text(encoding="utf-8").replace("likelihoods:\n", "likelihoods:\n" + line), encoding="utf-8"
    )
    kb = load_knowledge_base(root)
    row = next(r for r in evidence_rows(kb) if r.finding == "saddle_numbness" and r.condition == "sciatica")
    assert row.implied_pos == pytest.approx(0.05 / 0.01)
    assert row.implied_neg == pytest.approx(0.95 / 0.99)
    assert "| 5 | 0.96 |" in evidence_table_markdown(kb)


def test_a_finding_no_condition_lists_still_shows_its_background(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    cauda = root / "conditions" / "cauda.yaml"
    text = cauda.read_text(encoding="utf-8")
    cauda.write_text(
        "".join(line for line in text.splitlines(keepends=True) if "finding: bladder_retention" not in line),
        encoding="utf-8",
    )
    rows = [row for row in evidence_rows(load_knowledge_base(root)) if row.finding == "bladder_retention"]
    assert [(row.condition, row.background, row.implied_pos) for row in rows] == [(None, 0.01, None)]
