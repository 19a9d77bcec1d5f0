"""The safety net: red flags set a floor that probabilities cannot lower."""

from __future__ import annotations

import numpy as np
import pytest

from spinecheck.core.assessment import Assessment, assess
from spinecheck.core.inference import posterior, score_batch
from spinecheck.core.model import CompiledModel, Evidence
from spinecheck.core.triage import base_levels, triage_batch
from spinecheck.core.triage_levels import TriageLevel


def test_a_red_flag_sets_emergency_even_when_its_condition_is_improbable(mini_model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"saddle_numbness"}), absent=frozenset({"leg_pain_below_knee"}))
    result = assess(mini_model, evidence)
    cauda = next(c for c in result.conditions if c.id == "cauda")
    assert cauda.probability < 0.5
    assert result.triage.level == TriageLevel.EMERGENCY
    assert result.red_flags[0].id == "cauda_equina_signs"


def test_the_emergency_message_is_the_first_reason(mini_model: CompiledModel) -> None:
    result = assess(mini_model, Evidence(present=frozenset({"bladder_retention", "fever", "low_back_pain"})))
    assert result.triage.reasons[0].startswith("Numbness between the legs")


def test_a_flag_not_yet_ruled_out_is_named(mini_model: CompiledModel) -> None:
    result = assess(mini_model, Evidence(present=frozenset({"low_back_pain"})))
    assert "cauda_equina_signs" in {flag.id for flag in result.not_ruled_out}


def test_a_ruled_out_flag_is_not_named(mini_model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"low_back_pain"}), absent=frozenset({"saddle_numbness", "bladder_retention"})
    )
    result = assess(mini_model, evidence)
    assert "cauda_equina_signs" not in {flag.id for flag in result.not_ruled_out}


def test_a_probable_urgent_condition_raises_the_level_without_a_red_flag(mini_model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"fever"}), absent=frozenset({"low_back_pain"}), age=75)
    result = assess(mini_model, evidence)
    assert result.red_flags == []
    assert result.triage.level == TriageLevel.URGENT


def test_with_nothing_worrying_the_level_is_self_care(mini_model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"low_back_pain", "duration_acute"}),
        absent=frozenset({"leg_pain_below_knee", "saddle_numbness", "bladder_retention", "fever"}),
    )
    assert assess(mini_model, evidence).triage.level == TriageLevel.SELF_CARE


def test_batch_triage_applies_the_same_safety_rule(mini_model: CompiledModel) -> None:
    cases = [
        Evidence(present=frozenset({"saddle_numbness"})),
        Evidence(present=frozenset({"fever"}), absent=frozenset({"low_back_pain"}), age=75),
        Evidence(present=frozenset({"low_back_pain"}), absent=frozenset({"leg_pain_below_knee"})),
    ]
    states = np.stack([mini_model.state_vector(mini_model.check_evidence(case)) for case in cases])
    ages = np.array([np.nan if case.age is None else case.age for case in cases])
    probabilities = score_batch(mini_model, states, ages, dtype=np.float64)
    levels = triage_batch(mini_model, states, probabilities, ages)
    expected = [assess(mini_model, case).triage.level.rank for case in cases]
    assert levels.tolist() == expected


def test_open_warning_signs_closest_to_what_was_reported_come_first(mini_model: CompiledModel) -> None:
    result = assess(mini_model, Evidence(present=frozenset({"low_back_pain"})))
    assert [flag.id for flag in result.not_ruled_out] == ["fever_with_back_pain", "cauda_equina_signs"]


@pytest.mark.parametrize(("level", "passing", "short"), [
    (TriageLevel.ROUTINE, 0.2, 0.1),  # three routine causes: 0.6 together passes 0.5, 0.3 does not
    (TriageLevel.URGENT, 0.11, 0.09),  # three urgent causes: 0.33 together passes 0.30, 0.27 does not (ADR 0013)
])
def test_causes_of_one_urgency_that_together_pass_its_pooled_threshold_set_that_level(
    model: CompiledModel, level: TriageLevel, passing: float, short: float
) -> None:
    """No single condition reaches its own threshold; their sum passes the pooled one."""
    ranks = np.array([model.kb.conditions[c].urgency.rank for c in model.condition_ids])
    pooled = np.flatnonzero(ranks == level.rank)[:3]
    self_care = np.flatnonzero(ranks == TriageLevel.SELF_CARE.rank)[0]
    probabilities = np.zeros((2, len(model.condition_ids)))
    probabilities[0, pooled] = passing
    probabilities[0, self_care] = 1.0 - 3 * passing
    probabilities[1, pooled] = short
    probabilities[1, self_care] = 1.0 - 3 * short
    fired = np.zeros((2, len(model.kb.red_flags)), dtype=bool)
    assert base_levels(model, fired, probabilities).tolist() == [level.rank, TriageLevel.SELF_CARE.rank]


def test_the_reason_for_a_pooled_level_names_the_share_it_reached_not_more_likely_than_not(
    model: CompiledModel,
) -> None:
    result = assess(model, Evidence(present=frozenset({"lateral_hip_pain", "previous_episodes"}), age=38, sex="male"))
    pooled = [reason for reason in result.triage.reasons if reason.startswith("Taken together")]
    assert pooled, result.triage.reasons
    assert "30%" in pooled[0]
    assert "more likely than not" not in pooled[0]


def _fired(model: CompiledModel, present: set[str], age: int | None = None) -> set[str]:
    result = assess(model, Evidence(present=frozenset(present), age=age))
    assert result.triage.level == TriageLevel.EMERGENCY
    return {flag.id for flag in result.red_flags}


def test_severe_new_leg_pain_with_weak_pulses_and_numbness_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"leg_pain", "severe_pain", "duration_acute", "foot_pulses_reduced", "leg_numbness_tingling"})
    assert "new_severe_leg_pain_with_weak_pulses_and_nerve_symptoms" in fired


def test_back_pain_with_shock_signs_at_55_or_over_is_an_emergency_even_when_it_came_on_slowly(
    model: CompiledModel,
) -> None:
    fired = _fired(model, {"low_back_pain", "onset_gradual", "hypotension_tachycardia"}, age=63)
    assert "trunk_pain_with_shock_signs_older" in fired


def test_sudden_severe_neck_pain_with_unsteadiness_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"neck_pain", "onset_sudden", "severe_pain", "unsteady_gait"}, age=25)
    assert "sudden_severe_neck_pain_with_brain_signs" in fired


def test_a_shingles_rash_with_pain_is_urgent_for_antivirals_within_three_days(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"dermatomal_vesicular_rash", "thoracic_back_pain"}), age=60))
    assert result.triage.level == TriageLevel.URGENT
    assert "shingles_rash_with_pain" in {flag.id for flag in result.red_flags}


def test_a_leg_that_became_weak_suddenly_is_an_emergency_even_without_pain(model: CompiledModel) -> None:
    fired = _fired(model, {"leg_weakness", "leg_weakness_unilateral", "onset_sudden", "leg_numbness_tingling"}, age=54)
    assert "sudden_leg_weakness" in fired


def test_a_sudden_foot_drop_after_hours_of_kneeling_is_a_nerve_palsy_not_an_emergency(model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"leg_weakness_unilateral", "weakness_ankle_dorsiflexion", "onset_sudden",
                           "prolonged_kneeling_leg_crossing"}),
        absent=frozenset({"low_back_pain"}),
        age=40,
    )
    result = assess(model, evidence)
    assert "sudden_leg_weakness" not in {flag.id for flag in result.red_flags}


def test_a_leg_weak_since_a_sudden_start_months_ago_is_not_this_emergency(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"leg_weakness", "onset_sudden", "duration_chronic"}), age=50))
    assert "sudden_leg_weakness" not in {flag.id for flag in result.red_flags}


def test_walking_that_became_unsteady_suddenly_is_an_emergency_even_without_pain(model: CompiledModel) -> None:
    fired = _fired(model, {"unsteady_gait", "onset_sudden", "duration_acute"}, age=45)
    assert "sudden_unsteady_walking" in fired


def test_walking_unsteady_since_a_sudden_start_months_ago_is_not_this_emergency(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"unsteady_gait", "onset_sudden", "duration_chronic"}), age=50))
    assert "sudden_unsteady_walking" not in {flag.id for flag in result.red_flags}


def test_fever_and_loin_pain_in_pregnancy_with_feeling_very_unwell_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"pregnancy", "fever", "flank_pain", "feeling_very_unwell"}, age=26)
    assert "pregnancy_fever_with_loin_pain_unwell" in fired


def test_fever_and_loin_pain_in_pregnancy_alone_is_seen_the_same_day_not_an_emergency(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"pregnancy", "fever", "flank_pain"}), age=26, sex="female"))
    assert "pregnancy_fever_with_loin_pain_unwell" not in {flag.id for flag in result.red_flags}
    assert "pregnancy_fever_with_loin_pain" in {flag.id for flag in result.red_flags}


def test_yellow_skin_or_eyes_is_seen_the_same_day(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"low_back_pain", "fatigue", "jaundice"}), age=32, sex="male"))
    assert "new_jaundice" in {flag.id for flag in result.red_flags}
    assert result.triage.level == TriageLevel.URGENT


def test_yellow_skin_or_eyes_with_a_fever_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"low_back_pain", "jaundice", "fever"}, age=60)
    assert "jaundice_with_fever_or_unwell" in fired


def test_sudden_severe_pain_between_the_shoulder_blades_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"thoracic_back_pain", "onset_sudden", "severe_pain", "hypertension"}, age=56)
    assert "sudden_severe_upper_back_pain" in fired


def test_sudden_severe_upper_back_pain_after_a_fall_is_left_to_the_fracture_rules(model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"thoracic_back_pain", "onset_sudden", "severe_pain", "minor_trauma", "osteoporosis"}), age=78
    )
    result = assess(model, evidence)
    assert "sudden_severe_upper_back_pain" not in {flag.id for flag in result.red_flags}
    assert result.triage.level == TriageLevel.URGENT


def test_breathlessness_with_one_painful_calf_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"leg_pain_below_knee", "leg_pain_unilateral", "breathing_difficulty"}, age=49)
    assert "swollen_leg_with_breathlessness_or_chest_pain" in fired


def test_back_pain_with_blood_seen_in_the_urine_is_urgent(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"low_back_pain", "onset_sudden", "blood_in_urine"}), age=45))
    assert result.triage.level == TriageLevel.URGENT
    assert "back_or_loin_pain_with_blood_in_urine" in {flag.id for flag in result.red_flags}


def test_back_pain_that_keeps_getting_worse_is_at_least_routine(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "course_worsening", "previous_episodes"}), age=46)
    result = assess(model, evidence)
    assert "back_pain_getting_worse" in {flag.id for flag in result.red_flags}
    assert result.triage.level.rank >= TriageLevel.ROUTINE.rank


def test_back_pain_building_over_the_first_days_of_an_episode_is_not_this_rule(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "course_worsening", "duration_acute"}), age=46)
    result = assess(model, evidence)
    assert "back_pain_getting_worse" not in {flag.id for flag in result.red_flags}


def test_one_case_gets_the_same_base_level_as_in_a_batch(model: CompiledModel) -> None:
    """`base_levels` takes a shorter path for one case; rows near every floor give the same levels."""
    rng = np.random.default_rng(7)
    threshold, _ = model.condition_floor
    rows = rng.dirichlet(np.full(len(model.condition_ids), 0.3), size=300)
    finite = np.flatnonzero(np.isfinite(threshold))
    rows[::3, finite[0]] = threshold[finite[0]]  # exactly at a condition's floor
    fired = rng.random((rows.shape[0], len(model.kb.red_flags))) < 0.02
    together = base_levels(model, fired, rows)
    alone = [int(base_levels(model, fired[i:i + 1], rows[i:i + 1])[0]) for i in range(rows.shape[0])]
    assert alone == together.tolist()
    assert len(set(alone)) > 1


def test_weakness_of_both_legs_after_a_minor_fall_is_an_emergency(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"minor_trauma", "low_back_pain", "leg_weakness_bilateral"}), age=17)
    result = assess(model, evidence)
    assert "injury_with_new_weakness" in {flag.id for flag in result.red_flags}
    assert result.triage.level == TriageLevel.EMERGENCY


def test_neck_pain_after_a_small_fall_in_a_spine_stiffened_by_ankylosing_spondylitis_is_an_emergency(
    model: CompiledModel,
) -> None:
    """A fused spine breaks after low-energy falls, mostly in the neck, often with a deficit (Westerveld 2009)."""
    fused_neck = {"known_ankylosing_spondylitis", "minor_trauma", "neck_pain"}
    assert "injury_to_a_stiffened_spine" in _fired(model, fused_neck, age=76)


def test_a_spine_stiffened_by_dish_breaks_after_a_small_fall_in_the_same_way(model: CompiledModel) -> None:
    assert "injury_to_a_stiffened_spine" in _fired(model, {"known_dish", "minor_trauma", "low_back_pain"}, age=72)


def test_the_same_small_fall_without_a_stiffened_spine_is_not_that_rule(model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"minor_trauma", "neck_pain"}), absent=frozenset({"known_ankylosing_spondylitis"}), age=40
    )
    assert "injury_to_a_stiffened_spine" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_an_injury_already_mending_is_not_this_rule(model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"minor_trauma", "low_back_pain", "myotomal_weakness_exam", "course_improving"}), age=64
    )
    assert "injury_with_new_weakness" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_numbness_of_a_thigh_with_no_leg_pain_is_at_least_routine(model: CompiledModel) -> None:
    numb_thigh = {"leg_numbness_tingling", "numbness_anterior_thigh", "duration_acute"}
    evidence = Evidence(present=frozenset(numb_thigh), age=30)
    result = assess(model, evidence)
    assert "numbness_not_going_away" in {flag.id for flag in result.red_flags}
    assert result.triage.level.rank >= TriageLevel.ROUTINE.rank


def test_the_tingling_of_a_new_sciatica_is_not_this_rule(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"leg_numbness_tingling", "leg_pain", "duration_acute"}), age=30)
    assert "numbness_not_going_away" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_hip_pain_at_thirteen_is_urgent_even_without_a_limp(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"hip_pain_on_movement", "duration_chronic"}), age=13))
    assert "growing_child_hip_or_groin_pain" in {flag.id for flag in result.red_flags}
    assert result.triage.level.rank >= TriageLevel.URGENT.rank


def test_hip_pain_in_an_adult_is_not_the_growing_child_rule(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"hip_pain_on_movement", "duration_chronic"}), age=45))
    assert "growing_child_hip_or_groin_pain" not in {flag.id for flag in result.red_flags}


def _rules_holding(model: CompiledModel, present: set[str], age: int) -> set[str]:
    return {flag.id for flag in assess(model, Evidence(present=frozenset(present), age=age)).red_flags}


def test_a_child_whose_walking_has_become_unsteady_is_seen_the_same_day(model: CompiledModel) -> None:
    """Acute ataxia in a child is assessed for poisoning, infection, stroke and growths (RCH guideline)."""
    result = assess(model, Evidence(present=frozenset({"unsteady_gait"}), age=3))
    assert "child_new_unsteady_walking" in {flag.id for flag in result.red_flags}
    assert result.triage.level.rank >= TriageLevel.URGENT.rank


def test_a_child_s_unsteady_walking_known_for_months_is_not_the_new_ataxia_rule(model: CompiledModel) -> None:
    assert "child_new_unsteady_walking" not in _rules_holding(model, {"unsteady_gait", "duration_chronic"}, age=9)


def test_an_adult_s_unsteady_walking_is_not_the_child_ataxia_rule(model: CompiledModel) -> None:
    assert "child_new_unsteady_walking" not in _rules_holding(model, {"unsteady_gait"}, age=40)


def test_weakness_of_both_legs_getting_worse_in_a_new_episode_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"low_back_pain", "leg_weakness_bilateral", "course_worsening", "duration_subacute"})
    assert "bilateral_sciatica_worsening" in fired


def test_weakness_of_both_legs_getting_worse_for_months_is_urgent_not_an_emergency(model: CompiledModel) -> None:
    result = assess(model, Evidence(
        present=frozenset({"low_back_pain", "leg_weakness_bilateral", "course_worsening", "duration_chronic"}),
        absent=frozenset({"weakness_progressive", "weakness_severe", "onset_sudden"}),
    ))
    assert "bilateral_sciatica_worsening" not in {flag.id for flag in result.red_flags}
    assert "bilateral_leg_symptoms_new" in {flag.id for flag in result.red_flags}


def _flags(model: CompiledModel, present: set[str]) -> tuple[set[str], TriageLevel]:
    result = assess(model, Evidence(present=frozenset(present), age=55))
    return {flag.id for flag in result.red_flags}, result.triage.level


def test_weakness_of_both_legs_getting_worse_within_weeks_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"leg_weakness_bilateral", "weakness_progressive", "duration_acute"}, age=55)
    assert "bilateral_leg_weakness_severe_or_progressive" in fired


def test_weakness_of_both_legs_creeping_up_over_months_is_seen_today_not_an_emergency(model: CompiledModel) -> None:
    fired, level = _flags(model, {"leg_weakness_bilateral", "weakness_progressive", "duration_chronic"})
    assert "bilateral_leg_weakness_severe_or_progressive" not in fired
    assert "progressive_or_severe_motor_deficit" in fired
    assert level.rank >= TriageLevel.URGENT.rank


def test_severe_weakness_of_both_legs_is_an_emergency_at_any_pace(model: CompiledModel) -> None:
    fired = _fired(model, {"leg_weakness_bilateral", "weakness_severe", "duration_chronic"}, age=55)
    assert "bilateral_leg_weakness_severe_or_progressive" in fired


def test_lost_reflexes_with_weakness_of_months_is_not_the_guillain_barre_rule(model: CompiledModel) -> None:
    fired, _ = _flags(model, {"areflexia", "leg_weakness_bilateral", "weakness_progressive", "duration_chronic"})
    assert "gbs_ascending_weakness" not in fired
    assert "gbs_ascending_weakness" in _fired(
        model, {"areflexia", "leg_weakness_bilateral", "weakness_progressive", "duration_acute"}, age=55
    )


def test_cord_signs_getting_worse_over_months_are_urgent_and_with_a_bladder_change_an_emergency(
    model: CompiledModel,
) -> None:
    slow = {"unsteady_gait", "hand_clumsiness", "weakness_progressive", "duration_chronic"}
    fired, level = _flags(model, slow)
    assert "myelopathy_rapid_or_sphincter" not in fired
    assert level.rank >= TriageLevel.URGENT.rank
    assert "myelopathy_rapid_or_sphincter" in _fired(model, slow | {"bladder_retention"}, age=55)


def test_recurrent_pain_that_stops_sport_is_recurrent_pain_that_limits_daily_life(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"leg_pain", "previous_episodes", "pain_stops_play"}), age=28, sex="female")
    assert "recurrent_pain_limiting_daily_life" in {flag.id for flag in assess(model, evidence).red_flags}


def test_severe_trunk_pain_at_sixty_or_over_in_someone_very_unwell_is_an_emergency_even_without_a_sudden_start(
    model: CompiledModel,
) -> None:
    evidence = Evidence(present=frozenset({"abdominal_pain", "low_back_pain", "severe_pain", "feeling_very_unwell"}),
                        age=72, sex="male")
    result = assess(model, evidence)
    assert "older_adult_severe_trunk_pain_very_unwell" in {flag.id for flag in result.red_flags}
    assert result.triage.level == TriageLevel.EMERGENCY


def test_severe_trunk_pain_in_someone_very_unwell_under_sixty_is_not_the_aneurysm_rule(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"abdominal_pain", "severe_pain", "feeling_very_unwell"}), age=35)
    assert "older_adult_severe_trunk_pain_very_unwell" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_severe_belly_pain_going_through_to_the_back_at_sixty_or_over_is_an_emergency(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"abdominal_pain", "low_back_pain", "severe_pain", "duration_acute"}),
                        absent=frozenset({"onset_sudden", "feeling_very_unwell", "collapse_fainting"}), age=72)
    result = assess(model, evidence)
    assert "older_adult_severe_belly_pain_through_to_back" in {flag.id for flag in result.red_flags}
    assert result.triage.level == TriageLevel.EMERGENCY


def test_belly_and_back_pain_of_months_at_sixty_or_over_is_not_the_leaking_aneurysm_rule(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"abdominal_pain", "low_back_pain", "severe_pain", "duration_chronic"}),
                        age=72)
    fired = {flag.id for flag in assess(model, evidence).red_flags}
    assert "older_adult_severe_belly_pain_through_to_back" not in fired


def test_a_destructive_bone_lesion_on_a_scan_with_back_pain_is_seen_the_same_day_without_a_known_cancer(
    model: CompiledModel,
) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "bone_lesion_on_imaging"}),
                        absent=frozenset({"history_of_cancer"}), age=58)
    result = assess(model, evidence)
    assert "bone_lesion_on_imaging_with_spinal_pain" in {flag.id for flag in result.red_flags}
    assert result.triage.level.rank >= TriageLevel.URGENT.rank


def test_a_destructive_bone_lesion_on_a_scan_with_weak_legs_is_an_emergency(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "bone_lesion_on_imaging", "leg_weakness"}),
                        absent=frozenset({"history_of_cancer"}), age=58)
    result = assess(model, evidence)
    assert "bone_lesion_on_imaging_with_neuro_deficit" in {flag.id for flag in result.red_flags}
    assert result.triage.level == TriageLevel.EMERGENCY


def test_a_bone_lesion_away_from_the_spine_without_back_or_neck_pain_is_not_the_spinal_rule(
    model: CompiledModel,
) -> None:
    evidence = Evidence(present=frozenset({"knee_pain", "bone_lesion_on_imaging"}),
                        absent=frozenset({"low_back_pain", "thoracic_back_pain", "neck_pain"}), age=16)
    assert "bone_lesion_on_imaging_with_spinal_pain" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_a_fever_with_a_stiff_neck_that_will_not_bend_forward_is_an_emergency(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"fever", "neck_pain", "neck_stiffness_meningism"}), age=7)
    result = assess(model, evidence)
    assert "fever_with_stiff_neck" in {flag.id for flag in result.red_flags}
    assert result.triage.level == TriageLevel.EMERGENCY


def test_a_stiff_neck_without_a_fever_is_not_the_meningitis_rule(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"neck_pain", "neck_stiffness_meningism"}), absent=frozenset({"fever"}),
                        age=35)
    assert "fever_with_stiff_neck" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_back_pain_with_unexplained_weight_loss_at_fifty_or_over_is_suspected_cancer_seen_within_a_day_or_two(
    model: CompiledModel,
) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "unexplained_weight_loss"}),
                        absent=frozenset({"history_of_cancer"}), age=62)
    result = assess(model, evidence)
    assert "age_50_unexplained_weight_loss" in {flag.id for flag in result.red_flags}
    assert result.triage.level.rank >= TriageLevel.URGENT.rank


def test_back_pain_not_improving_after_a_month_at_fifty_or_over_is_routine_not_urgent(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "no_improvement_after_one_month"}),
                        absent=frozenset({"unexplained_weight_loss"}), age=62)
    fired = {flag.id for flag in assess(model, evidence).red_flags}
    assert "age_50_no_improvement" in fired
    assert "age_50_unexplained_weight_loss" not in fired


def test_unexplained_weight_loss_under_fifty_is_not_the_suspected_cancer_rule(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "unexplained_weight_loss"}), age=35)
    assert "age_50_unexplained_weight_loss" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_heavy_drinking_with_unsteady_walking_and_new_confusion_is_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"alcohol_excess", "unsteady_gait", "confusion_new"}, age=52)
    assert "thiamine_deficiency_wernicke" in fired


@pytest.mark.parametrize("present", [
    # weeks of vomiting in pregnancy, then wobbly walking and double vision
    {"pregnancy", "nausea_vomiting", "unsteady_gait", "droopy_eyelid_or_double_vision"},
    # after weight-loss surgery: weight falling off, confused, with nystagmus found on examination
    {"pernicious_anaemia_or_gut_surgery", "unexplained_weight_loss", "confusion_new", "eye_movement_problem"},
    # a clinician's wide-based gait and nystagmus in a heavy drinker, with no confusion
    {"alcohol_excess", "wide_based_gait", "eye_movement_problem"},
])
def test_any_two_of_the_three_signs_with_a_road_to_thiamine_deficiency_fire_the_rule(
    model: CompiledModel, present: set[str]
) -> None:
    assert "thiamine_deficiency_wernicke" in _fired(model, present, age=30)


@pytest.mark.parametrize(
    "sign", ["unsteady_gait", "confusion_new", "droopy_eyelid_or_double_vision", "eye_movement_problem"]
)
def test_heavy_drinking_with_one_sign_alone_is_not_this_rule(model: CompiledModel, sign: str) -> None:
    result = assess(model, Evidence(present=frozenset({"alcohol_excess", sign}), age=55, sex="male"))
    assert "thiamine_deficiency_wernicke" not in {flag.id for flag in result.red_flags}


def test_two_signs_without_any_road_to_thiamine_deficiency_are_not_this_rule(model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"unsteady_gait", "confusion_new"}),
        absent=frozenset({"alcohol_excess", "nausea_vomiting", "unexplained_weight_loss",
                          "pernicious_anaemia_or_gut_surgery"}),
        age=70,
    )
    result = assess(model, evidence)
    assert "thiamine_deficiency_wernicke" not in {flag.id for flag in result.red_flags}


def test_pain_at_the_tailbone_alone_keeps_the_warning_signs_of_spinal_pain(model: CompiledModel) -> None:
    """Fever with pain only at the bottom of the spine is still spinal pain with a fever."""
    result = assess(model, Evidence(present=frozenset({"tailbone_pain", "fever"}), age=40, sex="female"))
    assert "fever_with_spinal_pain" in {flag.id for flag in result.red_flags}


def test_sudden_severe_back_pain_on_a_blood_thinner_is_an_emergency_before_any_deficit(model: CompiledModel) -> None:
    """A bleed by the cord shows as pain first; the weakness follows within hours (Peng 2022)."""
    evidence = Evidence(
        present=frozenset({"anticoagulant_use", "onset_sudden", "severe_pain", "low_back_pain"}),
        absent=frozenset({"leg_weakness", "leg_numbness_tingling", "bladder_retention"}),
        age=45, sex="female",
    )
    result = assess(model, evidence)
    assert result.triage.level == TriageLevel.EMERGENCY
    assert "anticoagulant_sudden_severe_back_pain" in {flag.id for flag in result.red_flags}


def test_a_child_with_a_hot_swollen_joint_is_an_emergency_even_without_fever(model: CompiledModel) -> None:
    """Septic arthritis in a child damages the joint within hours; fever is often absent at first."""
    evidence = Evidence(present=frozenset({"hot_swollen_joint", "knee_pain"}), absent=frozenset({"fever"}), age=4)
    result = assess(model, evidence)
    assert result.triage.level == TriageLevel.EMERGENCY
    assert "child_hot_swollen_joint" in {flag.id for flag in result.red_flags}


def test_an_adult_with_a_hot_swollen_joint_is_seen_the_same_day(model: CompiledModel) -> None:
    """A hot swollen joint is septic until shown otherwise (Coakley 2006); gout is commoner in adults."""
    evidence = Evidence(present=frozenset({"hot_swollen_joint", "knee_pain"}), absent=frozenset({"fever"}), age=50)
    result = assess(model, evidence)
    assert result.triage.level == TriageLevel.URGENT
    assert "hot_swollen_joint" in {flag.id for flag in result.red_flags}


def test_a_hot_swollen_joint_with_a_fever_is_an_emergency(model: CompiledModel) -> None:
    """Septic arthritis until proved otherwise (Coakley 2006), and with a fever possibly in the blood already."""
    evidence = Evidence(present=frozenset({"hot_swollen_joint", "knee_pain", "fever"}), age=22, sex="female")
    result = assess(model, evidence)
    assert result.triage.level == TriageLevel.EMERGENCY
    assert "hot_swollen_joint_with_fever" in {flag.id for flag in result.red_flags}


def test_loin_pain_after_a_blow_is_seen_the_same_day(model: CompiledModel) -> None:
    """A blow to the flank can bruise or tear a kidney (EAU trauma panel, Serafetinides 2015)."""
    result = assess(model, Evidence(present=frozenset({"minor_trauma", "flank_pain"}), age=33, sex="male"))
    assert result.triage.level == TriageLevel.URGENT
    assert "injury_with_loin_pain" in {flag.id for flag in result.red_flags}


def test_a_broken_lower_rib_after_an_injury_is_an_emergency(model: CompiledModel) -> None:
    """The lowest ribs lie over the liver, spleen and kidneys; a break there hides an organ injury often enough
    (Al-Hassani 2010, Popelka 2017) to need a scan of the belly at once."""
    evidence = Evidence(present=frozenset({"minor_trauma", "lower_rib_fracture", "flank_pain"}), age=33, sex="male")
    result = assess(model, evidence)
    assert result.triage.level == TriageLevel.EMERGENCY
    assert "lower_rib_fracture_after_injury" in {flag.id for flag in result.red_flags}


def test_a_broken_thigh_bone_on_imaging_is_an_emergency_with_or_without_an_injury(model: CompiledModel) -> None:
    """A broken femur is splinted and taken to hospital (Journal of Paramedic Practice, after Lee and Porter 2005);
    a break through diseased bone after no fall at all needs the same."""
    evidence = Evidence(
        present=frozenset({"leg_bone_fracture_on_imaging", "anaemia"}),
        absent=frozenset({"minor_trauma", "major_trauma"}),
        age=72, sex="male",
    )
    _assert_ambulance_for(assess(model, evidence), "broken_thigh_or_shin_bone")


def test_an_older_adult_who_cannot_stand_after_a_fall_is_an_emergency_whatever_the_x_ray(model: CompiledModel) -> None:
    """A broken hip until shown otherwise; its care starts in an emergency department (NICE CG124, ADR 0020)."""
    evidence = Evidence(
        present=frozenset({"minor_trauma", "unable_to_bear_weight"}),
        absent=frozenset({"leg_bone_fracture_on_imaging"}),
        age=84, sex="female",
    )
    _assert_ambulance_for(assess(model, evidence), "older_adult_fall_unable_to_bear_weight")


def _assert_ambulance_for(result: Assessment, rule: str) -> None:
    """The emergency message with an ambulance, because of `rule`."""
    assert result.triage.level == TriageLevel.EMERGENCY
    assert result.triage.call_ambulance
    assert rule in {flag.id for flag in result.red_flags}


def test_a_younger_adult_who_cannot_stand_after_a_fall_is_seen_the_same_day(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"minor_trauma", "unable_to_bear_weight"}), age=40, sex="female")
    result = assess(model, evidence)
    assert "older_adult_fall_unable_to_bear_weight" not in {flag.id for flag in result.red_flags}
    assert "fall_then_unable_to_bear_weight" in {flag.id for flag in result.red_flags}


def test_thigh_bones_imaged_without_a_break_count_against_a_hip_fracture(model: CompiledModel) -> None:
    """About 95% of hip fractures show on the first radiographs (Deleanu 2015)."""
    painful_hip = {"hip_pain_on_movement", "unable_to_bear_weight", "minor_trauma"}
    imaged = Evidence(present=frozenset(painful_hip), absent=frozenset({"leg_bone_fracture_on_imaging"}), age=80)
    unimaged = Evidence(present=frozenset(painful_hip), age=80)
    row = model.condition_index["hip_fracture"]
    checked = model.check_evidence
    assert posterior(model, checked(imaged))[row] < posterior(model, checked(unimaged))[row] / 3


def test_a_broken_lower_rib_without_an_injury_is_not_the_injury_rule(model: CompiledModel) -> None:
    """A rib broken by coughing or through thin bone is not a blow over the organs beneath it."""
    evidence = Evidence(
        present=frozenset({"lower_rib_fracture", "osteoporosis"}),
        absent=frozenset({"minor_trauma", "major_trauma"}),
        age=70,
    )
    assert "lower_rib_fracture_after_injury" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_a_broken_lower_rib_is_taken_for_an_injury_until_the_injury_is_denied(model: CompiledModel) -> None:
    """Nobody asked about an injury: the break itself says one is likely, and when unsure we escalate."""
    evidence = Evidence(present=frozenset({"lower_rib_fracture", "flank_pain"}), age=33, sex="male")
    result = assess(model, evidence)
    assert result.triage.level == TriageLevel.EMERGENCY
    assert "lower_rib_fracture_after_injury" in {flag.id for flag in result.red_flags}


def test_a_fast_pulse_after_a_fall_is_an_emergency_for_an_adult(model: CompiledModel) -> None:
    """A pulse over 100 after an injury is the first sign of blood lost inside (ATLS class II, Rossaint 2016)."""
    evidence = Evidence(
        present=frozenset({"minor_trauma", "low_back_pain", "hypotension_tachycardia", "duration_acute"}),
        age=30,
        sex="female",
    )
    result = assess(model, evidence)
    assert result.triage.level == TriageLevel.EMERGENCY
    assert result.triage.call_ambulance
    assert "injury_with_shock_signs" in {flag.id for flag in result.red_flags}


def test_a_young_child_s_pulse_over_100_after_a_fall_is_not_the_bleeding_rule(model: CompiledModel) -> None:
    """Over 100 is an adult's cut-off; a small child's resting pulse is normally above it (Fleming 2011)."""
    evidence = Evidence(
        present=frozenset({"minor_trauma", "low_back_pain", "hypotension_tachycardia", "duration_acute"}), age=4
    )
    assert "injury_with_shock_signs" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_a_fast_pulse_after_a_fall_is_an_emergency_when_nobody_gave_the_age(model: CompiledModel) -> None:
    """The rule leaves out young children only for their normal pulse: an unknown age must not hold it back."""
    evidence = Evidence(
        present=frozenset({"minor_trauma", "low_back_pain", "hypotension_tachycardia", "duration_acute"})
    )
    result = assess(model, evidence)
    assert result.triage.level == TriageLevel.EMERGENCY
    assert "injury_with_shock_signs" in {flag.id for flag in result.red_flags}


@pytest.mark.parametrize("age", [None, 12, 45])
def test_a_fever_with_a_fast_pulse_is_sepsis_from_12_or_at_an_unknown_age(
    model: CompiledModel, age: int | None
) -> None:
    evidence = Evidence(present=frozenset({"fever", "hypotension_tachycardia", "low_back_pain"}), age=age)
    assert "sepsis_signs" in {flag.id for flag in assess(model, evidence).red_flags}


def test_a_young_child_s_fever_with_a_pulse_over_100_is_not_the_sepsis_rule(model: CompiledModel) -> None:
    """A pulse over 100 or a top number under 100 is usual under 12 (Fleming 2011); the child is still seen today."""
    evidence = Evidence(present=frozenset({"fever", "hypotension_tachycardia", "low_back_pain"}), age=6)
    result = assess(model, evidence)
    assert "sepsis_signs" not in {flag.id for flag in result.red_flags}
    assert result.triage.level.rank >= TriageLevel.URGENT.rank


def test_a_young_child_s_fever_with_pale_clammy_skin_is_still_the_sepsis_rule(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"fever", "pale_sweaty", "low_back_pain"}), age=6)
    assert "sepsis_signs" in {flag.id for flag in assess(model, evidence).red_flags}


def test_a_fast_pulse_months_after_an_old_injury_is_not_the_bleeding_rule(model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"minor_trauma", "low_back_pain", "hypotension_tachycardia", "duration_chronic"}), age=30
    )
    assert "injury_with_shock_signs" not in {flag.id for flag in assess(model, evidence).red_flags}


def test_loin_pain_after_a_blow_with_blood_in_the_urine_is_an_emergency(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"minor_trauma", "flank_pain", "blood_in_urine"}), age=33, sex="male")
    assert assess(model, evidence).triage.level == TriageLevel.EMERGENCY


def test_coughing_blood_with_upper_back_pain_calls_an_ambulance(model: CompiledModel) -> None:
    """Blood coughed up with pain in the chest or upper back can be a clot in the lung (NHS advice: 999)."""
    result = assess(model, Evidence(present=frozenset({"coughing_blood", "thoracic_back_pain"}), age=30))
    _assert_ambulance_for(result, "coughing_blood_with_breathlessness_or_chest_or_back_pain")


def test_coughing_blood_with_breathlessness_calls_an_ambulance(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"coughing_blood", "breathing_difficulty"}), age=30))
    _assert_ambulance_for(result, "coughing_blood_with_breathlessness_or_chest_or_back_pain")


def test_coughing_blood_alone_is_seen_the_same_day(model: CompiledModel) -> None:
    result = assess(model, Evidence(
        present=frozenset({"coughing_blood", "low_back_pain"}),
        absent=frozenset({"breathing_difficulty", "hypotension_tachycardia", "chest_pain", "thoracic_back_pain"}),
        age=30,
    ))
    assert "coughing_blood" in {flag.id for flag in result.red_flags}
    assert "coughing_blood_with_breathlessness_or_chest_or_back_pain" not in {flag.id for flag in result.red_flags}
    assert result.triage.level.rank >= TriageLevel.URGENT.rank


def test_a_leg_getting_weaker_on_blood_thinners_is_an_emergency_even_when_the_pain_came_on_slowly(
    model: CompiledModel,
) -> None:
    """A bleed in the spinal canal or behind the belly is a major bleed at a critical site (ISTH), and can build up."""
    present = {"anticoagulant_use", "groin_pain", "onset_gradual", "leg_weakness", "weakness_progressive"}
    fired = _fired(model, present, age=80)
    assert "anticoagulant_with_worsening_or_severe_leg_weakness" in fired


def test_a_mild_steady_leg_weakness_on_blood_thinners_is_not_this_rule(model: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"anticoagulant_use", "low_back_pain", "leg_pain", "leg_weakness", "duration_chronic"}),
        absent=frozenset({"weakness_progressive", "weakness_severe", "onset_sudden", "severe_pain"}),
        age=70,
    )
    fired = {flag.id for flag in assess(model, evidence).red_flags}
    assert "anticoagulant_with_worsening_or_severe_leg_weakness" not in fired


def test_a_leg_that_cannot_be_lifted_after_an_epidural_calls_an_ambulance(model: CompiledModel) -> None:
    """Weakness after a spinal or epidural is escalated at once to rule out a bleed or an abscess (OAA/RCoA 2020)."""
    fired = _fired(model, {"recent_spinal_procedure", "recent_childbirth", "leg_weakness"}, age=30)
    assert "recent_spinal_procedure_with_new_deficit" in fired


def test_numbness_of_one_thigh_after_a_spinal_anaesthetic_is_followed_up_not_an_emergency(model: CompiledModel) -> None:
    """Numbness alone after a birth under a spinal is mostly a pressed nerve, followed up over days (OAA/RCoA 2020)."""
    evidence = Evidence(
        present=frozenset({"recent_spinal_procedure", "recent_childbirth", "leg_numbness_tingling",
                           "anterolateral_thigh_burning_numbness"}),
        absent=frozenset({"leg_weakness", "fever", "bladder_retention", "saddle_numbness"}),
        age=29, sex="female",
    )
    assert assess(model, evidence).triage.level != TriageLevel.EMERGENCY


def test_numbness_of_one_leg_after_injected_drugs_is_still_an_emergency(model: CompiledModel) -> None:
    fired = _fired(model, {"injection_drug_use", "low_back_pain", "leg_numbness_tingling"}, age=35)
    assert "infection_risk_with_new_deficit" in fired
