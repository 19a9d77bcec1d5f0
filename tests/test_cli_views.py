"""Two views of one result: plain words for the person, the working for the clinician; the emergency first."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from cli_support import assert_no_traceback, invoke
from spinecheck.core.assessment import Assessment, assess
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.interfaces.cli.render import assessment_view

SCIATICA = Evidence(
    present=frozenset({"low_back_pain", "leg_pain_below_knee", "leg_pain_unilateral", "worse_coughing_sneezing",
                       "weakness_big_toe_extension"}),
    absent=frozenset({"fever", "saddle_numbness"}),
    age=41, sex="male",
)
CAUDA_EQUINA_WITH_FEVER = Evidence(present=frozenset({"low_back_pain", "saddle_numbness", "fever"}), age=50)


BOX = re.compile(r"[│╭╮╰╯─┃━]")


def shown(result: Assessment, *, clinician: bool = False, width: int = 100) -> str:
    """The text as the terminal shows it, panel borders blanked out."""
    console = Console(width=width, record=True, force_terminal=False, color_system=None)
    console.print(assessment_view(result, clinician=clinician))
    return BOX.sub(" ", console.export_text())


def test_the_persons_view_has_no_ratios_and_no_source_keys(model: CompiledModel) -> None:
    text = shown(assess(model, SCIATICA))
    assert "likelihood ratio" not in text and "source" not in text and "×" not in text
    assert not [key for key in model.kb.sources if re.search(rf"\b{key}\b", text)]


def test_the_persons_view_gives_the_likely_causes_with_a_bar_and_a_plain_reason(model: CompiledModel) -> None:
    result = assess(model, SCIATICA)
    text = shown(result)
    assert "What could be causing it" in text and "█" in text
    top = result.conditions[0]
    assert top.name in text and top.summary.split(",")[0] in text


def test_the_persons_view_gives_the_self_care_advice_and_the_specialist(model: CompiledModel) -> None:
    result = assess(model, SCIATICA.model_copy(update={"present": SCIATICA.present - {"weakness_big_toe_extension"}}))
    assert result.triage.level.value == "routine" and result.care is not None
    text = " ".join(shown(result).split())
    assert " ".join(result.care.self_care[0].split()) in text
    assert " ".join(result.care.specialist.split()) in text


def test_the_persons_view_lists_the_open_warning_signs_and_how_to_answer_them(model: CompiledModel) -> None:
    text = " ".join(shown(assess(model, SCIATICA)).split())
    assert "Questions still open" in text and "Losing control of your bowels" in text
    assert "spinecheck interview" in text


@pytest.mark.parametrize("clinician", [False, True], ids=["person", "clinician"])
def test_the_emergency_message_comes_first(model: CompiledModel, clinician: bool) -> None:
    result = assess(model, CAUDA_EQUINA_WITH_FEVER)
    assert result.triage.level.value == "emergency"
    text = shown(result, clinician=clinician)
    assert text.lstrip().splitlines()[0].count("EMERGENCY") == 1
    assert text.index(result.emergency_services[:40]) < text.index("What to do now")


def test_advice_for_a_lower_level_never_appears_beside_the_emergency_in_the_persons_view(model: CompiledModel) -> None:
    result = assess(model, CAUDA_EQUINA_WITH_FEVER)
    lower = [flag.message for flag in result.red_flags if flag.level.value != "emergency"]
    assert lower, "the case should also fire a rule below emergency"
    person = " ".join(shown(result).split())
    clinician = " ".join(shown(result, clinician=True).split())
    for message in lower:
        assert " ".join(message.split())[:60] not in person
        assert " ".join(message.split())[:60] in clinician


def test_the_clinicians_view_shows_ratios_sources_and_the_localisation(model: CompiledModel) -> None:
    result = assess(model, SCIATICA)
    text = " ".join(shown(result, clinician=True).split())
    assert "likelihood ratio" in text and "source:" in text
    assert result.localisation is not None and result.localisation.level in text
    assert result.localisation.explanation[0][:40] in text


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120])
@pytest.mark.parametrize("clinician", [False, True], ids=["person", "clinician"])
def test_condition_names_are_never_cut_in_the_middle_of_a_word(
    model: CompiledModel, width: int, clinician: bool
) -> None:
    result = assess(model, SCIATICA, max_conditions=8)
    words = set(shown(result, clinician=clinician, width=width).split())
    limit = 8 if clinician else 5
    for condition in result.conditions[:limit]:
        for word in condition.name.split():
            assert word in words or any(word in token for token in words), (width, word)
    assert "…" not in shown(result, clinician=clinician, width=width)


def test_the_person_sees_the_side_of_one_sided_symptoms() -> None:
    result = invoke(["check", "shooting pain down my left leg below the knee and my left foot slaps", "--no-ask"])
    assert_no_traceback(result)
    assert "left side" in result.stdout


def test_clinician_view_from_the_command_line() -> None:
    result = invoke(["check", "--present", "low_back_pain,leg_pain_below_knee", "--clinician", "--no-ask"])
    assert_no_traceback(result)
    assert result.exit_code == 0 and "likelihood ratio" in " ".join(result.stdout.split())


def test_contradictions_are_shown_to_the_person(model: CompiledModel) -> None:
    both = frozenset({"fever"})
    text = " ".join(shown(assess(model, Evidence(present=both | {"low_back_pain"}, absent=both))).split())
    assert "The answers disagree: 'fever' was given both as present and as absent" in text
