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


@pytest.mark.parametrize("name", [
    "Sciatica alias of the left leg",
    "Drug-induced sciatica alias",
    "Cancer-associated sciatica alias",
    "Traumatic sciatica alias",
    "L5 sciatica alias",
    "L4-L5 sciatica alias",
])
def test_a_place_a_cause_or_a_spinal_level_around_a_name_does_not_hide_it(
    mini_model: CompiledModel, name: str
) -> None:
    found = mini_model.kb.condition_by_name(name)
    assert found is not None and found.id == "sciatica"


@pytest.mark.parametrize("name", ["Sciatica alias and lumbar root pain", "Lumbar root pain and sciatica alias"])
def test_either_of_two_diagnoses_joined_by_and_is_found(mini_model: CompiledModel, name: str) -> None:
    found = mini_model.kb.condition_by_name(name)
    assert found is not None and found.id == "sciatica"


def test_two_words_joined_by_and_before_one_diagnosis_are_not_split_into_diagnoses(mini_model: CompiledModel) -> None:
    found = mini_model.kb.condition_by_name("Strain and sciatica alias")
    assert found is not None and found.id == "sciatica"


@pytest.mark.parametrize(("name", "condition"), [
    ("Cystine kidney stone (cystinuria) with ureteric colic", "kidney_stone"),
    ("Ruptured and thrombosed abdominal aortic aneurysm", "abdominal_aortic_aneurysm"),
    ("Osteoporotic vertebral compression fracture", "vertebral_compression_fracture"),
])
def test_a_word_for_the_kind_of_a_diagnosis_does_not_hide_it(model: CompiledModel, name: str, condition: str) -> None:
    assert model.kb.condition_by_name(name) is model.kb.conditions[condition]


@pytest.mark.parametrize("name", ["Cervical spinal stenosis", "Secondary bone cancer", "Ascending aortic aneurysm"])
def test_a_first_word_of_another_place_or_disease_is_never_left_out(model: CompiledModel, name: str) -> None:
    assert model.kb.condition_by_name(name) is None


def test_a_single_word_is_never_left_to_stand_for_the_diagnosis(mini_model: CompiledModel) -> None:
    assert mini_model.kb.condition_by_name("Hamstring strain") is None  # "strain" alone is a test condition's id


def test_a_place_after_an_unknown_diagnosis_does_not_make_it_known(mini_model: CompiledModel) -> None:
    assert mini_model.kb.condition_by_name("Osteomyelitis of the distal tibia") is None


def test_a_shorter_name_two_conditions_share_finds_neither(model: CompiledModel) -> None:
    assert model.kb.condition_by_name("Osteoporotic spinal fracture") is None


def test_a_condition_s_own_name_wins_over_the_same_words_as_another_s_alias(model: CompiledModel) -> None:
    assert model.kb.condition_by_name("Pelvic girdle pain in pregnancy") is model.kb.conditions["pelvic_girdle_pain"]


def test_a_complication_named_after_a_diagnosis_does_not_take_its_place(model: CompiledModel) -> None:
    found = model.kb.condition_by_name("Infective discitis with paravertebral and psoas abscesses")
    assert found is model.kb.conditions["spinal_infection"]
