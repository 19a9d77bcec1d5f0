"""Assessing a description: the reader's findings merged with stated ones, and what was not understood."""

from __future__ import annotations

import subprocess
import sys

import pytest

import spinecheck.interfaces.wiring  # noqa: F401  (plugs the medspaCy reader into the services)
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.services import evaluation, narrative


def test_a_description_is_assessed_from_what_it_says(mini_model: CompiledModel) -> None:
    result = narrative.assess_text("back pain for 2 weeks and numb down there. No fever.", mini_model)
    assert set(result.findings.present) >= {"low_back_pain", "duration_acute", "saddle_numbness"}
    assert "fever" in result.findings.absent
    assert result.red_flags


def test_a_finding_stated_explicitly_wins_over_the_text(mini_model: CompiledModel) -> None:
    result = narrative.assess_text("no fever", mini_model, present=["fever"])
    assert "fever" in result.findings.present
    assert "fever" not in result.findings.absent


def test_a_stated_age_and_sex_are_used(mini_model: CompiledModel) -> None:
    result = narrative.assess_text("I'm a 67-year-old woman with back pain", mini_model)
    assert (result.age, result.sex) == (67, "female")


def test_text_not_understood_is_named_in_the_notes(mini_model: CompiledModel) -> None:
    result = narrative.assess_text("back pain, and my cat is purple", mini_model)
    assert any(note.startswith('I did not understand: "my cat is purple"') for note in result.notes)


def test_an_empty_description_is_a_clear_error(mini_model: CompiledModel) -> None:
    with pytest.raises(EvidenceError, match="the description is empty"):
        narrative.assess_text("  ", mini_model)


def test_the_narrative_eval_mode_is_registered() -> None:
    assert evaluation.RUNNERS["narrative"] is narrative.run_narrative_mode


def test_the_vignette_age_fills_in_when_the_text_has_none(mini_model: CompiledModel) -> None:
    vignette = evaluation.Vignette(
        id="t-1", narrative="back pain", age=71, sex="male", gold_condition="x", gold_triage="routine"
    )
    outcome = narrative.run_narrative_mode(mini_model, vignette)
    assert (outcome.assessment.age, outcome.assessment.sex) == (71, "male")


def test_the_command_line_does_not_load_spacy_until_text_is_read() -> None:
    code = "import sys, spinecheck.interfaces.cli.app; print('spacy' in sys.modules or 'medspacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
