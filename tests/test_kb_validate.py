"""`spinecheck kb validate`: one loader reads every knowledge file and names each problem on one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from spinecheck.core.kb.loader import DEFAULT_ROOT, duplicate_keys
from spinecheck.interfaces.cli.app import app
from spinecheck.services.assessment import load_model


@pytest.fixture
def packaged_copy(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(DEFAULT_ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def edit(path: Path, change: dict[str, object]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(change)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def validate(root: Path) -> list[str]:
    outcome = CliRunner().invoke(app, ["kb", "validate", "--kb", str(root)])
    assert outcome.exit_code == 1
    return [line for line in outcome.output.splitlines() if line.startswith("✗")]


def test_the_packaged_knowledge_base_loads_every_file() -> None:
    kb = load_model().kb
    assert kb.interview is not None and kb.populations is not None and kb.neuroanatomy is not None
    assert set(kb.instruments) == {"oswestry", "start_back"}


def test_a_wrong_field_in_each_kind_of_file_is_one_line_naming_the_file(packaged_copy: Path) -> None:
    edit(packaged_copy / "instruments" / "oswestry.yaml", {"colour": "blue"})
    edit(packaged_copy / "populations.yaml", {"schema_version": 2})
    edit(packaged_copy / "interview.yaml", {"max_questions": 0})
    lines = validate(packaged_copy)
    assert any(line.startswith("✗ instruments/oswestry.yaml: colour: Extra inputs") for line in lines)
    assert any(line.startswith("✗ populations.yaml: schema_version:") for line in lines)
    assert any(line.startswith("✗ interview.yaml: max_questions:") for line in lines)


def test_unknown_ids_in_each_kind_of_file_are_one_line_each(packaged_copy: Path) -> None:
    populations = yaml.safe_load((packaged_copy / "populations.yaml").read_text(encoding="utf-8"))
    populations["population_notes"][0]["source"] = "nobody_2001"
    (packaged_copy / "populations.yaml").write_text(yaml.safe_dump(populations, sort_keys=False), encoding="utf-8")
    edit(packaged_copy / "interview.yaml", {"source": "nowhere"})
    edit(packaged_copy / "instruments" / "start_back.yaml", {"source": "nobody_1999"})
    lines = validate(packaged_copy)
    assert any("populations.yaml" in line and "unknown source 'nobody_2001'" in line for line in lines)
    assert any(line == "✗ interview.yaml: source: unknown source 'nowhere'" for line in lines)
    assert any("instruments/start_back.yaml: start_back: names unknown source(s) nobody_1999" in line for line in lines)


def test_a_key_given_twice_in_one_mapping_is_named_with_its_line() -> None:
    text = "findings:\n  - id: a\n    patterns: [x]\n    label: A\n    patterns: [y]\n"
    assert duplicate_keys(text) == ["line 5: 'patterns' is given twice in one mapping"]


def test_a_key_given_twice_in_a_knowledge_file_fails_validation(packaged_copy: Path) -> None:
    lexicon = packaged_copy / "lexicon" / "en.yaml"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\nspelling:\n  bakk: back\n", encoding="utf-8")
    lines = validate(packaged_copy)
    assert any(line.startswith("✗ lexicon/en.yaml: line ") and "'spelling' is given twice" in line for line in lines)
