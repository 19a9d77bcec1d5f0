"""Forms of a condition: signs that come together in one form count together, not one by one.

A condition that is a mixture (an abscess that presses on the nerves in some people and not in
others) scores exactly as its forms would, were each a condition of its own with the condition's
prior times its share, added up (docs/adr/0023-forms-of-a-condition.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import MINI_KB
from spinecheck.core.assessment import assess
from spinecheck.core.inference import log_scores, posterior, posteriors, score_batch
from spinecheck.core.kb.loader import KnowledgeBaseError, load_knowledge_base
from spinecheck.core.logic import Cases
from spinecheck.core.model import CompiledModel, Evidence, compile_model
from spinecheck.core.triage import decide
from spinecheck.core.triage_levels import TriageLevel

HEAD = """schema_version: 1
id: abscess
name: Test condition abscess
icd10: M54.5
snomed: "279039007"
description: A condition that exists only in the tests.
rarity: very_rare
prior_modifiers:
  - {when: {age_at_least: 60}, multiplier: 3.0, source: test_source}
urgency: urgent
top_symptoms: [low_back_pain]
likelihoods:
  - {finding: low_back_pain, p: 0.9, source: test_source}
  - {finding: fever, p: 0.95, source: test_source}
"""
CARE = "care: {specialist: GP, source: test_source}\n"

FORMS = """forms:
  - id: pressing
    name: pressing on the nerves
    urgency: emergency
    urgency_source: test_source
    share: {value: 0.3, source: test_source}
    likelihoods:
      - {finding: leg_pain_below_knee, p: 0.9, source: test_source}
      - {finding: worse_walking, p: 0.8, source: test_source}
      - {finding: saddle_numbness, p: 0.4, source: test_source}
  - id: not_pressing
    name: back pain alone
    share: {value: 0.7, source: test_source}
    likelihoods:
      - {finding: leg_pain_below_knee, p: 0.05, source: test_source}
      - {finding: worse_walking, p: 0.1, source: test_source}
      - {finding: saddle_numbness, p: 0.01, source: test_source}
"""

PRIOR = 0.05
SHARES = {"pressing": 0.3, "not_pressing": 0.7}
FORM_LIKELIHOODS = {
    "pressing": {"leg_pain_below_knee": 0.9, "worse_walking": 0.8, "saddle_numbness": 0.4},
    "not_pressing": {"leg_pain_below_knee": 0.05, "worse_walking": 0.1, "saddle_numbness": 0.01},
}
FINDINGS = ["low_back_pain", "leg_pain_below_knee", "saddle_numbness", "bladder_retention", "fever", "worse_walking"]


def _knowledge(root: Path, abscess: str | None = None, extra: dict[str, str] | None = None) -> Path:
    shutil.copytree(MINI_KB, root)
    if abscess is not None:
        (root / "conditions" / "abscess.yaml").write_text(abscess, encoding="utf-8")
    for name, text in (extra or {}).items():
        (root / "conditions" / name).write_text(text, encoding="utf-8")
    return root


def _abscess(prior: float = PRIOR, forms: str = FORMS) -> str:
    return HEAD + CARE + f"prior: {{value: {prior}, source: test_source}}\n" + forms


def _form_as_condition(form: str) -> str:
    """One form written as a condition of its own, with the condition's prior times the form's share."""
    likelihoods = "".join(
        f"  - {{finding: {finding}, p: {p}, source: test_source}}\n" for finding, p in FORM_LIKELIHOODS[form].items()
    )
    text = HEAD.replace("id: abscess", f"id: abscess_{form}") + likelihoods + CARE
    return text + f"prior: {{value: {PRIOR * SHARES[form]}, source: test_source}}\n"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    """The mini knowledge base with the abscess as a mixture of two forms."""
    return compile_model(load_knowledge_base(_knowledge(tmp_path_factory.mktemp("mixed") / "kb", _abscess())))


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> CompiledModel:
    """The same knowledge with each form written as a condition of its own."""
    root = tmp_path_factory.mktemp("split") / "kb"
    shutil.copytree(MINI_KB, root)
    (root / "conditions" / "abscess.yaml").unlink()
    rules = root / "red_flags.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("[abscess]", "[abscess_pressing]"), encoding="utf-8")
    for form in SHARES:
        (root / "conditions" / f"abscess_{form}.yaml").write_text(_form_as_condition(form), encoding="utf-8")
    return compile_model(load_knowledge_base(root))


answers = st.dictionaries(st.sampled_from(FINDINGS), st.booleans(), max_size=len(FINDINGS))


@settings(max_examples=60, deadline=None)
@given(answers=answers, age=st.one_of(st.none(), st.integers(18, 90)))
def test_a_mixed_condition_scores_as_its_forms_added_up(
    mixed: CompiledModel, split: CompiledModel, answers: dict[str, bool], age: int | None
) -> None:
    def evidence(model: CompiledModel) -> Evidence:
        return model.check_evidence(Evidence(
            present=frozenset(f for f, v in answers.items() if v),
            absent=frozenset(f for f, v in answers.items() if not v),
            age=age,
        ))

    ours, theirs = log_scores(mixed, evidence(mixed)), log_scores(split, evidence(split))
    reference = split.condition_index["strain"]
    forms = [theirs[split.condition_index[f"abscess_{form}"]] for form in SHARES]
    expected = np.logaddexp.reduce(forms) - theirs[reference]
    assert ours[mixed.condition_index["abscess"]] - ours[mixed.condition_index["strain"]] == pytest.approx(expected)
    for other in ("sciatica", "cauda"):
        assert ours[mixed.condition_index[other]] - ours[mixed.condition_index["strain"]] == pytest.approx(
            theirs[split.condition_index[other]] - theirs[reference]
        )


def test_one_answer_alone_counts_the_forms_share_weighted_mean(mixed: CompiledModel) -> None:
    likelihoods = {item.finding: item.p for item in mixed.kb.conditions["abscess"].all_likelihoods}
    assert likelihoods["leg_pain_below_knee"] == pytest.approx(0.3 * 0.9 + 0.7 * 0.05)
    assert likelihoods["fever"] == 0.95


def test_signs_of_one_form_weigh_more_together_than_one_by_one(mixed: CompiledModel) -> None:
    one_by_one = compile_model(mixed.kb.__class__(**{
        **mixed.kb.__dict__,
        "conditions": {
            cid: (c.model_copy(update={"likelihoods": c.all_likelihoods, "forms": []}) if c.forms else c)
            for cid, c in mixed.kb.conditions.items()
        },
    }))
    both = Evidence(present=frozenset({"leg_pain_below_knee", "worse_walking"}))
    row = mixed.condition_index["abscess"]
    together = posterior(mixed, mixed.check_evidence(both))[row]
    separately = posterior(one_by_one, one_by_one.check_evidence(both))[row]
    assert together > separately


def test_a_batch_row_gets_what_one_case_gets(mixed: CompiledModel) -> None:
    evidence = Evidence(
        present=frozenset({"leg_pain_below_knee", "fever"}), absent=frozenset({"worse_walking"}), age=64
    )
    states = mixed.state_vector(evidence)[None, :]
    batch = score_batch(mixed, states, np.array([64.0]), np.array([0], dtype=np.int8), dtype=np.float64)[0]
    assert np.allclose(batch, posterior(mixed, mixed.check_evidence(evidence)))


def test_the_interview_look_ahead_gets_what_each_case_gets(mixed: CompiledModel) -> None:
    first = mixed.state_vector(mixed.check_evidence(Evidence(present=frozenset({"fever"}))))
    rows = np.repeat(first[None, :], 3, axis=0)
    rows[1, mixed.finding_index["worse_walking"]] = 1
    rows[2, mixed.finding_index["leg_pain_below_knee"]] = -1
    cases = Cases.of(rows)
    assert np.allclose(posteriors(mixed, cases, near_first=True), posteriors(mixed, cases))


def test_a_form_more_urgent_than_its_condition_sets_the_level_when_the_answers_point_to_it(
    mixed: CompiledModel,
) -> None:
    evidence = mixed.check_evidence(Evidence(present=frozenset({"fever", "leg_pain_below_knee", "worse_walking"})))
    decision = decide(mixed, evidence)
    assert decision.level == TriageLevel.EMERGENCY
    assert any(item.form == "pressing on the nerves" for item in decision.escalations)


def test_a_form_whose_signs_are_unanswered_sets_no_level_of_its_own(mixed: CompiledModel) -> None:
    evidence = mixed.check_evidence(Evidence(present=frozenset({"fever", "low_back_pain"})))
    row = mixed.condition_index["abscess"]
    assert posterior(mixed, evidence)[row] * 0.3 >= 0.10  # in reach of the form's threshold, yet
    decision = decide(mixed, evidence)
    assert decision.level == TriageLevel.URGENT
    assert all(item.form is None for item in decision.escalations)


@pytest.mark.parametrize(
    ("forms", "message"),
    [
        (FORMS.replace("value: 0.7", "value: 0.6"), "add up to 0.900, not 1"),
        (FORMS.replace("      - {finding: worse_walking, p: 0.1, source: test_source}\n", ""),
         "do not give the same findings \\(worse_walking\\)"),
        (FORMS.split("  - id: not_pressing")[0].replace("value: 0.3", "value: 1.0"), "needs at least two"),
        (FORMS.replace("urgency: emergency", "urgency: routine"), "not above the condition's own"),
        (FORMS.replace("    urgency_source: test_source\n", ""), "urgency without its source"),
        (FORMS.replace("finding: saddle_numbness", "finding: fever"), "also given by the condition: fever"),
    ],
)
def test_forms_that_are_not_one_whole_are_refused(tmp_path: Path, forms: str, message: str) -> None:
    root = _knowledge(tmp_path / "kb", _abscess(forms=forms))
    with pytest.raises(KnowledgeBaseError, match=message):
        load_knowledge_base(root)


def test_a_form_citing_an_unknown_source_is_refused(tmp_path: Path) -> None:
    forms = FORMS.replace("p: 0.8, source: test_source", "p: 0.8, source: nowhere")
    root = _knowledge(tmp_path / "kb", _abscess(forms=forms))
    with pytest.raises(KnowledgeBaseError, match="likelihood of worse_walking in form 'pressing' names unknown source"):
        load_knowledge_base(root)


def test_a_form_naming_an_unknown_finding_is_refused(tmp_path: Path) -> None:
    root = _knowledge(tmp_path / "kb", _abscess(forms=FORMS.replace("worse_walking", "walks_oddly")))
    with pytest.raises(KnowledgeBaseError, match="a form names unknown finding 'walks_oddly'"):
        load_knowledge_base(root)


def test_fever_with_weakness_of_both_legs_and_retention_puts_the_spinal_infection_first(model: CompiledModel) -> None:
    """The shipped knowledge: the signs of an abscess pressing on the cord count together."""
    evidence = model.check_evidence(Evidence(
        present=frozenset({"fever", "low_back_pain", "leg_weakness_bilateral", "leg_numbness_bilateral",
                           "bladder_retention", "weakness_progressive"}),
        age=58,
    ))
    probabilities = posterior(model, evidence)
    assert model.condition_ids[int(np.argmax(probabilities))] == "spinal_infection"


def test_a_result_names_the_form_the_answers_point_to(mixed: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"fever", "leg_pain_below_knee", "worse_walking"}))
    found = {c.id: c for c in assess(mixed, mixed.check_evidence(evidence)).conditions}
    form = found["abscess"].form
    assert form is not None and form.name == "pressing on the nerves" and form.share > 0.9
    assert found["strain"].form is None


def test_a_result_names_no_form_when_no_answer_tells_them_apart(mixed: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({"fever", "low_back_pain"}))
    assert all(c.form is None for c in assess(mixed, mixed.check_evidence(evidence)).conditions)


def test_the_condition_card_lists_the_forms_with_their_shares_and_urgencies(client: Any) -> None:
    card = client.get("/v1/conditions/spinal_infection").json()
    forms = {form["id"]: form for form in card["forms"]}
    assert sum(form["share"] for form in forms.values()) == pytest.approx(1.0)
    assert forms["with_deficit"]["urgency"] == "emergency" and forms["without_deficit"]["urgency"] == "urgent"
    assert {"mylona2009", "medscape_sea"} <= {source["id"] for source in card["sources"]}


def test_the_condition_page_shows_the_ways_a_condition_shows(client: Any) -> None:
    page = client.get("/conditions/spinal_infection").text
    assert "The ways it shows" in page and "pressing on the spinal cord or nerve roots" in page.lower()


def test_a_condition_without_forms_has_none_on_its_card(client: Any) -> None:
    assert client.get("/v1/conditions/lumbar_disc_herniation").json()["forms"] == []
