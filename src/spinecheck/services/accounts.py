"""Use-case: accounts — sign up, sign in, browser sessions, API tokens, and deleting everything.

Passwords are hashed with Argon2id (argon2-cffi's defaults, rehashed when they change). Session
cookies and API tokens are 256-bit random strings; only their SHA-256 is stored, so a copy of the
database signs nobody in. Signing in with an unknown email still runs one Argon2 verification, so
the answer takes as long as for a wrong password.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from spinecheck.core.accounts import Account, ApiToken

SESSION_DAYS = 14
MIN_PASSWORD = 10
MAX_PASSWORD = 200
TOKEN_PREFIX = "sc_"
LOCAL_DOMAIN = "localhost"
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,255}$")

_hasher = PasswordHasher()  # argon2-cffi's default: Argon2id with RFC 9106's low-memory parameters
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash with other Argon2 parameters (the tests use cheaper ones; stored hashes carry their own)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


class AccountStore(Protocol):
    """What accounts need from storage (implemented by `adapters.storage.SqlStorage`)."""

    def create_account(self, account_id: str, email: str, password_hash: str | None, now: datetime) -> Account: ...
    def account(self, account_id: str) -> Account | None: ...
    def account_by_email(self, email: str) -> tuple[Account, str | None] | None: ...
    def set_password_hash(self, account_id: str, password_hash: str) -> None: ...
    def delete_account(self, account_id: str) -> None: ...
    def add_session(self, token_hash: str, account_id: str, now: datetime, expires_at: datetime) -> None: ...
    def session_account(self, token_hash: str, now: datetime) -> Account | None: ...
    def delete_session(self, token_hash: str) -> None: ...
    def add_token(self, account_id: str, token_id: str, token_hash: str, name: str, now: datetime) -> ApiToken: ...
    def token_account(self, token_hash: str, now: datetime) -> Account | None: ...
    def tokens(self, account_id: str) -> list[ApiToken]: ...
    def delete_token(self, account_id: str, token_id: str) -> bool: ...


class AccountError(ValueError):
    """Sign-up or sign-in input that cannot be accepted; `field` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class DuplicateAccountError(AccountError):
    """An account with this email exists already."""


def now() -> datetime:
    return datetime.now(UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Emails are compared in lower case, without surrounding spaces."""
    cleaned = email.strip().lower()
    if len(cleaned) > 320 or not EMAIL.match(cleaned):
        raise AccountError("email", "Please enter an email address such as name@example.org.")
    return cleaned


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", f"Please choose a password of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError("password", f"Please keep the password under {MAX_PASSWORD} characters.")


def sign_up(store: AccountStore, email: str, password: str) -> Account:
    """A new account with an Argon2id hash of the password."""
    address = normalise_email(email)
    check_password(password)
    if store.account_by_email(address) is not None:
        raise DuplicateAccountError("email", "There is already an account with this email; please sign in.")
    try:
        return store.create_account(str(uuid.uuid4()), address, _hasher.hash(password), now())
    except ValueError:  # two sign-ups raced for the same email
        raise DuplicateAccountError("email", "There is already an account with this email; please sign in.") from None


def sign_in(store: AccountStore, email: str, password: str) -> Account | None:
    """The account when the password is right, else None (the same answer for an unknown email)."""
    try:
        address = normalise_email(email)
    except AccountError:
        address = ""
    found = store.account_by_email(address) if address else None
    stored = found[1] if found else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if found is None or stored is None:
        return None
    account = found[0]
    if _hasher.check_needs_rehash(stored):
        store.set_password_hash(account.id, _hasher.hash(password))
    return account


def local_account(store: AccountStore, email: str | None = None) -> Account:
    """The account the command line acts for on this computer (made without a password when new).

    Whoever can run the command can read the database file, so the command line asks for no
    password; such an account cannot sign in on the web until a password is set.
    """
    address = normalise_email(email) if email else f"me@{LOCAL_DOMAIN}"
    found = store.account_by_email(address)
    if found is not None:
        return found[0]
    try:
        return store.create_account(str(uuid.uuid4()), address, None, now())
    except ValueError:
        again = store.account_by_email(address)
        if again is None:
            raise
        return again[0]


# ---------------------------------------------------------------------------
# Browser sessions
# ---------------------------------------------------------------------------


def start_session(store: AccountStore, account: Account) -> str:
    """A new session for a browser; the returned secret goes in the cookie and nowhere else."""
    secret = secrets.token_urlsafe(32)
    moment = now()
    store.add_session(_digest(secret), account.id, moment, moment + timedelta(days=SESSION_DAYS))
    return secret


def session_account(store: AccountStore, secret: str | None) -> Account | None:
    if not secret or len(secret) > 200:
        return None
    return store.session_account(_digest(secret), now())


def end_session(store: AccountStore, secret: str | None) -> None:
    if secret and len(secret) <= 200:
        store.delete_session(_digest(secret))


# ---------------------------------------------------------------------------
# API tokens
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    """A new token: its listing, and the secret, shown this once."""

    info: ApiToken
    secret: str


def issue_token(store: AccountStore, account: Account, name: str) -> IssuedToken:
    label = "".join(ch for ch in name if ch.isprintable()).strip()[:100] or "API token"
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    info = store.add_token(account.id, str(uuid.uuid4()), _digest(secret), label, now())
    return IssuedToken(info, secret)


def token_account(store: AccountStore, secret: str | None) -> Account | None:
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return store.token_account(_digest(secret), now())


def delete_everything(store: AccountStore, account: Account) -> None:
    """Delete the account and every record that belongs to it."""
    store.delete_account(account.id)
