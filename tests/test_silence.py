"""A description's silence about back pain: weak evidence a text reader adds, derived from back pain's
own likelihoods, that no rule reads, nobody is asked, and any answer about back pain makes moot."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import MINI_KB
from spinecheck.core.inference import posterior, score_batch
from spinecheck.core.interview.compile import compiled
from spinecheck.core.kb.loader import KnowledgeBaseError, load_knowledge_base
from spinecheck.core.model import CompiledModel, Evidence, EvidenceError, compile_model
from spinecheck.core.triage import triage
from spinecheck.interfaces import wiring  # noqa: F401  (plugs the text reader into the services)
from spinecheck.services.narrative import evidence_from_parse, parse_text

SILENCE = "low_back_pain_unmentioned"
MINI_SILENCE = (
    "  - {id: back_pain_unmentioned, label: Back pain not mentioned, question: \"Does the text leave out back pain?\","
    " category: symptom, silence_about: {finding: low_back_pain, mention_rate: {value: 0.8, source: test_source}},"
    " background: {value: 0.28, source: test_source}}\n"
)


def _mini_with_silence(tmp_path: Path, silence: str = MINI_SILENCE) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(MINI_KB, root)
    findings = root / "findings" / "all.yaml"
    findings.write_text(findings.read_text(encoding="utf-8") + silence, encoding="utf-8")
    return root


def _read(text: str, model: CompiledModel) -> Evidence:
    return evidence_from_parse(parse_text(text, model), model)


def test_silence_is_one_less_the_mention_rate_times_back_pain_for_every_condition(model: CompiledModel) -> None:
    rate = model.kb.findings[SILENCE].silence_about.mention_rate.value  # type: ignore[union-attr]
    silent, back = model.finding_index[SILENCE], model.finding_index["low_back_pain"]
    assert np.allclose(model.likelihood[:, silent], 1.0 - rate * model.likelihood[:, back])
    assert model.background[silent] == pytest.approx(1.0 - rate * model.background[back])


def test_silence_weighs_against_back_pain_conditions_and_for_leg_conditions(model: CompiledModel) -> None:
    ratio = model.log_lr_present[:, model.finding_index[SILENCE]]
    assert ratio[model.condition_index["nonspecific_low_back_pain"]] < 0 < ratio[
        model.condition_index["peripheral_arterial_disease"]
    ]


@pytest.mark.parametrize("answer", ["present", "absent"])
def test_an_answer_about_back_pain_makes_the_silence_moot(model: CompiledModel, answer: str) -> None:
    back = frozenset({"low_back_pain"})
    evidence = (
        Evidence(present=frozenset({SILENCE}) | back) if answer == "present"
        else Evidence(present=frozenset({SILENCE}), absent=back)
    )
    assert SILENCE not in model.check_evidence(evidence).present


def test_a_silence_given_as_absent_beside_an_answer_about_back_pain_is_not_counted_again(model: CompiledModel) -> None:
    # "back pain is not left out" beside "back pain: yes" is the same answer twice
    told = frozenset({"low_back_pain", "leg_pain"})
    said_twice = model.check_evidence(Evidence(present=told, absent=frozenset({SILENCE})))
    said_once = model.check_evidence(Evidence(present=told))
    assert SILENCE not in said_twice.absent
    assert np.allclose(posterior(model, said_twice), posterior(model, said_once))


def test_a_silence_given_as_absent_counts_where_back_pain_itself_is_not_answered(model: CompiledModel) -> None:
    # a description that names the back without saying where it hurts has still not left the back out
    checked = model.check_evidence(Evidence(present=frozenset({"leg_pain"}), absent=frozenset({SILENCE})))
    assert SILENCE in checked.absent


def test_a_batch_row_drops_a_silence_given_as_absent_beside_its_answer_as_one_case_does(model: CompiledModel) -> None:
    told = frozenset({"low_back_pain", "leg_pain"})
    evidence = Evidence(present=told, absent=frozenset({SILENCE}), age=40, sex="male")
    states = model.state_vector(evidence)[None, :]
    batch = score_batch(model, states, np.array([40.0]), np.array([2], dtype=np.int8), dtype=np.float64)[0]
    assert np.allclose(batch, posterior(model, model.check_evidence(evidence)))


def test_another_place_of_pain_on_the_list_answers_back_pain_and_ends_the_silence(model: CompiledModel) -> None:
    checked = model.check_evidence(Evidence(present=frozenset({SILENCE, "knee_pain"})))
    assert "low_back_pain" in checked.absent
    assert SILENCE not in checked.present


def test_a_batch_row_drops_a_moot_silence_as_one_case_does(model: CompiledModel) -> None:
    evidence = Evidence(present=frozenset({SILENCE, "low_back_pain", "leg_pain"}), age=40, sex="female")
    states = model.state_vector(evidence)[None, :]
    batch = score_batch(model, states, np.array([40.0]), np.array([1], dtype=np.int8), dtype=np.float64)[0]
    assert np.allclose(batch, posterior(model, model.check_evidence(evidence)))


def test_the_interview_never_asks_about_a_silence(model: CompiledModel) -> None:
    asked = {finding for question in compiled(model).questions for finding in question.findings}
    assert SILENCE not in asked
    assert "low_back_pain" in asked


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_no_warning_sign_rule_reads_a_silence(model: CompiledModel, data: st.DataObject) -> None:
    findings = sorted(set(model.finding_ids) - {SILENCE, "low_back_pain"})
    present = frozenset(data.draw(st.lists(st.sampled_from(findings), max_size=6, unique=True)))
    try:
        without = model.check_evidence(Evidence(present=present))
    except EvidenceError:
        assume(False)  # two options of one choice drawn together
    with_silence = model.check_evidence(Evidence(present=present | {SILENCE}))
    assume(SILENCE in with_silence.present)  # else the answers drawn settled back pain
    quiet, silent = (triage(model, model.encode(e), posterior(model, e)[None, :]) for e in (without, with_silence))
    assert (quiet.rules_true == silent.rules_true).all()
    assert (quiet.rules_false == silent.rules_false).all()


@pytest.mark.parametrize("text", [
    "My left calf cramps when I walk a few hundred yards and eases when I stop.",
    "I went back to work on Monday and now my right knee aches.",
    "Pain down the back of my thigh since I fell playing football.",
])
def test_a_description_that_never_names_the_back_adds_the_silence(model: CompiledModel, text: str) -> None:
    assert SILENCE in _read(text, model).present


@pytest.mark.parametrize("text", [
    "My lower back has hurt for three weeks.",
    "I have no back pain, but my leg aches.",
    "I was off work for two weeks with my back and now my leg is numb.",
    "Yesterday I felt my back go when I lifted a box.",
])
def test_a_description_that_names_the_back_adds_no_silence(model: CompiledModel, text: str) -> None:
    assert SILENCE not in _read(text, model).present


@pytest.mark.parametrize("text", ["", "My cat is purple."], ids=["empty", "nothing read"])
def test_a_text_of_which_nothing_was_read_says_nothing_by_its_silence(model: CompiledModel, text: str) -> None:
    evidence = evidence_from_parse(parse_text(text, model), model, present=["leg_pain"])
    assert SILENCE not in evidence.present


def test_a_stated_answer_about_back_pain_wins_over_the_silence(model: CompiledModel) -> None:
    evidence = evidence_from_parse(parse_text("My calf hurts when I walk.", model), model, present=["low_back_pain"])
    assert SILENCE not in model.check_evidence(evidence).present


def test_a_silence_compiles_from_its_finding_in_any_knowledge_base(tmp_path: Path) -> None:
    small = compile_model(load_knowledge_base(_mini_with_silence(tmp_path)))
    silent, back = small.finding_index["back_pain_unmentioned"], small.finding_index["low_back_pain"]
    assert np.allclose(small.likelihood[:, silent], 1.0 - 0.8 * small.likelihood[:, back])


def test_a_silence_whose_background_disagrees_with_its_rate_is_refused(tmp_path: Path) -> None:
    root = _mini_with_silence(tmp_path, MINI_SILENCE.replace("value: 0.28", "value: 0.5"))
    with pytest.raises(KnowledgeBaseError, match="1 - rate x the background of 'low_back_pain'"):
        load_knowledge_base(root)


def test_a_silence_about_an_unknown_finding_is_refused(tmp_path: Path) -> None:
    root = _mini_with_silence(tmp_path, MINI_SILENCE.replace("finding: low_back_pain", "finding: no_such"))
    with pytest.raises(KnowledgeBaseError, match="no_such"):
        load_knowledge_base(root)


def test_a_mention_rate_with_an_unknown_source_is_refused(tmp_path: Path) -> None:
    root = _mini_with_silence(tmp_path, MINI_SILENCE.replace("mention_rate: {value: 0.8, source: test_source}",
                                                             "mention_rate: {value: 0.8, source: no_such_source}"))
    with pytest.raises(KnowledgeBaseError, match="no_such_source"):
        load_knowledge_base(root)


def test_a_condition_that_gives_a_silence_its_own_likelihood_is_refused(tmp_path: Path) -> None:
    root = _mini_with_silence(tmp_path)
    condition = root / "conditions" / "strain.yaml"
    text = condition.read_text(encoding="utf-8").replace(
        "likelihoods:\n", "likelihoods:\n  - {finding: back_pain_unmentioned, p: 0.5, source: test_source}\n", 1
    )
    condition.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="names the silence finding 'back_pain_unmentioned'"):
        load_knowledge_base(root)


def test_a_warning_sign_rule_that_reads_a_silence_is_refused(tmp_path: Path) -> None:
    root = _mini_with_silence(tmp_path)
    rules = root / "red_flags.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("saddle_numbness", "back_pain_unmentioned", 1),
                     encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="the rule names the silence finding"):
        load_knowledge_base(root)
