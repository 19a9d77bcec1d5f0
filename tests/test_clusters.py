"""Clusters of signs: their published ratio counts once, in place of their members' own answers."""

from __future__ import annotations

import dataclasses
import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import MINI_KB
from spinecheck.core.inference import log_scores, posterior, score_batch
from spinecheck.core.kb.loader import KnowledgeBaseError, load_knowledge_base
from spinecheck.core.model import CompiledModel, Evidence, compile_model

SIGNS = frozenset({"hoffmann_sign_positive", "inverted_supinator_sign", "babinski_positive"})


@pytest.fixture(scope="module")
def without_clusters(model: CompiledModel) -> CompiledModel:
    return compile_model(dataclasses.replace(model.kb, clusters=()))


def _own_log_ratios(model: CompiledModel, row: int, present: frozenset[str]) -> float:
    return float(sum(model.log_lr_present[row, model.finding_index[f]] for f in present))


def test_three_positive_signs_count_once_at_the_published_ratio(
    model: CompiledModel, without_clusters: CompiledModel
) -> None:
    evidence = model.check_evidence(Evidence(present=SIGNS, age=40))
    row = model.condition_index["spinal_cord_compression"]
    change = log_scores(model, evidence) - log_scores(without_clusters, evidence)
    assert change[row] == pytest.approx(math.log(30.9) - _own_log_ratios(model, row, SIGNS))
    assert np.allclose(np.delete(change, row), 0.0)


def test_an_undecided_cluster_changes_nothing(model: CompiledModel, without_clusters: CompiledModel) -> None:
    evidence = model.check_evidence(Evidence(present=frozenset({"hoffmann_sign_positive"}), age=40))
    assert np.allclose(log_scores(model, evidence), log_scores(without_clusters, evidence))


def test_a_negative_cluster_needs_every_member_answered(
    model: CompiledModel, without_clusters: CompiledModel
) -> None:
    row = model.condition_index["spinal_cord_compression"]
    partly = model.check_evidence(Evidence(absent=SIGNS, age=30))
    assert np.allclose(log_scores(model, partly), log_scores(without_clusters, partly))
    whole = model.check_evidence(Evidence(absent=SIGNS | {"unsteady_gait", "wide_based_gait"}, age=30))
    change = log_scores(model, whole) - log_scores(without_clusters, whole)
    assert change[row] == pytest.approx(
        math.log(0.18) - sum(model.log_lr_absent[row, model.finding_index[f]] for f in whole.absent
                              if f in SIGNS | {"unsteady_gait", "wide_based_gait"})
    )


def test_a_batch_row_gets_what_one_case_gets(model: CompiledModel) -> None:
    evidence = Evidence(present=SIGNS | {"neck_pain"}, age=60)
    states = model.state_vector(evidence)[None, :]
    batch = score_batch(model, states, np.array([60.0]), np.array([0], dtype=np.int8), dtype=np.float64)[0]
    assert np.allclose(batch, posterior(model, model.check_evidence(evidence)))


def _with_clusters(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    (root / "clusters.yaml").write_text(text, encoding="utf-8")
    return root


def test_a_cluster_of_an_unknown_condition_is_refused(tmp_path: Path) -> None:
    root = _with_clusters(tmp_path, """schema_version: 1
clusters:
  - {id: c, name: A cluster, condition: nowhere, members: [fever, saddle_numbness],
     ratios: [{positive_at_least: 2, ratio: 5}], source: test_source}
""")
    with pytest.raises(KnowledgeBaseError, match="unknown condition 'nowhere'"):
        load_knowledge_base(root)


def test_a_ratio_counting_more_members_than_there_are_is_refused(tmp_path: Path) -> None:
    root = _with_clusters(tmp_path, """schema_version: 1
clusters:
  - {id: c, name: A cluster, condition: sciatica, members: [fever, saddle_numbness],
     ratios: [{positive_at_least: 3, ratio: 5}], source: test_source}
""")
    with pytest.raises(KnowledgeBaseError, match="counts 3 positive members of 2"):
        load_knowledge_base(root)
