"""Storage for the diary: SQLAlchemy 2 over SQLite (the default) or PostgreSQL, migrated by Alembic."""

from spinecheck.adapters.storage.engine import StorageError, normalise_url, safe_url, sqlite_url, upgrade
from spinecheck.adapters.storage.repository import DuplicateError, SqlStorage

__all__ = ["DuplicateError", "SqlStorage", "StorageError", "normalise_url", "safe_url", "sqlite_url", "upgrade"]
