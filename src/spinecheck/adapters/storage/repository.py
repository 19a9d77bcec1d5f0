"""The diary's storage: accounts, sessions, tokens, answers, questionnaires and entries.

Every method that reads or changes a person's records takes the account id and filters on it in
the SQL itself: a record id alone never reaches another person's row. Each method is one
transaction, committed before it returns, so an acknowledged write is on disk.
No SQLAlchemy object leaves this module; it speaks the core's pydantic models.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from spinecheck.adapters.storage.engine import make_engine, upgrade
from spinecheck.adapters.storage.tables import (
    PERSONAL_TABLES,
    AccountRow,
    AnswersRow,
    ApiTokenRow,
    Base,
    DiaryEntryRow,
    QuestionnaireRow,
    WebSessionRow,
)
from spinecheck.core.accounts import Account, ApiToken
from spinecheck.core.diary import (
    DiaryEntry,
    DuplicateRecordError,
    EntryAssessment,
    PersonAnswers,
    QuestionnaireAnswers,
)

ENTRY_FIELDS = (
    "back_pain", "leg_pain_left", "leg_pain_right", "walking_distance_m", "fever", "sleep_disturbed",
    "weakness", "numbness", "bladder", "bowel", "sexual_function", "medicines", "notes",
)


def _personal_tables() -> list[Table]:
    return [Base.metadata.tables[model.__tablename__] for model in PERSONAL_TABLES]


class DuplicateError(DuplicateRecordError):
    """A row with this key exists already (an email in use, an entry imported twice)."""


def _account(row: AccountRow) -> Account:
    return Account(id=row.id, email=row.email, created_at=row.created_at, has_password=row.password_hash is not None)


def _entry(row: DiaryEntryRow) -> DiaryEntry:
    data: dict[str, Any] = {field: getattr(row, field) for field in ENTRY_FIELDS}
    return DiaryEntry(
        id=row.id, recorded_at=row.recorded_at, created_at=row.created_at,
        assessment=EntryAssessment.model_validate(row.assessment), alerts=row.alerts, **data,
    )


def _entry_values(entry: DiaryEntry) -> dict[str, Any]:
    values: dict[str, Any] = {field: getattr(entry, field) for field in ENTRY_FIELDS}
    values.update(
        recorded_at=entry.recorded_at,
        assessment=entry.assessment.model_dump(mode="json"),
        alerts=[alert.model_dump(mode="json") for alert in entry.alerts],
    )
    return values


class SqlStorage:
    """Accounts and diaries in one SQL database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, migrate: bool = True) -> SqlStorage:
        engine = make_engine(url)
        if migrate:
            upgrade(engine)
        return cls(engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # -- accounts ----------------------------------------------------------------------------

    def create_account(self, account_id: str, email: str, password_hash: str | None, now: datetime) -> Account:
        row = AccountRow(id=account_id, email=email, password_hash=password_hash, created_at=now)
        try:
            with self._transaction() as session:
                session.add(row)
        except IntegrityError:
            raise DuplicateError("an account with this email exists already") from None
        return _account(row)

    def account(self, account_id: str) -> Account | None:
        with self._transaction() as session:
            row = session.get(AccountRow, account_id)
            return _account(row) if row else None

    def account_by_email(self, email: str) -> tuple[Account, str | None] | None:
        """The account and its password hash (for signing in only)."""
        with self._transaction() as session:
            row = session.scalars(select(AccountRow).where(AccountRow.email == email)).first()
            return (_account(row), row.password_hash) if row else None

    def set_password_hash(self, account_id: str, password_hash: str) -> None:
        with self._transaction() as session:
            session.execute(update(AccountRow).where(AccountRow.id == account_id).values(password_hash=password_hash))

    def delete_account(self, account_id: str) -> None:
        """Delete the account and every row that belongs to it, table by table, in one transaction."""
        with self._transaction() as session:
            for table in _personal_tables():
                session.execute(delete(table).where(table.c.account_id == account_id))
            session.execute(delete(AccountRow).where(AccountRow.id == account_id))
        if self.dialect == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def rows_owned(self, account_id: str) -> int:
        """How many rows in the whole database belong to this account (0 after deletion)."""
        with self._transaction() as session:
            total = session.scalar(select(func.count()).select_from(AccountRow).where(AccountRow.id == account_id)) or 0
            for table in _personal_tables():
                owned = select(func.count()).select_from(table).where(table.c.account_id == account_id)
                total += session.scalar(owned) or 0
            return int(total)

    # -- web sessions and API tokens ---------------------------------------------------------

    def add_session(self, token_hash: str, account_id: str, now: datetime, expires_at: datetime) -> None:
        with self._transaction() as session:
            session.add(WebSessionRow(token_hash=token_hash, account_id=account_id, created_at=now,
                                      expires_at=expires_at))

    def session_account(self, token_hash: str, now: datetime) -> Account | None:
        with self._transaction() as session:
            row = session.get(WebSessionRow, token_hash)
            if row is None:
                return None
            if row.expires_at <= now:
                session.delete(row)
                return None
            account = session.get(AccountRow, row.account_id)
            return _account(account) if account else None

    def delete_session(self, token_hash: str) -> None:
        with self._transaction() as session:
            session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == token_hash))

    def add_token(self, account_id: str, token_id: str, token_hash: str, name: str, now: datetime) -> ApiToken:
        row = ApiTokenRow(id=token_id, account_id=account_id, token_hash=token_hash, name=name, created_at=now)
        with self._transaction() as session:
            session.add(row)
        return ApiToken(id=token_id, name=name, created_at=now)

    def token_account(self, token_hash: str, now: datetime) -> Account | None:
        with self._transaction() as session:
            row = session.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)).first()
            if row is None:
                return None
            row.last_used_at = now
            account = session.get(AccountRow, row.account_id)
            return _account(account) if account else None

    def tokens(self, account_id: str) -> list[ApiToken]:
        with self._transaction() as session:
            rows = session.scalars(
                select(ApiTokenRow).where(ApiTokenRow.account_id == account_id).order_by(ApiTokenRow.created_at)
            )
            return [ApiToken(id=r.id, name=r.name, created_at=r.created_at, last_used_at=r.last_used_at) for r in rows]

    def delete_token(self, account_id: str, token_id: str) -> bool:
        with self._transaction() as session:
            result = session.execute(
                delete(ApiTokenRow).where(ApiTokenRow.account_id == account_id, ApiTokenRow.id == token_id)
            )
            return bool(getattr(result, "rowcount", 0))

    # -- answers and questionnaires ----------------------------------------------------------

    def answers(self, account_id: str) -> PersonAnswers | None:
        with self._transaction() as session:
            row = session.get(AnswersRow, account_id)
            if row is None:
                return None
            return PersonAnswers.model_validate({**row.answers, "updated_at": row.updated_at})

    def save_answers(self, account_id: str, answers: PersonAnswers, now: datetime) -> None:
        data = answers.model_dump(mode="json", exclude={"updated_at"})
        with self._transaction() as session:
            row = session.get(AnswersRow, account_id)
            if row is None:
                session.add(AnswersRow(account_id=account_id, answers=data, updated_at=now))
            else:
                row.answers = data
                row.updated_at = now

    def add_questionnaire(self, account_id: str, record_id: str, answers: QuestionnaireAnswers, now: datetime) -> None:
        with self._transaction() as session:
            session.add(QuestionnaireRow(
                id=record_id, account_id=account_id, instrument=answers.instrument,
                answers=answers.model_dump(mode="json")["answers"], answered_at=answers.answered_at or now,
            ))

    def questionnaires(self, account_id: str) -> list[QuestionnaireAnswers]:
        with self._transaction() as session:
            rows = session.scalars(
                select(QuestionnaireRow).where(QuestionnaireRow.account_id == account_id)
                .order_by(QuestionnaireRow.answered_at)
            )
            return [QuestionnaireAnswers(instrument=r.instrument, answers=r.answers, answered_at=r.answered_at)
                    for r in rows]

    # -- diary entries -----------------------------------------------------------------------

    def add_entry(self, account_id: str, entry: DiaryEntry) -> None:
        row = DiaryEntryRow(id=entry.id, account_id=account_id, created_at=entry.created_at, **_entry_values(entry))
        try:
            with self._transaction() as session:
                session.add(row)
        except IntegrityError:
            raise DuplicateError(f"an entry with id {entry.id} exists already") from None

    def replace_entry(self, account_id: str, entry: DiaryEntry) -> bool:
        with self._transaction() as session:
            result = session.execute(
                update(DiaryEntryRow)
                .where(DiaryEntryRow.account_id == account_id, DiaryEntryRow.id == entry.id)
                .values(**_entry_values(entry))
            )
            return bool(getattr(result, "rowcount", 0))

    def entry(self, account_id: str, entry_id: str) -> DiaryEntry | None:
        with self._transaction() as session:
            row = session.scalars(
                select(DiaryEntryRow).where(DiaryEntryRow.account_id == account_id, DiaryEntryRow.id == entry_id)
            ).first()
            return _entry(row) if row else None

    def entries(self, account_id: str) -> list[DiaryEntry]:
        """Every entry of the person, oldest first."""
        with self._transaction() as session:
            rows = session.scalars(
                select(DiaryEntryRow).where(DiaryEntryRow.account_id == account_id)
                .order_by(DiaryEntryRow.recorded_at, DiaryEntryRow.created_at)
            )
            return [_entry(row) for row in rows]

    def entry_before(self, account_id: str, moment: datetime, excluding: str | None = None) -> DiaryEntry | None:
        """The latest entry recorded before `moment` (the one a new entry is compared with)."""
        query = select(DiaryEntryRow).where(DiaryEntryRow.account_id == account_id,
                                            DiaryEntryRow.recorded_at <= moment)
        if excluding is not None:
            query = query.where(DiaryEntryRow.id != excluding)
        with self._transaction() as session:
            row = session.scalars(
                query.order_by(DiaryEntryRow.recorded_at.desc(), DiaryEntryRow.created_at.desc()).limit(1)
            ).first()
            return _entry(row) if row else None

    def delete_entry(self, account_id: str, entry_id: str) -> bool:
        with self._transaction() as session:
            result = session.execute(
                delete(DiaryEntryRow).where(DiaryEntryRow.account_id == account_id, DiaryEntryRow.id == entry_id)
            )
            return bool(getattr(result, "rowcount", 0))

    # -- for tests and checks ----------------------------------------------------------------

    def table_counts(self) -> dict[str, int]:
        with self._transaction() as session:
            return {
                table.name: int(session.scalar(text(f"SELECT count(*) FROM {table.name}")) or 0)
                for table in Base.metadata.sorted_tables
            }
