"""Accounts as the diary sees them: a person, their API tokens. No password or token ever leaves storage."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Account(BaseModel):
    """One person. `has_password` is false for an account made by the command line on this computer."""

    model_config = ConfigDict(frozen=True)

    id: str
    email: str
    created_at: datetime
    has_password: bool


class ApiToken(BaseModel):
    """An API token as listed: its id and name, never its secret (shown once, when made)."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None = None
