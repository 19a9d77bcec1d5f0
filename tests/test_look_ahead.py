"""The interview's look-ahead takes two shortcuts; each gives what the plain computation gives.

Rows that differ from the first in a few answers have their answers' log-likelihoods summed by
difference, and the alternatives of the set-aside step are scored in the same pass as the rows.
Both are checked here against the plain path on stacked matrices built as the look-ahead builds
them: a state, then the state with one or a few answers changed (red-flag "yes" answers often).
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinecheck.core.inference import answer_log_likelihood, posteriors
from spinecheck.core.logic import FALSE, TRUE, UNKNOWN, Cases
from spinecheck.core.triage import MAX_STACKED_ALTERNATIVES, posteriors_and_triage, triage
from spinecheck.services.assessment import load_model

MODEL = load_model()
COLUMNS = len(MODEL.finding_ids)
RED_FLAG_COLUMNS = MODEL.red_flag_columns.tolist()
STACKS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALUES = st.sampled_from([TRUE, FALSE, UNKNOWN])


@st.composite
def stacked(draw: st.DrawFn) -> Cases:
    """A first row, then rows that each change a few of its answers, completed as the interview completes them."""
    first = np.zeros(COLUMNS, dtype=np.int8)
    for column in draw(st.lists(st.integers(0, COLUMNS - 1), max_size=25)):
        first[column] = draw(VALUES)
    for column in draw(st.lists(st.sampled_from(RED_FLAG_COLUMNS), max_size=3)):
        first[column] = TRUE
    rows = [first]
    for _ in range(draw(st.integers(0, 40))):
        row = first.copy()
        for column in draw(st.lists(st.integers(0, COLUMNS - 1), min_size=1, max_size=4)):
            row[column] = draw(VALUES)
        if draw(st.booleans()):
            row[draw(st.sampled_from(RED_FLAG_COLUMNS))] = TRUE
        rows.append(row)
    states = MODEL.complete_states(np.array(rows))
    age = draw(st.one_of(st.just(np.nan), st.floats(min_value=5, max_value=100)))
    sex = draw(st.sampled_from([0, 1, 2]))
    return Cases.of(states, np.full(len(rows), age), np.full(len(rows), sex, dtype=np.int8))


@STACKS
@given(stacked())
def test_summing_by_difference_matches_summing_every_row(cases: Cases) -> None:
    plain = answer_log_likelihood(MODEL, cases)
    by_difference = answer_log_likelihood(MODEL, cases, near_first=True)
    np.testing.assert_allclose(by_difference, plain, rtol=0, atol=1e-9)


@STACKS
@given(stacked())
def test_one_pass_gives_the_plain_decision(cases: Cases) -> None:
    probabilities, decided = posteriors_and_triage(MODEL, cases, near_first=True)
    plain_probabilities = posteriors(MODEL, cases)
    plain = triage(MODEL, cases, plain_probabilities)
    np.testing.assert_allclose(probabilities, plain_probabilities, rtol=0, atol=1e-12)
    assert decided.level.tolist() == plain.level.tolist()
    assert (decided.rules_true == plain.rules_true).all()
    assert (decided.rules_false == plain.rules_false).all()
    assert decided.raised_by.keys() == plain.raised_by.keys()
    for case, alternative in plain.raised_by.items():
        np.testing.assert_allclose(decided.raised_by[case], alternative, rtol=0, atol=1e-12)


def test_many_alternatives_take_the_plain_path() -> None:
    """Rows with many red-flag answers would stack thousands of alternatives: those go the usual way."""
    first = np.zeros(COLUMNS, dtype=np.int8)
    first[RED_FLAG_COLUMNS[:9]] = TRUE  # 511 alternatives a row
    cases = Cases.of(np.repeat(first[None, :], 3, axis=0))
    assert MAX_STACKED_ALTERNATIVES < 3 * 511
    probabilities, decided = posteriors_and_triage(MODEL, cases, near_first=True)
    assert decided.level.tolist() == triage(MODEL, cases, posteriors(MODEL, cases)).level.tolist()
    assert probabilities.shape == (3, len(MODEL.condition_ids))
