"""Invariants of the engine on the shipped knowledge base, checked with generated cases."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from spinecheck.core.assessment import assess
from spinecheck.core.inference import posterior
from spinecheck.core.kb.schema import FindingCategory
from spinecheck.core.model import CompiledModel, Evidence, EvidenceError
from spinecheck.services.assessment import load_model

MODEL = load_model()
FINDINGS = sorted(MODEL.finding_ids)
RED_FLAG_FINDINGS = sorted(f for f, spec in MODEL.kb.findings.items() if spec.category == FindingCategory.RED_FLAG)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def consistent(model: CompiledModel, present: set[str], absent: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Drop contradictions a generator can produce: at most one option of each choice present."""
    absent = absent - present
    for members in model.exclusive_groups.values():
        chosen = sorted(present & set(members))
        for extra in chosen[1:]:
            present.discard(extra)
    return frozenset(present), frozenset(absent)


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    present = set(draw(st.lists(st.sampled_from(FINDINGS), max_size=12)))
    absent = set(draw(st.lists(st.sampled_from(FINDINGS), max_size=12)))
    p, a = consistent(MODEL, present, absent)
    age = draw(st.one_of(st.none(), st.integers(min_value=16, max_value=100)))
    sex = draw(st.one_of(st.none(), st.sampled_from(["female", "male"])))
    return Evidence(present=p, absent=a, age=age, sex=sex)


@PROPERTY_SETTINGS
@given(evidence())
def test_probabilities_sum_to_one(case: Evidence) -> None:
    probabilities = posterior(MODEL, MODEL.check_evidence(case))
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-9)
    assert (probabilities > 0).all() and (probabilities < 1).all()


@PROPERTY_SETTINGS
@given(evidence(), st.sampled_from(RED_FLAG_FINDINGS))
def test_adding_a_red_flag_finding_never_lowers_the_triage_level(case: Evidence, flag: str) -> None:
    """A red-flag finding that was not answered becomes "yes": the level may rise, never fall."""
    assume(flag not in case.absent and flag not in case.present)
    before = assess(MODEL, case).triage.level
    present, absent = consistent(MODEL, set(case.present) | {flag}, set(case.absent) - {flag})
    after = assess(MODEL, case.model_copy(update={"present": present, "absent": absent})).triage.level
    assert after.rank >= before.rank


@PROPERTY_SETTINGS
@given(evidence(), st.randoms())
def test_the_order_of_findings_never_changes_the_result(case: Evidence, rnd: object) -> None:
    shuffled_present = list(case.present)
    shuffled_absent = list(case.absent)
    rnd.shuffle(shuffled_present)  # type: ignore[attr-defined]
    rnd.shuffle(shuffled_absent)  # type: ignore[attr-defined]
    reordered = Evidence(present=frozenset(shuffled_present), absent=frozenset(shuffled_absent), age=case.age,
                         sex=case.sex)
    assert assess(MODEL, reordered).to_json() == assess(MODEL, case).to_json()


@PROPERTY_SETTINGS
@given(evidence())
def test_the_same_input_gives_byte_identical_json(case: Evidence) -> None:
    assert assess(MODEL, case).to_json().encode() == assess(MODEL, case).to_json().encode()


@PROPERTY_SETTINGS
@given(st.sampled_from(FINDINGS), st.sampled_from(["x", "s", "_"]))
def test_an_unknown_finding_is_a_clear_error_that_suggests_the_nearest_ids(finding: str, typo: str) -> None:
    misspelt = finding[:-1] + typo if not finding.endswith(typo) else finding + typo
    if misspelt in MODEL.finding_index:
        return
    with pytest.raises(EvidenceError, match=rf"unknown finding '{misspelt}' — did you mean: .*{finding}"):
        assess(MODEL, Evidence(present=frozenset({misspelt})))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence(), st.sampled_from(FINDINGS))
def test_a_finding_given_both_ways_is_reported_and_read_the_safer_way(case: Evidence, finding: str) -> None:
    both = case.model_copy(update={"present": case.present | {finding}, "absent": case.absent | {finding}})
    rest_present, rest_absent = consistent(MODEL, set(case.present - {finding}), set(case.absent - {finding}))
    readings = [
        assess(MODEL, Evidence(present=present, absent=absent, age=case.age, sex=case.sex), screen_floor=False)
        for present, absent in consistent_readings(rest_present, rest_absent, finding)
    ]
    result = assess(MODEL, both, screen_floor=False)
    assert [item.findings for item in result.contradictions][:1] == [[finding]]
    assert result.triage.level == max((reading.triage.level for reading in readings), key=lambda level: level.rank)


def consistent_readings(
    present: frozenset[str], absent: frozenset[str], finding: str
) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The readings of one contradicted finding: unknown, absent, and present unless another option
    of the same choice is present."""
    group = MODEL.kb.findings[finding].exclusive_group
    others = set(MODEL.exclusive_groups[group]) - {finding} if group else set()
    readings = [(present, absent), (present, absent | {finding})]
    if not present & others:
        readings.append((present | {finding}, absent))
    return readings
