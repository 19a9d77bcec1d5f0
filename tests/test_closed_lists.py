"""Places of pain are answered as one list: the places not named are places where it does not hurt."""

from __future__ import annotations

import numpy as np

from spinecheck.core.assessment import assess
from spinecheck.core.inference import posterior, score_batch
from spinecheck.core.model import CompiledModel, Evidence


def test_naming_one_place_of_pain_answers_the_other_places_no(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({"lateral_hip_pain"})))
    assert {"low_back_pain", "neck_pain", "buttock_pain", "knee_pain"} <= checked.absent


def test_pain_where_emergencies_are_felt_is_never_ruled_out_by_omission(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({"low_back_pain"})))
    assert not {"chest_pain", "abdominal_pain", "flank_pain", "groin_pain"} & checked.absent


def test_a_list_with_nothing_named_stays_unanswered(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({"leg_weakness"}), absent=frozenset({"neck_pain"})))
    assert "low_back_pain" not in checked.absent


def test_findings_outside_the_list_stay_unknown(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({"low_back_pain"})))
    assert "leg_pain" not in checked.absent and "saddle_numbness" not in checked.absent


def test_pain_on_the_outer_hip_alone_is_not_ranked_as_back_pain(model: CompiledModel) -> None:
    result = assess(model, Evidence(present=frozenset({"lateral_hip_pain"}), age=55, sex="female"))
    ranking = [condition.id for condition in result.conditions]
    assert ranking.index("greater_trochanteric_pain_syndrome") < ranking.index("nonspecific_low_back_pain")


def test_a_batch_row_closes_the_list_as_one_case_does(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"groin_pain", "pain_on_weight_bearing"}), age=70)
    states = model.state_vector(evidence)[None, :]
    batch = score_batch(model, states, np.array([70.0]), np.array([0], dtype=np.int8), dtype=np.float64)[0]
    assert np.allclose(batch, posterior(model, model.check_evidence(evidence)))
