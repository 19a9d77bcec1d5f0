"""What `assess()` builds without validating it again, and what it ranks from tables made once, is
exactly what validation and a ranking of each case's own contributions give."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel

from harness_support import load_harness
from spinecheck.core.assessment import SHOWN_LOG_RATIO, Assessment, assess, rank_rows
from spinecheck.core.inference import contribution_keys, posterior, ranked_contributions
from spinecheck.core.logic import Cases
from spinecheck.core.model import CompiledModel, Evidence


@pytest.fixture(scope="module")
def cases(model: CompiledModel) -> list[Evidence]:
    sampled: list[Evidence] = load_harness().sample_evidence(model, np.random.default_rng(11), 150, answers=(0, 60))
    sexes = [None, "female", "male"]
    return [Evidence(present=e.present, absent=e.absent, age=e.age, sex=sexes[i % 3]) for i, e in enumerate(sampled)]


def _same(built: Any, validated: Any, where: str) -> None:
    """Equal, of the same types all the way down, with the same fields given and in the same order."""
    assert type(built) is type(validated), where
    if isinstance(built, BaseModel):
        assert list(built.__dict__) == list(validated.__dict__), where
        assert built.model_fields_set == validated.model_fields_set, where
        assert built.__pydantic_extra__ == validated.__pydantic_extra__, where
        assert built.__pydantic_private__ == validated.__pydantic_private__, where
        for name, value in built.__dict__.items():
            _same(value, validated.__dict__[name], f"{where}.{name}")
    elif isinstance(built, list):
        assert len(built) == len(validated), where
        for position, (one, other) in enumerate(zip(built, validated, strict=True)):
            _same(one, other, f"{where}[{position}]")
    else:
        assert built == validated, where


def test_the_result_is_the_one_validation_makes(model: CompiledModel, cases: list[Evidence]) -> None:
    results = [assess(model, Evidence())]
    for evidence in cases:
        checked = model.check_evidence(evidence)
        results.append(assess(model, checked))
        results.append(assess(model, checked, max_conditions=len(model.condition_ids), screen_floor=False))
        if evidence.present:  # an answer given both ways
            results.append(assess(model, checked, contradicted=[min(evidence.present)]))
    for result in results:
        validated = Assessment.model_validate(result.model_dump(by_alias=True))
        _same(result, validated, "assessment")
        assert result == validated
        assert repr(result) == repr(validated)
        assert result.to_json() == validated.to_json()


def _ranked_by_sorting(
    model: CompiledModel, evidence: Evidence, rows: list[int], limit: int, min_log_ratio: float
) -> list[tuple[list[int], list[int]]]:
    """The case's own contributions sorted, strongest first and ties by name, then cut at the threshold."""
    keys = contribution_keys(model, evidence)
    log_ratios = model.explanation_table[np.array(rows)[:, None], keys]
    strongest = np.argsort(-log_ratios, axis=1, kind="stable")[:, :limit].tolist()
    weakest = np.argsort(log_ratios, axis=1, kind="stable")[:, :limit].tolist()
    return [
        ([keys[c] for c in up if values[c] >= min_log_ratio], [keys[c] for c in down if values[c] <= -min_log_ratio])
        for values, up, down in zip(log_ratios.tolist(), strongest, weakest, strict=True)
    ]


@pytest.mark.parametrize(("limit", "min_log_ratio"), [(4, SHOWN_LOG_RATIO), (2, 0.05), (10, 0.0)])
def test_the_strongest_contributions_are_those_of_ranking_the_case_itself(
    model: CompiledModel, cases: list[Evidence], limit: int, min_log_ratio: float
) -> None:
    compared = 0
    for evidence in cases:
        checked = model.check_evidence(evidence)
        if model.clusters_apply(model.encode(checked)):
            continue  # a cluster standing in for answers is ranked with the case's own contributions
        rows = rank_rows(posterior(model, checked))[:12].tolist()
        assert ranked_contributions(model, checked, rows, limit, min_log_ratio) == _ranked_by_sorting(
            model, checked, rows, limit, min_log_ratio
        )
        compared += 1
    assert compared > 100


def test_one_case_alone_is_evaluated_as_in_a_group(model: CompiledModel, cases: list[Evidence]) -> None:
    """The one-case evaluation of a rule set (each node's two values side by side) against the many-case one."""
    rule_sets = [model.rules, model.cluster_rules, model.general_modifier_rules]
    group = [model.check_evidence(evidence) for evidence in cases]
    states = np.stack([model.state_vector(evidence) for evidence in group])
    ages = np.array([np.nan if evidence.age is None else evidence.age for evidence in group], dtype=np.float64)
    sexes = np.array([{"female": 1, "male": 2}.get(evidence.sex or "", 0) for evidence in group], dtype=np.int8)
    together = Cases.of(states, ages, sexes)
    for rules in rule_sets:
        is_true, is_false = rules.truth(together)
        for row in range(len(group)):
            alone_true, alone_false = rules.truth(together.take(slice(row, row + 1)))
            assert alone_true[0].tolist() == is_true[row].tolist()
            assert alone_false[0].tolist() == is_false[row].tolist()

