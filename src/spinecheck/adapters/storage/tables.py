"""The database tables, as SQLAlchemy 2 typed ORM classes.

Every row that belongs to a person carries `account_id` with ON DELETE CASCADE, so deleting the
account deletes everything; the repository also deletes table by table, so nothing depends on the
database enforcing foreign keys. Times are stored in UTC and come back timezone-aware on SQLite
and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored as UTC (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


OWNER = "accounts.id"


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]


class WebSessionRow(Base):
    """A signed-in browser: the SHA-256 of the cookie's random token, never the token itself."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(OWNER, ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(OWNER, ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class AnswersRow(Base):
    """The person's latest answers from the check (one row per person)."""

    __tablename__ = "person_answers"

    account_id: Mapped[str] = mapped_column(ForeignKey(OWNER, ondelete="CASCADE"), primary_key=True)
    answers: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class QuestionnaireRow(Base):
    __tablename__ = "questionnaires"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(OWNER, ondelete="CASCADE"), index=True)
    instrument: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]]
    answered_at: Mapped[datetime]


class DiaryEntryRow(Base):
    __tablename__ = "diary_entries"
    __table_args__ = (Index("ix_diary_entries_account_time", "account_id", "recorded_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey(OWNER, ondelete="CASCADE"))
    recorded_at: Mapped[datetime]
    created_at: Mapped[datetime]
    back_pain: Mapped[int | None] = mapped_column(Integer)
    leg_pain_left: Mapped[int | None] = mapped_column(Integer)
    leg_pain_right: Mapped[int | None] = mapped_column(Integer)
    walking_distance_m: Mapped[int | None] = mapped_column(Integer)
    fever: Mapped[bool | None] = mapped_column(Boolean)
    sleep_disturbed: Mapped[bool | None] = mapped_column(Boolean)
    weakness: Mapped[list[Any]]
    numbness: Mapped[list[Any]]
    bladder: Mapped[list[Any] | None]
    bowel: Mapped[list[Any] | None]
    sexual_function: Mapped[list[Any] | None]
    medicines: Mapped[list[Any]]
    notes: Mapped[str] = mapped_column(Text)
    assessment: Mapped[dict[str, Any]]
    alerts: Mapped[list[Any]]


PERSONAL_TABLES: tuple[type[Base], ...] = (
    DiaryEntryRow, QuestionnaireRow, AnswersRow, ApiTokenRow, WebSessionRow,
)
"""Every table whose rows belong to one person (besides `accounts`), in the order they are emptied."""
