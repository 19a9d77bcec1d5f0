"""Cellulitis of the leg and necrotising fasciitis: red, hot, swollen skin of a leg as a warning sign of its own,
told apart from a clot, a red joint, an inflamed vein and a rash, read from a description, and its silence."""

from __future__ import annotations

import numpy as np
import pytest

from spinecheck.core.assessment import Assessment, assess
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.interfaces import wiring  # noqa: F401  (plugs the text reader into the services)
from spinecheck.services.narrative import evidence_from_parse, parse_text

RED_SKIN = "red_hot_skin_leg"
SILENCE = "red_hot_skin_leg_unmentioned"


def _assess(model: CompiledModel, present: set[str], absent: set[str], age: int, sex: str) -> Assessment:
    return assess(model, model.check_evidence(
        Evidence(present=frozenset(present), absent=frozenset(absent), age=age, sex=sex)
    ), max_conditions=len(model.condition_ids))


def test_a_red_hot_swollen_leg_with_a_fever_is_cellulitis_first_and_seen_the_same_day(model: CompiledModel) -> None:
    result = _assess(
        model, {RED_SKIN, "leg_pain", "leg_swelling_one_side", "fever"}, {"low_back_pain"}, 55, "female",
    )
    assert result.conditions[0].id == "cellulitis_leg"
    assert result.triage.level == TriageLevel.URGENT
    assert "red_hot_leg_skin" in {flag.id for flag in result.red_flags}


def test_red_skin_of_a_leg_alone_is_a_same_day_warning_sign(model: CompiledModel) -> None:
    result = _assess(model, {RED_SKIN}, set(), 40, "male")
    assert result.triage.level == TriageLevel.URGENT


@pytest.mark.parametrize("sign", ["immunosuppression", "hypotension_tachycardia", "confusion_new"])
def test_red_skin_of_a_leg_with_weak_immunity_or_a_racing_pulse_or_confusion_is_an_emergency(
    model: CompiledModel, sign: str,
) -> None:
    result = _assess(model, {RED_SKIN, "leg_pain", sign}, set(), 60, "female")
    assert result.triage.level == TriageLevel.EMERGENCY
    assert "red_hot_leg_skin_with_weak_immunity_or_shock" in {flag.id for flag in result.red_flags}


def test_a_swollen_painful_calf_after_a_long_flight_stays_a_clot_first(model: CompiledModel) -> None:
    result = _assess(
        model, {"leg_swelling_one_side", "leg_pain", "leg_pain_below_knee", "calf_tenderness",
                "recent_surgery_or_immobilisation", "previous_dvt_or_pe"},
        {RED_SKIN, "fever"}, 58, "male",
    )
    assert result.conditions[0].id == "deep_vein_thrombosis"


def test_red_skin_on_both_legs_counts_against_cellulitis(model: CompiledModel) -> None:
    def cellulitis(both: bool) -> float:
        present = {RED_SKIN, "leg_pain", "leg_swelling_both_sides" if both else "leg_swelling_one_side"}
        result = _assess(model, present, set(), 70, "female")
        return next(c.probability for c in result.conditions if c.id == "cellulitis_leg")

    assert cellulitis(both=True) < cellulitis(both=False) / 5


def test_necrotising_fasciitis_is_an_emergency_card_and_rarer_than_cellulitis(model: CompiledModel) -> None:
    cards = model.kb.conditions
    assert cards["necrotising_fasciitis"].urgency == TriageLevel.EMERGENCY
    assert cards["necrotising_fasciitis"].prior.value < cards["cellulitis_leg"].prior.value / 100


@pytest.mark.parametrize(("text", "red"), [
    ("A 43-year-old man presents with a red, swollen right leg that is very painful to touch.", True),
    ("My right leg has gone red and swollen and it hurts.", True),
    ("The right leg is swollen and red.", True),
    ("Since yesterday the leg is swollen, red and very painful.", True),
    ("There is rapidly spreading redness and swelling of the right lower leg.", True),
    ("Two days of left thigh swelling and redness.", True),
    ("There is erythema over the left shin.", True),
    ("My left calf is swollen and tender.", False),
    ("Since yesterday my right knee is red, hot and swollen.", False),
    ("There are red, raised patches of skin on his elbows and shins.", False),
    ("One of my varicose veins on my calf is red, hot, hard and sore along its length.", False),
    ("There is no redness of the leg.", False),
])
def test_red_skin_of_a_leg_is_read_only_of_the_leg_s_skin(model: CompiledModel, text: str, red: bool) -> None:
    assert (RED_SKIN in evidence_from_parse(parse_text(text, model), model).present) is red


@pytest.mark.parametrize("text", [
    "The right leg is swollen and red.",
    "The left calf is swollen, red and tender.",
    "There is rapidly spreading redness and swelling of the right lower leg.",
])
def test_a_red_swollen_leg_keeps_its_swelling(model: CompiledModel, text: str) -> None:
    evidence = evidence_from_parse(parse_text(text, model), model)
    assert {RED_SKIN, "leg_swelling_one_side"} <= evidence.present


def test_a_hot_swollen_ankle_is_still_a_hot_swollen_joint(model: CompiledModel) -> None:
    text = "By the morning my right ankle and the top of my foot were swollen, red and hot."
    assert "hot_swollen_joint" in evidence_from_parse(parse_text(text, model), model).present


def test_the_silence_about_red_skin_weighs_against_cellulitis_and_not_against_back_pain(model: CompiledModel) -> None:
    ratio = model.log_lr_present[:, model.finding_index[SILENCE]]
    assert ratio[model.condition_index["cellulitis_leg"]] < np.log(0.5)
    assert ratio[model.condition_index["nonspecific_low_back_pain"]] == pytest.approx(0.0, abs=0.01)


def test_a_description_of_a_swollen_leg_that_never_says_red_adds_the_silence(model: CompiledModel) -> None:
    evidence = evidence_from_parse(parse_text("My left calf has been swollen and aching for two days.", model), model)
    assert SILENCE in evidence.present
    assert RED_SKIN not in evidence.present
