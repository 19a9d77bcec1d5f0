"""Where the diary is kept: the database URL and the secret key, from the environment or the data folder.

- `DATABASE_URL` (for example `postgresql://user:password@host/spinecheck`) selects PostgreSQL;
  without it the diary is a SQLite file `spinecheck.db` in the data folder.
- `SPINECHECK_DATA_DIR` sets the data folder; without it, the person's own data folder
  (`~/.local/share/spinecheck` on Linux).
- `SPINECHECK_SECRET_KEY` signs the forms' CSRF tokens; without it a random key is made once and
  kept in the data folder, readable by its owner only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from platformdirs import user_data_dir

from spinecheck.adapters.storage import SqlStorage, sqlite_url
from spinecheck.adapters.storage.engine import DATABASE_FILE

SECRET_FILE = "secret_key"


def data_dir() -> Path:
    configured = os.environ.get("SPINECHECK_DATA_DIR")
    return Path(configured).expanduser() if configured else Path(user_data_dir("spinecheck", appauthor=False))


def database_url() -> str:
    configured = os.environ.get("DATABASE_URL", "").strip()
    return configured or sqlite_url(data_dir() / DATABASE_FILE)


def open_storage(url: str | None = None) -> SqlStorage:
    """The diary's database, migrated to the current schema."""
    return SqlStorage.open(url or database_url())


def secret_key() -> str:
    """The key that signs CSRF tokens: from the environment, or made once and kept in the data folder."""
    configured = os.environ.get("SPINECHECK_SECRET_KEY", "").strip()
    if configured:
        return configured
    path = data_dir() / SECRET_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
