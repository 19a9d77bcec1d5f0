"""Storage on SQLite and on a real PostgreSQL server: migrations, round trips, ownership, deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from db_support import PostgresServer, new_postgres_database
from spinecheck.adapters.storage import DuplicateError, SqlStorage
from spinecheck.adapters.storage.engine import current_revision, head_revision
from spinecheck.adapters.storage.tables import Base
from spinecheck.core.diary import DiaryEntry, EntryAssessment, PersonAnswers, QuestionnaireAnswers
from spinecheck.core.triage_levels import TriageLevel

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def entry(entry_id: str, hours: int = 0, **fields: object) -> DiaryEntry:
    assessment = EntryAssessment(level=TriageLevel.ROUTINE, headline="h", advice="a", call_ambulance=False,
                                 red_flags=[], conditions=[], kb_version="test")
    return DiaryEntry(id=entry_id, recorded_at=NOW + timedelta(hours=hours), created_at=NOW, assessment=assessment,
                      **fields)  # type: ignore[arg-type]


def two_people(storage: SqlStorage) -> tuple[str, str]:
    first = storage.create_account("a" * 8, "ann@example.org", "hash", NOW).id
    second = storage.create_account("b" * 8, "bob@example.org", "hash", NOW).id
    return first, second


def test_a_new_database_is_migrated_to_the_head_and_matches_the_models(storage: SqlStorage) -> None:
    assert current_revision(storage.engine) == head_revision()
    with storage.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_migrating_twice_changes_nothing(database_url: str) -> None:
    SqlStorage.open(database_url).close()
    again = SqlStorage.open(database_url)
    assert current_revision(again.engine) == head_revision()
    again.close()


@pytest.mark.postgres
def test_a_new_postgresql_database_is_built_by_the_migrations(postgres: PostgresServer) -> None:
    url = new_postgres_database(postgres)
    opened = SqlStorage.open(url)
    assert current_revision(opened.engine) == head_revision()
    assert set(opened.table_counts()) == {table.name for table in Base.metadata.sorted_tables}
    opened.close()


def test_an_entry_comes_back_exactly_as_stored(storage: SqlStorage) -> None:
    ann, _ = two_people(storage)
    stored = entry("e1", back_pain=6, leg_pain_left=7, weakness=["left_foot_top"], numbness=["left_outer_shin"],
                   walking_distance_m=300, bladder=[], bowel=None, fever=False, medicines=["ibuprofen 400 mg"],
                   sleep_disturbed=True, notes="Worse after gardening — ünïcode ok")
    storage.add_entry(ann, stored)
    assert storage.entry(ann, "e1") == stored
    assert storage.entries(ann) == [stored]
    assert storage.entry("e1" and ann, "e1").recorded_at.tzinfo is not None  # type: ignore[union-attr]


def test_entries_are_listed_in_time_order_and_the_previous_one_is_found(storage: SqlStorage) -> None:
    ann, _ = two_people(storage)
    for entry_id, hours in (("late", 48), ("early", 0), ("middle", 24)):
        storage.add_entry(ann, entry(entry_id, hours))
    assert [item.id for item in storage.entries(ann)] == ["early", "middle", "late"]
    previous = storage.entry_before(ann, NOW + timedelta(hours=30))
    assert previous is not None and previous.id == "middle"
    assert storage.entry_before(ann, NOW + timedelta(hours=24), excluding="middle").id == "early"  # type: ignore[union-attr]


def test_one_person_never_reaches_another_persons_entry(storage: SqlStorage) -> None:
    ann, bob = two_people(storage)
    storage.add_entry(ann, entry("ann-entry", notes="Ann's private note"))
    assert storage.entry(bob, "ann-entry") is None
    assert storage.entries(bob) == []
    assert storage.entry_before(bob, NOW + timedelta(days=1)) is None
    assert not storage.replace_entry(bob, entry("ann-entry", notes="changed by Bob"))
    assert not storage.delete_entry(bob, "ann-entry")
    assert storage.entry(ann, "ann-entry").notes == "Ann's private note"  # type: ignore[union-attr]


def test_the_same_email_cannot_make_two_accounts(storage: SqlStorage) -> None:
    storage.create_account("x1", "sam@example.org", None, NOW)
    with pytest.raises(DuplicateError):
        storage.create_account("x2", "sam@example.org", None, NOW)


def test_an_entry_id_cannot_be_stored_twice(storage: SqlStorage) -> None:
    ann, _ = two_people(storage)
    storage.add_entry(ann, entry("same"))
    with pytest.raises(DuplicateError):
        storage.add_entry(ann, entry("same"))


def test_deleting_an_account_leaves_no_row_of_it_anywhere(storage: SqlStorage) -> None:
    ann, bob = two_people(storage)
    for person in (ann, bob):
        storage.add_entry(person, entry(f"{person}-1", notes="note"))
        storage.save_answers(person, PersonAnswers(answers={"low_back_pain": "yes"}, age=50), NOW)
        storage.add_questionnaire(person, f"{person}-q", QuestionnaireAnswers(instrument="oswestry", answers={}), NOW)
        storage.add_token(person, f"{person}-t", f"hash-{person}", "laptop", NOW)
        storage.add_session(f"session-{person}", person, NOW, NOW + timedelta(days=1))
    before = storage.table_counts()
    storage.delete_account(ann)
    assert storage.rows_owned(ann) == 0
    after = storage.table_counts()
    assert {table: before[table] - after[table] for table in before} == {table: 1 for table in before}
    assert storage.rows_owned(bob) == 6


def test_sessions_expire(storage: SqlStorage) -> None:
    ann, _ = two_people(storage)
    storage.add_session("s", ann, NOW, NOW + timedelta(minutes=1))
    assert storage.session_account("s", NOW) is not None
    assert storage.session_account("s", NOW + timedelta(minutes=2)) is None
    assert storage.session_account("s", NOW) is None  # an expired session is removed
