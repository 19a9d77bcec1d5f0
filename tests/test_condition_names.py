"""Finding a condition by the name a case report or exam answer gives it."""

from __future__ import annotations

import pytest

from spinecheck.core.model import CompiledModel


@pytest.mark.parametrize("name", ["sciatica alias", "Test condition sciatica", "SCIATICA", "sciatica"])
def test_a_condition_is_found_by_id_name_or_alias_whatever_the_case(mini_model: CompiledModel, name: str) -> None:
    found = mini_model.kb.condition_by_name(name)
    assert found is not None and found.id == "sciatica"


def test_a_name_with_another_name_in_brackets_is_found_by_either(mini_model: CompiledModel) -> None:
    outside = mini_model.kb.condition_by_name("Sciatica alias (lumbar root pain)")
    inside = mini_model.kb.condition_by_name("Lumbar root pain (sciatica alias)")
    assert outside is not None and outside.id == "sciatica"
    assert inside is not None and inside.id == "sciatica"


def test_accents_and_british_spelling_do_not_stop_a_match(model: CompiledModel) -> None:
    assert model.kb.condition_by_name("Guillain-Barre syndrome") is model.kb.conditions["guillain_barre_syndrome"]
    assert model.kb.condition_by_name("Meralgia paresthetica") is model.kb.conditions["meralgia_paraesthetica"]
    assert model.kb.condition_by_name("ischemic stroke") is model.kb.conditions["stroke"]


def test_an_unknown_name_finds_nothing(mini_model: CompiledModel) -> None:
    assert mini_model.kb.condition_by_name("Narcolepsy (sleep attacks)") is None


@pytest.mark.parametrize("name", [
    "Sciatica alias with foot drop",
    "Sciatica alias from a disc herniation",
    "Sciatica alias presenting as knee pain",
    "Sciatica alias in pregnancy",
    "Acute sciatica alias",
    "Sciatica alias (lumbar root pain) in an adolescent athlete",
])
def test_a_name_that_goes_on_to_its_cause_or_setting_is_found_by_its_head(
    mini_model: CompiledModel, name: str
) -> None:
    found = mini_model.kb.condition_by_name(name)
    assert found is not None and found.id == "sciatica"


def test_a_name_written_in_full_wins_over_the_shorter_one_inside_it(model: CompiledModel) -> None:
    assert model.kb.condition_by_name("Chronic low back pain") is model.kb.conditions["chronic_low_back_pain"]
    stroke = model.kb.condition_by_name("Ischaemic stroke from paradoxical embolism (DVT with atrial septal defect)")
    assert stroke is model.kb.conditions["stroke"]


def test_a_qualifier_does_not_make_an_unknown_diagnosis_known(mini_model: CompiledModel) -> None:
    assert mini_model.kb.condition_by_name("Narcolepsy with cataplexy") is None


@pytest.mark.parametrize(("name", "condition"), [
    ("Common fibular (peroneal) nerve palsy", "common_peroneal_neuropathy"),
    ("Septic (pyogenic) sacroiliitis", "septic_sacroiliitis"),
])
def test_another_word_in_brackets_inside_a_name_is_read_either_way(
    model: CompiledModel, name: str, condition: str
) -> None:
    assert model.kb.condition_by_name(name) is model.kb.conditions[condition]
