"""`kb lint`: a valid knowledge base can still be wrong, and lint says where."""

from __future__ import annotations

import shutil
from pathlib import Path

from spinecheck.core.kb.lint import lint
from spinecheck.core.kb.loader import load_knowledge_base

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"


def copy_with(tmp_path: Path, condition: str, extra: str) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    path = root / "conditions" / f"{condition}.yaml"
    path.write_text(path.read_text() + extra)
    return root


def messages(root: Path) -> list[str]:
    return [issue.message for issue in lint(load_knowledge_base(root))]


def test_the_test_knowledge_base_is_lint_clean() -> None:
    assert messages(MINI_KB) == []


def test_an_always_symptom_with_a_low_likelihood_is_an_error(tmp_path: Path) -> None:
    root = copy_with(tmp_path, "sciatica", "always: [worse_walking]\n")
    assert "always-symptom 'worse_walking' has likelihood 0.3 (below 0.85)" in messages(root)


def test_a_never_symptom_without_a_likelihood_is_an_error(tmp_path: Path) -> None:
    root = copy_with(tmp_path, "strain", "never: [fever]\n")
    assert "never-symptom 'fever' has no likelihood" in messages(root)


def test_a_symptom_both_always_and_never_is_an_error(tmp_path: Path) -> None:
    root = copy_with(tmp_path, "sciatica", "always: [leg_pain_below_knee]\nnever: [leg_pain_below_knee]\n")
    assert "'leg_pain_below_knee' is both always and never" in messages(root)


def test_the_answers_the_reachability_search_finds_really_rank_each_shipped_condition_first() -> None:
    """The lint's search is only a search: check what it finds with the engine itself."""
    import numpy as np

    from spinecheck.core.inference import posterior
    from spinecheck.core.kb.lint import best_case_states, climb_towards
    from spinecheck.core.model import Evidence
    from spinecheck.services.assessment import load_model

    model = load_model()
    missed = []
    for row, condition in enumerate(model.condition_ids):
        states = climb_towards(model, row, best_case_states(model, row, 0))
        evidence = model.check_evidence(Evidence(
            present=frozenset(f for f, s in zip(model.finding_ids, states, strict=True) if s == 1),
            absent=frozenset(f for f, s in zip(model.finding_ids, states, strict=True) if s == -1),
        ))
        if int(np.argmax(posterior(model, evidence))) != row:
            missed.append(condition)
    assert missed == []
