"""What a diary entry stands for, and the alerts a new entry raises: new red flag, spreading weakness, worsening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinecheck.adapters.storage import SqlStorage
from spinecheck.core.diary import DiaryEntryIn, EntryError, PersonAnswers, compare, read_entry
from spinecheck.core.model import CompiledModel
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services import diary

DAY = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SCIATICA = PersonAnswers(answers={"low_back_pain": "yes", "leg_pain": "yes", "leg_pain_below_knee": "yes",
                                  "onset_sudden": "yes", "duration_acute": "yes"}, age=45, sex="female")


def on(day: int, **fields: object) -> DiaryEntryIn:
    return DiaryEntryIn(recorded_at=DAY + timedelta(days=day), **fields)  # type: ignore[arg-type]


@pytest.fixture
def person(storage: SqlStorage, model: CompiledModel) -> str:
    account = storage.create_account("p1", "pat@example.org", None, DAY).id
    diary.save_answers(model, storage, account, SCIATICA)
    return account


def test_scores_tick_boxes_and_places_become_findings(model: CompiledModel) -> None:
    known = diary.knowledge(model)
    entry = DiaryEntryIn(back_pain=3, leg_pain_left=5, leg_pain_right=0, bladder=["hard_to_pass"], fever=False,
                         weakness=["left_foot_top"], numbness=["saddle"])
    reading = read_entry(known.mapping, known.body_map, entry)
    assert {"low_back_pain", "leg_pain", "leg_pain_unilateral", "bladder_retention", "weakness_big_toe_extension",
            "saddle_numbness", "leg_weakness"} <= reading.present
    assert "leg_pain_bilateral" not in reading.present
    assert reading.absent == {"fever"}
    assert reading.sides["leg_pain"] == "left"
    assert reading.sides["weakness_big_toe_extension"] == "left"


def test_an_unticked_box_says_nothing_rather_than_no(model: CompiledModel) -> None:
    known = diary.knowledge(model)
    reading = read_entry(known.mapping, known.body_map, DiaryEntryIn(back_pain=2))
    assert "bladder_retention" not in reading.absent
    assert reading.absent == frozenset()


def test_an_unknown_place_or_option_is_refused_naming_the_field(model: CompiledModel, storage: SqlStorage,
                                                                person: str) -> None:
    with pytest.raises(EntryError) as caught:
        diary.add_entry(model, storage, person, DiaryEntryIn(weakness=["left_foot_top", "elbow"]))
    assert caught.value.field == "weakness[1]"
    with pytest.raises(EntryError):
        diary.add_entry(model, storage, person, DiaryEntryIn(bladder=["sometimes"]))
    assert storage.entries(person) == []


def test_a_quiet_entry_raises_no_alert(model: CompiledModel, storage: SqlStorage, person: str) -> None:
    first = diary.add_entry(model, storage, person, on(0, back_pain=4, leg_pain_left=5))
    second = diary.add_entry(model, storage, person, on(1, back_pain=4, leg_pain_left=4))
    assert not first.alert and not second.alert
    assert second.assessment.level != TriageLevel.EMERGENCY


def test_a_new_red_flag_raises_an_emergency_alert_with_what_to_do(model: CompiledModel, storage: SqlStorage,
                                                                   person: str) -> None:
    diary.add_entry(model, storage, person, on(0, back_pain=4, leg_pain_left=5))
    entry = diary.add_entry(model, storage, person, on(1, back_pain=4, leg_pain_left=5, bladder=["hard_to_pass"]))
    assert entry.alert
    assert entry.assessment.level == TriageLevel.EMERGENCY
    first = entry.alerts[0]
    assert first.kind == "new_red_flag" and first.level == TriageLevel.EMERGENCY
    assert first.source == "ces_urinary_retention"
    assert "emergency" in first.what_to_do.lower()


def test_the_same_red_flag_the_next_day_is_not_new(model: CompiledModel, storage: SqlStorage, person: str) -> None:
    diary.add_entry(model, storage, person, on(0, bladder=["hard_to_pass"]))
    again = diary.add_entry(model, storage, person, on(1, bladder=["hard_to_pass"]))
    assert [alert.kind for alert in again.alerts] == []
    assert again.assessment.level == TriageLevel.EMERGENCY  # still an emergency, even without a new alert


def test_weakness_in_new_places_is_spreading_weakness(model: CompiledModel, storage: SqlStorage, person: str) -> None:
    diary.add_entry(model, storage, person, on(0, leg_pain_left=5, weakness=["left_foot_top"]))
    entry = diary.add_entry(model, storage, person, on(1, leg_pain_left=5, weakness=["left_foot_top", "left_calf"]))
    kinds = [alert.kind for alert in entry.alerts]
    assert "spreading_weakness" in kinds
    spreading = next(alert for alert in entry.alerts if alert.kind == "spreading_weakness")
    assert "Calf (left)" in spreading.message
    assert entry.assessment.level.rank >= TriageLevel.URGENT.rank  # the engine sees progressive weakness


def test_pain_rising_by_the_minimal_important_change_is_a_sharp_worsening(
    model: CompiledModel, storage: SqlStorage, person: str,
) -> None:
    diary.add_entry(model, storage, person, on(0, back_pain=3, leg_pain_left=3, walking_distance_m=1000))
    small = diary.add_entry(model, storage, person, on(1, back_pain=4, leg_pain_left=4, walking_distance_m=900))
    big = diary.add_entry(model, storage, person, on(2, back_pain=4, leg_pain_left=7, walking_distance_m=900))
    assert "worsening" not in [alert.kind for alert in small.alerts]
    worse = next(alert for alert in big.alerts if alert.kind == "worsening")
    assert "Left leg pain 4 → 7" in worse.message


def test_a_walking_distance_that_halves_is_a_sharp_worsening(model: CompiledModel, storage: SqlStorage,
                                                              person: str) -> None:
    diary.add_entry(model, storage, person, on(0, walking_distance_m=800))
    entry = diary.add_entry(model, storage, person, on(1, walking_distance_m=400))
    assert "walking distance 800 m → 400 m" in next(a for a in entry.alerts if a.kind == "worsening").message


def test_a_backdated_entry_is_compared_with_the_entry_before_it(model: CompiledModel, storage: SqlStorage,
                                                                 person: str) -> None:
    diary.add_entry(model, storage, person, on(0, weakness=["left_foot_top"]))
    diary.add_entry(model, storage, person, on(5, weakness=["left_foot_top", "left_calf", "right_calf"]))
    between = diary.add_entry(model, storage, person, on(2, weakness=["left_foot_top"]))
    assert "spreading_weakness" not in [alert.kind for alert in between.alerts]


def test_changing_an_entry_re_triages_it(model: CompiledModel, storage: SqlStorage, person: str) -> None:
    entry = diary.add_entry(model, storage, person, on(0, back_pain=3))
    changed = diary.change_entry(model, storage, person, entry.id, on(0, back_pain=3, bladder=["hard_to_pass"]))
    assert changed.assessment.level == TriageLevel.EMERGENCY
    assert storage.entry(person, entry.id) == changed


@settings(max_examples=60, deadline=None)
@given(before=st.integers(0, 10), after=st.integers(0, 10))
def test_a_falling_or_steady_score_is_never_a_worsening(model: CompiledModel, before: int, after: int) -> None:
    mapping = diary.knowledge(model).mapping
    change = compare(mapping, DiaryEntryIn(back_pain=before), DiaryEntryIn(back_pain=after))
    assert change.worsening == (after - before >= 2 and after - before >= 0.3 * before)
