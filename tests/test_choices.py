"""A choice (findings of one exclusive group) is one question with one answer, and counts once."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecheck.core.inference import log_posterior_scores, posteriors
from spinecheck.core.model import FALSE, TRUE, CompiledModel, Evidence


def _columns(model: CompiledModel, group: str) -> list[int]:
    return [model.finding_index[f] for f in model.exclusive_groups[group]]


def test_each_condition_s_options_of_a_choice_add_up_to_one(model: CompiledModel) -> None:
    for group in model.exclusive_groups:
        sums = model.likelihood[:, _columns(model, group)].sum(axis=1)
        assert np.allclose(sums, 1.0, atol=1e-6), group


def test_options_a_condition_does_not_give_share_what_its_given_options_leave(model: CompiledModel) -> None:
    """In proportion to how common each option is among everyone with back pain."""
    checked = 0
    for group in model.exclusive_groups:
        columns = np.array(_columns(model, group))
        for row in range(len(model.condition_ids)):
            given = model.specified[row, columns]
            if given.any() and not given.all() and given.sum() <= len(columns) - 2:
                left = columns[~given]
                shares = model.likelihood[row, left] / model.likelihood[row, left].sum()
                assert np.allclose(shares, model.background[left] / model.background[left].sum(), atol=0.02)
                checked += 1
    assert checked > 0


def test_a_present_option_is_counted_without_the_others_it_rules_out(model: CompiledModel) -> None:
    sudden, gradual = _columns(model, "onset")
    present, absent = model.counted_answers([sudden], [gradual])
    assert present == [sudden] and absent == []


def test_options_ruled_out_without_a_present_one_still_count(model: CompiledModel) -> None:
    chronic = _columns(model, "duration")[-1]
    assert model.counted_answers([], [chronic])[1] == [chronic]


def test_the_batch_path_sets_the_ruled_out_options_aside_too(model: CompiledModel) -> None:
    acute, subacute, chronic = _columns(model, "duration")
    states = np.zeros((2, len(model.finding_ids)), dtype=np.int8)
    states[0, [acute, subacute, chronic]] = [TRUE, FALSE, FALSE]
    states[1, [subacute, chronic]] = [FALSE, FALSE]
    counted = model.counted_states(states)
    assert counted[0, [acute, subacute, chronic]].tolist() == [TRUE, 0, 0]
    assert counted[1, [subacute, chronic]].tolist() == [FALSE, FALSE]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["onset", "duration", "course"]), st.data())
def test_saying_no_to_the_other_options_changes_nothing_once_one_is_chosen(
    model: CompiledModel, group: str, data: st.DataObject
) -> None:
    options = model.exclusive_groups[group]
    chosen = data.draw(st.sampled_from(options))
    others = frozenset(options) - {chosen}
    alone = model.encode(model.check_evidence(Evidence(present=frozenset({chosen, "low_back_pain"}))))
    stated = model.encode(model.check_evidence(Evidence(present=frozenset({chosen, "low_back_pain"}), absent=others)))
    assert np.allclose(posteriors(model, alone), posteriors(model, stated))


@pytest.mark.parametrize("group", ["onset", "duration", "course"])
def test_an_answer_to_a_choice_moves_the_differential_by_the_option_s_own_likelihood(
    model: CompiledModel, group: str
) -> None:
    """The odds of two conditions move by the ratio of their likelihoods of the chosen option, nothing more."""
    chosen = model.exclusive_groups[group][0]
    column = model.finding_index[chosen]
    base = log_posterior_scores(model, model.encode(model.check_evidence(Evidence())))[0]
    after = log_posterior_scores(model, model.encode(model.check_evidence(Evidence(present=frozenset({chosen})))))[0]
    moved = (after - base) - (after[0] - base[0])
    expected = np.log(model.likelihood[:, column] / model.likelihood[0, column])
    assert np.allclose(moved, expected, atol=1e-6)
