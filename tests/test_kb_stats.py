"""`kb stats`: what the knowledge base's likelihoods rest on, by kind of source."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import MINI_KB
from spinecheck.core.kb.loader import load_knowledge_base
from spinecheck.core.kb.stats import knowledge_base_stats
from spinecheck.services.assessment import load_model


def test_shares_by_kind_of_source_add_up_to_one() -> None:
    shares = knowledge_base_stats(load_model().kb)["likelihood_sources"]
    assert abs(sum(shares["by_kind"].values()) - 1.0) < 0.01
    assert shares["likelihoods"] > 0


def test_the_fixture_rests_only_on_studies() -> None:
    shares = knowledge_base_stats(load_knowledge_base(MINI_KB))["likelihood_sources"]
    assert shares["by_kind"] == {"study": 1.0}
    assert shares["assumed_on_red_flag_or_examination"] == []


def test_an_assumed_likelihood_on_a_warning_sign_is_listed_and_counted(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    sciatica = root / "conditions" / "sciatica.yaml"
    text = sciatica.read_text(encoding="utf-8").replace(
        "likelihoods:\n",
        "likelihoods:\n  - {finding: saddle_numbness, p: 0.01, source: spinecheck_model_assumption}\n",
    )
    sciatica.write_text(text, encoding="utf-8")
    shares = knowledge_base_stats(load_knowledge_base(root))["likelihood_sources"]
    assert shares["assumed_on_red_flag_or_examination"] == ["sciatica:saddle_numbness"]
    assert shares["by_kind"]["model_assumption"] > 0
