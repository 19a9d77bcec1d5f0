"""The engine benchmark compares like with like: its network, cases and reference are right.

Nothing here is timed. pgmpy itself lives in benchmarks/.venv-pgmpy, so the one test that
runs it is skipped until the benchmark has created that environment.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from harness_support import BENCHMARKS, load_harness
from spinecheck.core.model import CompiledModel, Evidence

PGMPY_PYTHON = BENCHMARKS / ".venv-pgmpy" / "bin" / "python"


harness = load_harness()


def test_each_finding_table_is_a_distribution_per_condition(mini_model: CompiledModel) -> None:
    spec = harness.network_spec(mini_model)
    for table in spec["cpds"].values():
        columns = np.array(table)
        assert columns.shape == (2, len(mini_model.condition_ids))
        assert np.allclose(columns.sum(axis=0), 1.0)


def test_a_choice_is_one_node_with_a_state_per_option(mini_model: CompiledModel) -> None:
    spec = harness.network_spec(mini_model)
    assert set(spec["choices"]) == set(mini_model.exclusive_groups)
    for group, node in spec["choices"].items():
        assert node["states"] == list(mini_model.exclusive_groups[group])
        assert not set(node["states"]) & set(spec["cpds"])
        assert np.allclose(np.array(node["table"]).sum(axis=0), 1.0)


def test_the_present_row_is_the_compiled_likelihood(mini_model: CompiledModel) -> None:
    spec = harness.network_spec(mini_model)
    column = mini_model.finding_index["saddle_numbness"]
    assert spec["cpds"]["saddle_numbness"][1] == mini_model.likelihood[:, column].tolist()


def test_the_prior_is_a_distribution_in_condition_order(mini_model: CompiledModel) -> None:
    spec = harness.network_spec(mini_model)
    assert spec["conditions"] == list(mini_model.condition_ids)
    assert sum(spec["prior"]) == pytest.approx(1.0)


def test_the_network_by_hand_gives_the_reference_posterior(mini_model: CompiledModel) -> None:
    """Multiplying the network's own tables reproduces spinecheck's posterior before the leak."""
    spec = harness.network_spec(mini_model)
    for evidence in harness.comparable_evidence(mini_model, np.random.default_rng(1), 50):
        joint = np.array(spec["prior"])
        for node, state in harness.network_query(mini_model, evidence).items():
            if node in spec["choices"]:
                choice = spec["choices"][node]
                joint = joint * np.array(choice["table"][choice["states"].index(state)])
            else:
                joint = joint * np.array(spec["cpds"][node][spec["states"].index(state)])
        assert np.allclose(joint / joint.sum(), harness.exact_posterior(mini_model, evidence), atol=1e-12)


def test_comparable_cases_have_no_age_and_fire_no_prior_modifier(mini_model: CompiledModel) -> None:
    cases = harness.comparable_evidence(mini_model, np.random.default_rng(2), 100)
    assert len(cases) == 100
    assert all(case.age is None and case.sex is None for case in cases)
    assert not any(harness.fires_modifier(mini_model, case) for case in cases)


def test_sampled_cases_are_valid_evidence_of_the_asked_size(mini_model: CompiledModel) -> None:
    cases = harness.sample_evidence(mini_model, np.random.default_rng(3), 200, answers=(2, 5))
    assert len(cases) == 200
    for case in cases:
        assert 2 <= len(case.present | case.absent) <= 5
        assert mini_model.check_evidence(case)  # no unknown id, no contradiction
        assert len(case.present & set(mini_model.exclusive_groups["duration"])) <= 1


def test_synthetic_states_are_one_int8_row_of_answers_per_case(mini_model: CompiledModel) -> None:
    states = harness.synthetic_states(mini_model, np.random.default_rng(4), 2_500, chunk=1_000)
    assert states.shape == (2_500, len(mini_model.finding_ids))
    assert states.dtype == np.int8
    assert set(np.unique(states).tolist()) == {-1, 0, 1}


def test_synthetic_states_follow_the_seed(mini_model: CompiledModel) -> None:
    first = harness.synthetic_states(mini_model, np.random.default_rng(5), 100)
    again = harness.synthetic_states(mini_model, np.random.default_rng(5), 100)
    assert np.array_equal(first, again)


@pytest.mark.skipif(not PGMPY_PYTHON.exists(), reason="benchmarks/.venv-pgmpy not created yet")
def test_pgmpy_agrees_with_spinecheck_on_the_mini_kb(mini_model: CompiledModel, tmp_path: Path) -> None:
    cases = harness.comparable_evidence(mini_model, np.random.default_rng(6), 20)
    source, target = tmp_path / "input.json", tmp_path / "output.json"
    source.write_text(json.dumps({
        "network": harness.network_spec(mini_model),
        "queries": [harness.network_query(mini_model, case) for case in cases],
    }))
    subprocess.run([str(PGMPY_PYTHON), str(BENCHMARKS / "pgmpy_worker.py"), str(source), str(target)], check=True)
    result = json.loads(target.read_text())
    expected = np.array([harness.exact_posterior(mini_model, case) for case in cases])
    assert np.allclose(np.array(result["posteriors"]), expected, atol=1e-9)
    assert result["torch_installed"] is False


def test_the_network_query_holds_a_share_with_its_general_finding(model: CompiledModel) -> None:
    evidence = model.check_evidence(Evidence(present=frozenset({"weakness_ankle_dorsiflexion"})))
    assert "leg_weakness" in evidence.present  # the implication brought it in
    query = harness.network_query(model, evidence)
    assert query.get("weakness_ankle_dorsiflexion") == harness.PRESENT
    assert query.get("leg_weakness") == harness.PRESENT


def test_the_network_query_holds_only_the_answers_the_engine_counts(model: CompiledModel) -> None:
    evidence = model.check_evidence(Evidence(present=frozenset({"areflexia"})))
    assert "ankle_reflex_reduced" in evidence.present  # the implication brought it in
    query = harness.network_query(model, evidence)
    assert query.get("areflexia") == harness.PRESENT
    assert "ankle_reflex_reduced" not in query


def test_in_the_network_a_share_is_a_child_of_its_general_finding(model: CompiledModel) -> None:
    spec = harness.network_spec(model)
    share = spec["shares"]["weakness_ankle_dorsiflexion"]
    assert share["parent"] == "leg_weakness"
    count = len(model.condition_ids)
    table = np.array(share["table"])
    assert np.allclose(table.sum(axis=0), 1.0)
    assert np.all(table[1, :count] == 0.0)  # never a weak ankle without a weak leg


def test_the_cases_compared_with_the_network_are_ones_no_cluster_ratio_touches(model: CompiledModel) -> None:
    cases = harness.comparable_evidence(model, np.random.default_rng(3), 40)
    assert not any((model.cluster_outcomes(model.encode(case)) >= 0).any() for case in cases)
