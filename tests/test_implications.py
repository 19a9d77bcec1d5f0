"""Findings that imply others: counted once, completed in the evidence, and consistent in batch."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import MINI_KB
from spinecheck.core.inference import log_scores, posterior, score_batch
from spinecheck.core.kb.loader import KnowledgeBaseError, load_knowledge_base
from spinecheck.core.model import FALSE, TRUE, CompiledModel, Evidence


def test_the_general_finding_a_specific_one_implies_adds_nothing_more(model: CompiledModel) -> None:
    specific = Evidence(present=frozenset({"weakness_ankle_dorsiflexion", "low_back_pain"}), age=45)
    both = Evidence(present=frozenset({"weakness_ankle_dorsiflexion", "leg_weakness", "low_back_pain"}), age=45)
    assert np.allclose(
        posterior(model, model.check_evidence(specific)), posterior(model, model.check_evidence(both))
    )


def test_a_specific_finding_brings_its_general_one_into_the_evidence(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({"leg_weakness_bilateral"})))
    assert "leg_weakness" in checked.present


def test_a_general_no_answers_its_specific_findings_no(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(absent=frozenset({"leg_weakness"})))
    assert {"weakness_ankle_dorsiflexion", "leg_weakness_bilateral"} <= checked.absent


def test_a_specific_yes_beside_a_general_no_is_read_the_safer_way(model: CompiledModel) -> None:
    checked = model.check_evidence(
        Evidence(present=frozenset({"weakness_ankle_dorsiflexion"}), absent=frozenset({"leg_weakness"}))
    )
    assert "leg_weakness" in checked.present and "leg_weakness" not in checked.absent


def test_a_condition_that_rarely_weakens_a_leg_rarely_drops_a_foot(model: CompiledModel) -> None:
    """Unlisted specific findings follow the general one's likelihood times their usual share."""
    row = model.condition_index["nonspecific_low_back_pain"]
    general, specific = model.finding_index["leg_weakness"], model.finding_index["weakness_ankle_dorsiflexion"]
    assert model.specified[row, general] and not model.specified[row, specific]
    share = model.background[specific] / model.background[general]
    assert model.likelihood[row, specific] == pytest.approx(model.likelihood[row, general] * share)


def test_a_shaking_chill_brings_a_fever_into_the_evidence(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({"rigors", "low_back_pain"})))
    assert "fever" in checked.present


def test_a_febrile_illness_without_its_own_figure_for_rigors_takes_the_usual_share_of_its_fever(
    model: CompiledModel,
) -> None:
    """A kidney or spine infection is not as rarely shaking as back pain in general: it shivers as
    often as its fever, times the share of febrile adults who have shaking chills."""
    fever, rigors = model.finding_index["fever"], model.finding_index["rigors"]
    share = model.background[rigors] / model.background[fever]
    for condition in ("pyelonephritis", "psoas_abscess", "septic_sacroiliitis"):
        row = model.condition_index[condition]
        assert model.specified[row, fever] and not model.specified[row, rigors]
        assert model.likelihood[row, rigors] == pytest.approx(model.likelihood[row, fever] * share)


def _log_score(model: CompiledModel, evidence: Evidence, condition: str) -> float:
    scores = log_scores(model, model.check_evidence(evidence))
    return float(scores[model.condition_index[condition]] - scores[model.condition_index["nonspecific_low_back_pain"]])


def test_two_specific_findings_a_condition_does_not_give_count_its_general_finding_once(
    model: CompiledModel,
) -> None:
    """Shingles gives leg weakness (rare) but none of its kinds: a second kind of weakness in the
    same leg says nothing more about shingles than the first (ADR 0014)."""
    row = model.condition_index["shingles_preherpetic"]
    kinds = ("weakness_ankle_dorsiflexion", "weakness_big_toe_extension")
    assert not any(model.specified[row, model.finding_index[kind]] for kind in kinds)
    one = Evidence(present=frozenset({kinds[0], "low_back_pain"}), age=60)
    two = Evidence(present=frozenset({*kinds, "low_back_pain"}), age=60)
    added_for_shingles = _log_score(model, two, "shingles_preherpetic") - _log_score(model, one, "shingles_preherpetic")
    assert added_for_shingles == pytest.approx(0.0, abs=1e-9)


def test_a_specific_finding_alone_counts_as_its_own_likelihood(model: CompiledModel) -> None:
    """The general "yes" and the specific finding's share of it, counted together, are the specific
    finding's own likelihood for every condition: P(general) x P(specific | general) = P(specific)."""
    specific = model.finding_index["weakness_ankle_dorsiflexion"]
    answered = log_scores(model, model.check_evidence(Evidence(present=frozenset({"weakness_ankle_dorsiflexion"}))))
    unanswered = log_scores(model, model.check_evidence(Evidence()))
    added = answered - unanswered
    assert np.ptp(added - np.log(model.likelihood[:, specific])) == pytest.approx(0.0, abs=1e-9)


def test_a_no_to_a_specific_finding_beside_a_yes_above_it_counts_as_its_share_of_that_yes(
    model: CompiledModel,
) -> None:
    """Numb, but not numb in both feet: 1 - P(both feet | numb), for every condition (ADR 0014)."""
    general = Evidence(present=frozenset({"leg_numbness_tingling"}))
    both = Evidence(present=frozenset({"leg_numbness_tingling"}), absent=frozenset({"numbness_both_feet_stocking"}))
    added = log_scores(model, model.check_evidence(both)) - log_scores(model, model.check_evidence(general))
    share = model.likelihood[:, model.finding_index["numbness_both_feet_stocking"]] / model.likelihood[
        :, model.finding_index["leg_numbness_tingling"]
    ]
    assert np.ptp(added - np.log1p(-share)) == pytest.approx(0.0, abs=1e-9)


def test_several_nos_under_an_unanswered_general_finding_are_one_fact_about_it(model: CompiledModel) -> None:
    """Neither the ankle nor the big toe weak, leg weakness not asked: either the leg is not weak, or it is
    and neither share of it is: (1 - P(weak)) + P(weak) (1 - q_ankle) (1 - q_toe), for every condition."""
    index = model.finding_index
    shares = ("weakness_ankle_dorsiflexion", "weakness_big_toe_extension")
    weak = model.likelihood[:, index["leg_weakness"]]
    q = [model.likelihood[:, index[s]] / weak for s in shares]
    expected = np.log((1 - weak) + weak * (1 - q[0]) * (1 - q[1]))
    scores = log_scores(model, model.check_evidence(Evidence(absent=frozenset(shares))))
    added = scores - log_scores(model, model.check_evidence(Evidence()))
    assert np.ptp(added - expected) == pytest.approx(0.0, abs=1e-9)


def test_a_share_is_always_less_than_the_whole(model: CompiledModel) -> None:
    for child, general in model.only_parent.items():
        c, g = model.finding_index[child], model.finding_index[general]
        assert np.all(model.likelihood[:, c] < model.likelihood[:, g])


def test_a_specific_finding_follows_its_nearest_general_finding_a_condition_gives(model: CompiledModel) -> None:
    """Numbness of both feet is a share of numbness of both legs before it is a share of any numbness."""
    nearest, farthest = model.finding_index["leg_numbness_bilateral"], model.finding_index["leg_numbness_tingling"]
    specific = model.finding_index["numbness_both_feet_stocking"]
    share = model.background[specific] / model.background[nearest]
    rows = [row for row in range(len(model.condition_ids))
            if model.specified[row, nearest] and model.specified[row, farthest] and not model.specified[row, specific]]
    assert rows
    for row in rows:
        assert model.likelihood[row, specific] == pytest.approx(model.likelihood[row, nearest] * share)


@pytest.mark.parametrize(
    "present",
    [{"weakness_ankle_dorsiflexion"}, {"weakness_ankle_dorsiflexion", "weakness_big_toe_extension"},
     {"numbness_both_feet_stocking", "areflexia"}],
)
def test_a_batch_row_gets_what_one_case_gets(model: CompiledModel, present: set[str]) -> None:
    evidence = Evidence(present=frozenset({*present, "low_back_pain"}), age=45)
    states = model.state_vector(evidence)[None, :]
    batch = score_batch(model, states, np.array([45.0]), np.array([0], dtype=np.int8), dtype=np.float64)[0]
    assert np.allclose(batch, posterior(model, model.check_evidence(evidence)))


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    findings = next((root / "findings").glob("*.yaml"))
    findings.write_text(findings.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return root


def test_an_implication_of_an_unknown_finding_is_refused(tmp_path: Path) -> None:
    root = _copy_with(
        tmp_path, "category: symptom, lateral: true,", "category: symptom, implies: [no_such], lateral: true,"
    )
    with pytest.raises(KnowledgeBaseError, match="no_such"):
        load_knowledge_base(root)


def test_a_specific_finding_commoner_than_its_general_one_is_refused(tmp_path: Path) -> None:
    """A share is less than the whole: pain below the knee (background 0.2) cannot be a kind of
    saddle numbness (0.01)."""
    root = _copy_with(
        tmp_path, "category: symptom, lateral: true,", "category: symptom, implies: [saddle_numbness], lateral: true,"
    )
    with pytest.raises(KnowledgeBaseError, match="cannot be commoner than its general one"):
        load_knowledge_base(root)


def test_findings_that_imply_each_other_in_a_circle_are_refused(tmp_path: Path) -> None:
    root = _copy_with(
        tmp_path,
        "question: \"Does pain go below your knee?\", category: symptom,",
        "question: \"Does pain go below your knee?\", category: symptom, implies: [low_back_pain],",
    )
    text = next((root / "findings").glob("*.yaml"))
    text.write_text(
        text.read_text(encoding="utf-8").replace(
            "question: \"Does your lower back hurt?\", category: symptom,",
            "question: \"Does your lower back hurt?\", category: symptom, implies: [leg_pain_below_knee],",
        ),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="lead back to itself"):
        load_knowledge_base(root)


def test_back_pain_in_someone_younger_than_45_began_before_45(model: CompiledModel) -> None:
    young = model.check_evidence(Evidence(present=frozenset({"low_back_pain"}), age=30))
    older = model.check_evidence(Evidence(present=frozenset({"low_back_pain"}), age=50))
    unknown_age = model.check_evidence(Evidence(present=frozenset({"low_back_pain"})))
    assert "onset_before_age_45" in young.present
    assert "onset_before_age_45" not in older.present | older.absent
    assert "onset_before_age_45" not in unknown_age.present | unknown_age.absent


def test_the_age_answers_nothing_without_the_finding_it_is_about(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({"leg_weakness"}), age=30))
    assert "onset_before_age_45" not in checked.present


def test_a_batch_row_settles_by_age_as_one_case_does(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"low_back_pain", "duration_chronic"}), age=26, sex="male")
    states = model.state_vector(evidence)[None, :]
    batch = score_batch(model, states, np.array([26.0]), np.array([2], dtype=np.int8), dtype=np.float64)[0]
    assert np.allclose(batch, posterior(model, model.check_evidence(evidence)))


def test_settling_by_age_on_an_unknown_finding_is_refused(tmp_path: Path) -> None:
    root = _copy_with(
        tmp_path, "category: symptom, lateral: true,",
        "category: symptom, settled_by_age: {below: 45, given_any: [no_such]}, lateral: true,",
    )
    with pytest.raises(KnowledgeBaseError, match="no_such"):
        load_knowledge_base(root)


def test_weakness_that_climbs_from_the_feet_is_weakness_of_both_legs(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({"ascending_weakness"})))
    assert {"leg_weakness_bilateral", "leg_weakness", "weakness_progressive"} <= checked.present


def test_the_sides_of_a_finding_add_up_to_it_for_every_condition_that_gives_it(model: CompiledModel) -> None:
    """Leg pain is in one leg or in both: P(one leg) + P(both legs) = P(leg pain) for each condition."""
    for general in ("leg_pain", "leg_weakness"):
        g = model.finding_index[general]
        sides = [model.finding_index[side] for side in model.kb.findings[general].sides]
        rows = model.specified[:, g]
        total = model.likelihood[np.ix_(rows, sides)].sum(axis=1)
        # up to the floor that keeps every answer possible (a side given as the whole leaves the other its floor)
        assert np.allclose(total, model.likelihood[rows, g], atol=5e-3)


def test_a_side_a_condition_does_not_give_is_what_its_given_side_leaves(model: CompiledModel) -> None:
    """Shingles gives leg pain in 0.2 and pain in both legs in 0.05: pain in one leg is the other 0.15."""
    row = model.condition_index["shingles_preherpetic"]
    one_leg, both_legs = model.finding_index["leg_pain_unilateral"], model.finding_index["leg_pain_bilateral"]
    assert not model.specified[row, one_leg] and model.specified[row, both_legs]
    assert model.likelihood[row, one_leg] == pytest.approx(
        model.likelihood[row, model.finding_index["leg_pain"]] - model.likelihood[row, both_legs]
    )


def test_how_far_leg_pain_reaches_splits_it_for_every_condition_that_gives_it(model: CompiledModel) -> None:
    """Leg pain stays above the knee or goes below it: the two parts add up to P(leg pain) (ADR 0022)."""
    g = model.finding_index["leg_pain"]
    parts = [model.finding_index[part] for part in model.kb.findings["leg_pain"].splits[0]]
    rows = model.specified[:, g]
    total = model.likelihood[np.ix_(rows, parts)].sum(axis=1)
    assert np.allclose(total, model.likelihood[rows, g], atol=5e-3)


@pytest.mark.parametrize("part, other", [
    ("leg_pain_above_knee", "leg_pain_below_knee"),
    ("leg_pain_below_knee", "leg_pain_above_knee"),
    ("leg_pain_unilateral", "leg_pain_bilateral"),
    ("leg_weakness_bilateral", "leg_weakness_unilateral"),
])
def test_one_part_of_a_split_answers_the_other_parts_no(model: CompiledModel, part: str, other: str) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({part})))
    assert other in checked.absent


@pytest.mark.parametrize("part, other", [
    ("leg_pain_above_knee", "leg_pain_below_knee"),
    ("leg_pain_unilateral", "leg_pain_bilateral"),
    ("leg_weakness_bilateral", "leg_weakness_unilateral"),
])
def test_saying_no_to_the_other_part_of_a_split_is_not_counted_again(
    model: CompiledModel, part: str, other: str
) -> None:
    """Pain that stays above the knee is pain that does not go below it: one fact, counted once (ADR 0022)."""
    alone = Evidence(present=frozenset({part, "low_back_pain"}), age=40)
    both = Evidence(present=frozenset({part, "low_back_pain"}), absent=frozenset({other}), age=40)
    assert np.allclose(log_scores(model, model.check_evidence(alone)), log_scores(model, model.check_evidence(both)))


def test_what_the_other_part_of_a_split_rules_out_is_not_counted_either(model: CompiledModel) -> None:
    """Weakness of one leg rules out weakness of both, and with it weakness climbing up both legs: the same fact."""
    checked = model.check_evidence(Evidence(present=frozenset({"leg_weakness_unilateral"})))
    assert {"leg_weakness_bilateral", "ascending_weakness"} <= checked.absent
    cases = model.encode(checked)
    _, absent = model.counted_answers_of(cases)
    assert model.finding_index["ascending_weakness"] not in absent
    counted = model.counted_states(cases.states)
    assert counted[0, model.finding_index["ascending_weakness"]] == 0


def test_the_batch_path_fills_in_and_sets_aside_the_other_part_of_a_split(model: CompiledModel) -> None:
    above, below = model.finding_index["leg_pain_above_knee"], model.finding_index["leg_pain_below_knee"]
    states = np.zeros((1, len(model.finding_ids)), dtype=np.int8)
    states[0, above] = TRUE
    completed = model.complete_states(states)
    assert completed[0, below] == FALSE
    assert model.counted_states(completed)[0, below] == 0


@pytest.mark.parametrize(
    "declaration", ["sides: [leg_pain_below_knee, fever]", "splits: [[leg_pain_below_knee, fever]]"]
)
def test_a_part_that_does_not_imply_the_finding_it_divides_is_refused(tmp_path: Path, declaration: str) -> None:
    root = _copy_with(
        tmp_path,
        "question: \"Does your lower back hurt?\", category: symptom,",
        f"question: \"Does your lower back hurt?\", category: symptom, {declaration},",
    )
    with pytest.raises(KnowledgeBaseError, match="must imply 'low_back_pain'"):
        load_knowledge_base(root)


def test_a_measured_fever_speaks_for_a_spine_infection_at_least_as_much_as_a_reported_one(model: CompiledModel) -> None:
    """Measuring 38 °C confirms a reported fever: it cannot make an infection less likely than the
    report alone did, against back pain that is not from an infection."""
    infection, ordinary = model.condition_index["spinal_infection"], model.condition_index["nonspecific_low_back_pain"]

    def odds(present: frozenset[str]) -> float:
        scores = log_scores(model, model.check_evidence(Evidence(present=present | {"low_back_pain"}, age=60)))
        return float(scores[infection] - scores[ordinary])

    assert odds(frozenset({"fever", "measured_temperature_38"})) >= odds(frozenset({"fever"}))
