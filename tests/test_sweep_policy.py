"""scripts/sweep_policy.py: a policy number tried in a copy of the knowledge base, never in the shipped one."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from spinecheck.core.kb.loader import load_knowledge_base

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "sweep_policy.py"
MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sweep_policy", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sweep = _script()


def test_a_value_is_written_into_a_copy_that_loads_and_validates(tmp_path: Path) -> None:
    copy = sweep.with_value(MINI_KB, tmp_path, "interview.yaml:max_questions", 7)
    assert yaml.safe_load((copy / "interview.yaml").read_text(encoding="utf-8"))["max_questions"] == 7
    assert load_knowledge_base(copy).interview.max_questions == 7


def test_the_source_knowledge_base_is_left_as_it_was(tmp_path: Path) -> None:
    before = (MINI_KB / "interview.yaml").read_bytes()
    sweep.with_value(MINI_KB, tmp_path, "interview.yaml:max_questions", 3)
    assert (MINI_KB / "interview.yaml").read_bytes() == before


def test_a_misspelt_key_is_refused_rather_than_added(tmp_path: Path) -> None:
    with pytest.raises(sweep.SettingError, match="not a number"):
        sweep.with_value(MINI_KB, tmp_path, "interview.yaml:max_question", 3)


@pytest.mark.parametrize("setting", ["max_questions", "interview.yaml", "interview.yaml:", "interview.yaml:a..b"])
def test_a_setting_without_file_and_key_is_refused(setting: str) -> None:
    with pytest.raises(sweep.SettingError):
        sweep.parse_setting(setting)


def _vignettes(folder: Path) -> Path:
    folder.mkdir()
    cases = [
        {"id": "t-1", "narrative": "numb saddle", "age": 40, "sex": "male", "gold_condition": "cauda",
         "gold_triage": "emergency", "findings": {"saddle_numbness": True, "bladder_retention": True}},
        {"id": "t-2", "narrative": "sore back", "age": 30, "sex": "female", "gold_condition": "strain",
         "gold_triage": "self_care", "findings": {"low_back_pain": True, "duration_acute": True, "fever": False}},
    ]
    (folder / "cases.jsonl").write_text("".join(json.dumps(case) + "\n" for case in cases), encoding="utf-8")
    return folder


def test_each_value_reaches_the_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _vignettes(tmp_path / "cases")
    code = sweep.main(["interview.yaml:max_questions", "1", "20", "--modes", "interview",
                       "--cases", str(cases), "--kb", str(MINI_KB)])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0].startswith("1 ") and lines[0].endswith("median questions 1")
    assert lines[1].startswith("20 ") and not lines[1].endswith("median questions 1")


def test_a_bad_setting_ends_with_a_message_and_code_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _vignettes(tmp_path / "cases")
    code = sweep.main(["interview.yaml:nothing", "1", "--cases", str(cases), "--kb", str(MINI_KB)])
    assert code == 2
    assert "error: interview.yaml:nothing is not a number" in capsys.readouterr().err
