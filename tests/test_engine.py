"""The probabilistic differential: Bayes' rule with unknowns marginalised and a leak."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinecheck.core.assessment import assess
from spinecheck.core.inference import explain, posterior, score_batch
from spinecheck.core.model import CompiledModel, Evidence


def by_hand(model: CompiledModel, present: set[str], absent: set[str]) -> dict[str, float]:
    """Bayes' rule written out term by term from the YAML numbers, as an independent check."""
    kb = model.kb
    scores = {}
    total_prior = sum(c.prior.value for c in kb.conditions.values())
    for condition in kb.conditions.values():
        p = {item.finding: item.p for item in condition.likelihoods}
        score = condition.prior.value / total_prior
        for finding in present:
            score *= p.get(finding, kb.findings[finding].background.value)
        for finding in absent:
            score *= 1 - p.get(finding, kb.findings[finding].background.value)
        scores[condition.id] = score
    norm = sum(scores.values())
    leak = kb.policy.leak.value
    return {c: (1 - leak) * s / norm + leak / len(scores) for c, s in scores.items()}


def test_posterior_matches_bayes_rule_computed_by_hand(mini_model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"leg_pain_below_knee", "low_back_pain"}), absent=frozenset({"fever"}))
    expected = by_hand(mini_model, {"leg_pain_below_knee", "low_back_pain"}, {"fever"})
    got = dict(zip(mini_model.condition_ids, posterior(mini_model, evidence), strict=True))
    for condition, probability in expected.items():
        assert got[condition] == pytest.approx(probability, rel=1e-9)


def test_unanswered_findings_do_not_move_the_posterior(mini_model: CompiledModel) -> None:
    """Marginalising an unknown finding is the same as not mentioning it."""
    nothing = posterior(mini_model, Evidence())
    priors = np.array([mini_model.kb.conditions[c].prior.value for c in mini_model.condition_ids])
    leak = mini_model.leak
    expected = (1 - leak) * priors / priors.sum() + leak / len(priors)
    assert nothing == pytest.approx(expected)


def test_leak_keeps_every_probability_strictly_between_zero_and_one(mini_model: CompiledModel) -> None:
    extreme = Evidence(
        present=frozenset({"saddle_numbness", "bladder_retention", "leg_pain_below_knee"}),
        absent=frozenset({"duration_chronic"}),
    )
    probabilities = posterior(mini_model, extreme)
    assert np.all(probabilities > 0) and np.all(probabilities < 1)


def test_prior_modifier_applies_only_when_its_condition_is_known_true(mini_model: CompiledModel) -> None:
    row = mini_model.condition_index["abscess"]
    young = posterior(mini_model, Evidence(age=30))[row]
    unknown_age = posterior(mini_model, Evidence())[row]
    old = posterior(mini_model, Evidence(age=70))[row]
    assert young == pytest.approx(unknown_age)
    assert old > 2.5 * unknown_age


def test_batch_scoring_agrees_with_single_cases(mini_model: CompiledModel) -> None:
    cases = [
        Evidence(present=frozenset({"fever"}), age=70),
        Evidence(present=frozenset({"leg_pain_below_knee"}), absent=frozenset({"low_back_pain"})),
        Evidence(),
    ]
    states = np.stack([mini_model.state_vector(case) for case in cases])
    ages = np.array([70.0, math.nan, math.nan])
    batch = score_batch(mini_model, states, ages, dtype=np.float64)
    for row, case in enumerate(cases):
        assert batch[row] == pytest.approx(posterior(mini_model, case), rel=1e-9)


def test_explanation_names_the_finding_that_raised_a_condition_with_its_source(mini_model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"fever"}))
    explanation = explain(mini_model, evidence, "abscess")
    assert explanation.supporting[0].finding == "fever"
    assert explanation.supporting[0].source == "test_source"
    assert explanation.supporting[0].ratio == pytest.approx(0.95 / 0.03)


def test_explanation_lists_findings_that_lowered_a_condition(mini_model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"leg_pain_below_knee"}))
    explanation = explain(mini_model, evidence, "strain")
    assert [item.finding for item in explanation.opposing] == ["leg_pain_below_knee"]


def test_a_changed_copy_of_evidence_is_encoded_with_its_own_answers(mini_model: CompiledModel) -> None:
    original = Evidence(present=frozenset({"fever"}))
    mini_model.encode(original)
    changed = original.model_copy(update={"present": frozenset({"low_back_pain"})})
    states = mini_model.encode(changed).states[0]
    assert [mini_model.finding_ids[column] for column in np.flatnonzero(states)] == ["low_back_pain"]


def test_a_lytic_lesion_on_imaging_brings_spinal_cancer_into_the_top_three(model: CompiledModel) -> None:
    def top_three(present: set[str]) -> list[str]:
        result = assess(model, Evidence(present=frozenset(present), age=43, sex="female"))
        return [c.id for c in result.conditions[:3]]

    assert "vertebral_malignancy" not in top_three({"low_back_pain", "night_pain"})
    assert "vertebral_malignancy" in top_three({"low_back_pain", "night_pain", "bone_lesion_on_imaging"})


def _top(model: CompiledModel, evidence: Evidence) -> list[str]:
    result = assess(model, model.check_evidence(evidence), max_conditions=3, screen_floor=False)
    return [condition.id for condition in result.conditions]


def test_a_broken_vertebra_on_an_x_ray_puts_a_fracture_of_thin_bone_first_in_an_older_woman(
    model: CompiledModel,
) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "vertebral_fracture_on_imaging"}), age=78, sex="female")
    assert _top(model, evidence)[0] == "vertebral_compression_fracture"


def test_after_a_cancer_a_broken_vertebra_puts_cancer_in_the_spine_first(model: CompiledModel) -> None:
    """A deposit collapses a vertebra in about half of those it reaches (47% of new myelomas on CT, 2023)."""
    evidence = Evidence(
        present=frozenset({"low_back_pain", "vertebral_fracture_on_imaging", "history_of_cancer"}), age=68, sex="female"
    )
    assert _top(model, evidence)[0] == "vertebral_malignancy"


def test_back_pain_that_has_not_improved_after_a_month_counts_for_a_spinal_infection(model: CompiledModel) -> None:
    """An untreated infection does not settle, and a little under half are diagnosed more than a month after the
    first symptom (mean delay 45.5 days): the answer raises the infection, as it raises a cancer (Deyo 1992)."""
    worsening = {"low_back_pain", "course_worsening"}
    row = model.condition_index["spinal_infection"]
    unasked = posterior(model, model.check_evidence(Evidence(present=frozenset(worsening), age=60)))[row]
    not_improved = posterior(
        model,
        model.check_evidence(Evidence(present=frozenset(worsening | {"no_improvement_after_one_month"}), age=60)),
    )[row]
    assert not_improved > 2 * unasked


def test_three_months_of_pain_lower_a_spinal_infection_less_than_a_simple_back_pain(model: CompiledModel) -> None:
    """Tuberculosis, an eighth of spinal infections, is diagnosed a median of five months after the first symptom
    (Ijdema 2015), so long-standing pain speaks less against an infection than against a back pain that settles."""
    worsening = {"low_back_pain", "course_worsening"}
    infection, simple = model.condition_index["spinal_infection"], model.condition_index["nonspecific_low_back_pain"]
    unasked = posterior(model, model.check_evidence(Evidence(present=frozenset(worsening), age=60)))
    chronic = posterior(
        model, model.check_evidence(Evidence(present=frozenset(worsening | {"duration_chronic"}), age=60))
    )
    assert chronic[infection] / unasked[infection] > 1.5 * chronic[simple] / unasked[simple]


def test_a_normal_d_dimer_makes_a_clot_in_a_swollen_leg_far_less_likely(model: CompiledModel) -> None:
    """Raised in 90.5% of leg clots and in 45% of people without one (Goodacre 2005): a normal result divides the
    odds of a clot by about six."""
    leg = {"leg_swelling_one_side", "leg_pain", "leg_pain_unilateral"}
    row = model.condition_index["deep_vein_thrombosis"]
    untested = posterior(model, model.check_evidence(Evidence(present=frozenset(leg), age=55)))[row]
    normal = posterior(
        model, model.check_evidence(Evidence(present=frozenset(leg), absent=frozenset({"raised_d_dimer"}), age=55))
    )[row]
    assert normal < untested / 3


def test_sudden_loin_pain_with_heavy_proteinuria_and_swollen_legs_is_a_kidney_vein_clot_to_treat_now(
    model: CompiledModel,
) -> None:
    stone_like = {"flank_pain", "onset_sudden", "blood_in_urine"}
    as_stone = assess(model, Evidence(present=frozenset(stone_like), age=45, sex="male"))
    nephrotic = assess(model, Evidence(
        present=frozenset(stone_like | {"heavy_proteinuria", "leg_swelling_both_sides"}), age=45, sex="male",
    ))
    assert as_stone.conditions[0].id == "kidney_stone"
    assert nephrotic.conditions[0].id == "renal_vein_thrombosis"
    assert nephrotic.triage.level.value == "emergency"


def test_a_spinal_fracture_after_a_fall_from_a_height_is_an_injury_fracture_not_one_of_thin_bone(
    model: CompiledModel,
) -> None:
    def first(present: set[str], age: int) -> str:
        return assess(model, Evidence(present=frozenset(present), age=age, sex="female")).conditions[0].id

    assert first({"thoracic_back_pain", "major_trauma"}, age=50) == "traumatic_spinal_fracture"
    assert first({"thoracic_back_pain", "minor_trauma", "onset_sudden", "osteoporosis"}, age=78) == (
        "vertebral_compression_fracture"
    )


def test_legs_paralysed_below_a_level_after_a_fall_from_a_height_are_a_broken_spine_not_a_disease_of_the_cord(
    model: CompiledModel,
) -> None:
    injured_cord = {"major_trauma", "low_back_pain", "leg_weakness", "leg_weakness_bilateral", "weakness_severe",
                    "sensory_level_trunk"}
    result = assess(model, Evidence(present=frozenset(injured_cord), age=48, sex="male"))
    assert result.conditions[0].id == "traumatic_spinal_fracture"


def test_one_swollen_painful_leg_in_the_weeks_after_birth_is_first_a_clot(model: CompiledModel) -> None:
    swollen_leg = {"leg_swelling_one_side", "leg_pain", "leg_pain_unilateral", "recent_childbirth"}
    result = assess(model, Evidence(present=frozenset(swollen_leg), age=30, sex="female"))
    assert result.conditions[0].id == "deep_vein_thrombosis"


def test_pain_below_the_knee_counts_for_a_clot_as_most_clots_reach_the_calf_veins(model: CompiledModel) -> None:
    # most clots reach the veins below the knee (Baroncini 2013), so their pain is mostly felt there, more often
    # than leg pain in general is
    one_calf = {"leg_pain", "leg_pain_unilateral", "leg_swelling_one_side", "leg_pain_below_knee"}
    result = assess(model, Evidence(present=frozenset(one_calf), age=45, sex="male"))
    clot = next(condition for condition in result.conditions if condition.id == "deep_vein_thrombosis")
    ratios = {item.finding: item.likelihood_ratio for item in clot.why.evidence}
    assert ratios.get("leg_pain_below_knee", 1.0) > 1.2


def test_weakness_of_all_four_limbs_building_up_over_days_after_a_gut_infection_is_first_guillain_barre(
    model: CompiledModel,
) -> None:
    ascending_days = {"arm_weakness", "leg_weakness", "leg_weakness_bilateral", "proximal_weakness_both_sides",
                      "weakness_progressive", "onset_gradual", "duration_acute", "recent_infection_gi_respiratory",
                      "course_worsening"}
    evidence = Evidence(present=frozenset(ascending_days), absent=frozenset({"leg_numbness_tingling", "fever"}),
                        age=50, sex="male")
    assert assess(model, evidence).conditions[0].id == "guillain_barre_syndrome"


def test_groin_pain_that_crept_on_over_weeks_in_mid_life_puts_a_dying_femoral_head_before_an_infected_hip(
    model: CompiledModel,
) -> None:
    creeping_hip = {"groin_pain", "hip_pain_on_movement", "onset_gradual", "pain_on_weight_bearing", "night_pain"}
    ranked = [c.id for c in assess(model, Evidence(present=frozenset(creeping_hip), age=42, sex="male"),
                                   max_conditions=6).conditions]
    assert ranked.index("avascular_necrosis_hip") < ranked.index("septic_arthritis_hip")


def test_a_feverish_young_boy_is_not_offered_an_infection_of_the_adult_prostate(model: CompiledModel) -> None:
    def rank_of(condition: str, age: int) -> int:
        result = assess(model, Evidence(present=frozenset({"fever", "limp", "knee_pain"}), age=age, sex="male"),
                        max_conditions=len(model.condition_ids))
        return [c.id for c in result.conditions].index(condition) + 1

    assert rank_of("acute_prostatitis", age=35) <= 5
    assert rank_of("acute_prostatitis", age=6) > 10


def test_worn_hip_cartilage_is_far_less_likely_in_a_teenager_than_in_middle_age(model: CompiledModel) -> None:
    def probability(age: int) -> float:
        result = assess(model, Evidence(present=frozenset({"groin_pain", "hip_pain_on_movement"}), age=age,
                                        sex="female"), max_conditions=len(model.condition_ids))
        return next(c.probability for c in result.conditions if c.id == "hip_osteoarthritis")

    assert probability(14) < probability(50) / 10


def test_an_older_man_with_fever_chills_and_trouble_passing_urine_has_prostatitis_before_an_infected_hip(
    model: CompiledModel,
) -> None:
    present = {"fever", "rigors", "measured_temperature_38", "bladder_retention", "raised_white_cell_count",
               "duration_acute"}
    result = assess(model, Evidence(present=frozenset(present), age=75, sex="male"),
                    max_conditions=len(model.condition_ids))
    ranked = [c.id for c in result.conditions]
    assert ranked.index("acute_prostatitis") < ranked.index("septic_arthritis_hip")


def test_a_tender_swollen_calf_in_pregnancy_is_first_a_clot_not_pregnancy_pelvic_pain(model: CompiledModel) -> None:
    """A tender calf is rare among people with back or leg pain in general, so it counts for a clot."""
    swollen_calf = {"leg_swelling_one_side", "calf_tenderness", "pregnancy"}
    result = assess(model, Evidence(present=frozenset(swollen_calf), age=27, sex="female"))
    assert result.conditions[0].id == "deep_vein_thrombosis"


def test_narrowing_of_the_lumbar_canal_is_less_likely_in_a_teenager_than_in_later_life(
    model: CompiledModel,
) -> None:
    """Degenerative stenosis builds with age: a teenager's night-time shin pain is not it."""
    def probability(age: int) -> float:
        evidence = Evidence(present=frozenset({"leg_pain", "leg_pain_below_knee", "night_pain", "duration_chronic",
                                               "onset_gradual"}), age=age, sex="male")
        result = assess(model, evidence, max_conditions=len(model.condition_ids))
        return next(c.probability for c in result.conditions if c.id == "lumbar_spinal_stenosis")

    assert probability(14) < probability(65) / 2.5


def test_one_thigh_growing_weaker_over_weeks_in_diabetes_is_first_and_clearly_a_lumbosacral_plexopathy(
    model: CompiledModel,
) -> None:
    amyotrophy = {"diabetes", "leg_pain", "leg_pain_above_knee", "leg_weakness", "leg_weakness_unilateral",
                  "weakness_progressive", "knee_reflex_reduced", "duration_subacute"}
    result = assess(model, Evidence(present=frozenset(amyotrophy), age=66, sex="male"))
    assert result.conditions[0].id == "lumbosacral_plexopathy"
    assert result.conditions[0].probability > 0.5


def test_coughing_blood_counts_for_a_spinal_cancer_from_the_lung(model: CompiledModel) -> None:
    """Lung cancer often spreads to the spine, and about a fifth of lung cancers cough blood before they are found
    (Hamilton 2005)."""
    smoker_back = {"thoracic_back_pain", "unexplained_weight_loss", "smoking"}
    row = model.condition_index["vertebral_malignancy"]
    without = posterior(model, model.check_evidence(Evidence(present=frozenset(smoker_back), age=68)))[row]
    with_blood = posterior(
        model, model.check_evidence(Evidence(present=frozenset(smoker_back | {"coughing_blood"}), age=68))
    )[row]
    assert with_blood > 2 * without
