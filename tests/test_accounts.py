"""Accounts: Argon2id password hashes, secrets stored only as hashes, passwordless local accounts."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.profiles import RFC_9106_LOW_MEMORY

from spinecheck.adapters.storage import SqlStorage
from spinecheck.services import accounts

PASSWORD = "correct horse battery staple"


def test_the_production_hasher_is_argon2id_with_rfc_9106_parameters() -> None:
    default = PasswordHasher()
    assert default.type is Type.ID
    assert (default.time_cost, default.memory_cost, default.parallelism) == (
        RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost, RFC_9106_LOW_MEMORY.parallelism)


def test_only_hashes_of_passwords_sessions_and_tokens_are_stored(storage: SqlStorage) -> None:
    account = accounts.sign_up(storage, "Ann@Example.org", PASSWORD)
    assert account.email == "ann@example.org"
    found = storage.account_by_email("ann@example.org")
    assert found is not None and found[1] is not None and found[1].startswith("$argon2id$")
    session = accounts.start_session(storage, account)
    token = accounts.issue_token(storage, account, "laptop").secret
    with storage.engine.connect() as connection:
        dump = " ".join(str(row) for table in ("accounts", "web_sessions", "api_tokens")
                        for row in connection.exec_driver_sql(f"SELECT * FROM {table}"))
    for secret in (PASSWORD, session, token):
        assert secret not in dump
    assert accounts.session_account(storage, session) == account
    assert accounts.token_account(storage, token) == account


def test_a_wrong_password_or_unknown_email_signs_no_one_in(storage: SqlStorage) -> None:
    accounts.sign_up(storage, "ann@example.org", PASSWORD)
    assert accounts.sign_in(storage, "ann@example.org", "wrong password") is None
    assert accounts.sign_in(storage, "nobody@example.org", PASSWORD) is None
    assert accounts.sign_in(storage, " ANN@example.org", PASSWORD) is not None


def test_a_command_line_account_has_no_password_and_cannot_sign_in_on_the_web(storage: SqlStorage) -> None:
    local = accounts.local_account(storage)
    assert not local.has_password and accounts.local_account(storage) == local
    assert accounts.sign_in(storage, local.email, "") is None


def test_signing_out_ends_the_session(storage: SqlStorage) -> None:
    account = accounts.sign_up(storage, "ann@example.org", PASSWORD)
    session = accounts.start_session(storage, account)
    accounts.end_session(storage, session)
    assert accounts.session_account(storage, session) is None
