"""The priors across settings: the serious spinal causes hold the share of the prior that the
knowledge base states for where spinecheck is used (ADR 0012), and nothing else about the priors changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from spinecheck.core.kb.loader import DEFAULT_ROOT
from spinecheck.core.model import CompiledModel, exponent_for_share
from spinecheck.interfaces.cli.app import app


def _prior_share(model: CompiledModel, conditions: list[str]) -> float:
    rows = [model.condition_index[c] for c in conditions]
    return float(np.exp(model.log_prior[rows]).sum())


def test_the_serious_causes_hold_the_stated_share_of_the_prior(model: CompiledModel) -> None:
    stated = model.kb.policy.serious_share
    assert stated is not None
    assert _prior_share(model, stated.conditions) == pytest.approx(stated.value, abs=1e-4)


def test_the_stated_share_lies_in_the_published_emergency_department_range(model: CompiledModel) -> None:
    """2.5-5.1% in prospective studies (Galliker 2020), the source the policy names."""
    stated = model.kb.policy.serious_share
    assert stated is not None and stated.source == "galliker2020"
    assert 0.025 <= stated.value <= 0.051


def test_the_order_of_the_priors_is_kept(model: CompiledModel) -> None:
    written = np.array([model.kb.conditions[c].prior.value for c in model.condition_ids])
    compiled = np.exp(model.log_prior)
    for first in range(len(written)):
        for second in range(len(written)):
            if written[first] > written[second]:
                assert compiled[first] > compiled[second]


def test_the_priors_still_sum_to_one(model: CompiledModel) -> None:
    assert float(np.exp(model.log_prior).sum()) == pytest.approx(1.0)


def test_priors_that_already_give_the_serious_causes_their_share_stay_as_written() -> None:
    log_prior = np.log(np.array([0.5, 0.3, 0.2]))
    assert exponent_for_share(log_prior, np.array([2]), 0.1) == 1.0


@given(
    weights=st.lists(st.floats(min_value=1e-5, max_value=1.0), min_size=3, max_size=12),
    share=st.floats(min_value=0.01, max_value=0.2),
)
def test_the_exponent_found_gives_the_share_asked_for(weights: list[float], share: float) -> None:
    priors = np.array(weights) / sum(weights)
    log_prior = np.log(priors)
    serious = np.array([int(np.argmin(priors))])  # the rarest cause
    exponent = exponent_for_share(log_prior, serious, share)
    assert 0.0 < exponent <= 1.0
    scaled = exponent * log_prior
    held = float(np.exp(scaled[serious] - np.logaddexp.reduce(scaled)).sum())
    reachable = 1.0 / len(weights)  # what the rarest cause holds when every cause is equally likely
    if priors[serious].sum() >= share:
        assert exponent == 1.0
    elif share < 0.95 * reachable:
        assert held == pytest.approx(share, abs=1e-6)


def test_a_serious_share_naming_an_unknown_condition_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(DEFAULT_ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    triage = yaml.safe_load((root / "triage.yaml").read_text(encoding="utf-8"))
    triage["serious_share"]["conditions"].append("spinal_gremlins")
    (root / "triage.yaml").write_text(yaml.safe_dump(triage, sort_keys=False), encoding="utf-8")
    outcome = CliRunner().invoke(app, ["kb", "validate", "--kb", str(root)])
    assert outcome.exit_code == 1
    assert "✗ triage.yaml: serious_share: counts unknown condition 'spinal_gremlins'" in outcome.output
