"""Open a database and bring it up to date: SQLite (WAL, in the user's data folder) or PostgreSQL.

SQLite is set up for a diary that must never lose an acknowledged entry: write-ahead logging,
`synchronous=FULL` (a commit is on disk before it returns), foreign keys on, and
`secure_delete` so deleted rows are overwritten rather than left in free pages.
The Alembic migrations ship inside the package and run on every start (`upgrade`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).parent / "migrations"
DATABASE_FILE = "spinecheck.db"
ADVISORY_LOCK = 0x5EC4EC
"""PostgreSQL advisory lock taken while migrating, so several workers starting at once migrate once."""


class StorageError(RuntimeError):
    """The database cannot be opened or migrated; the message says which and why, without secrets."""


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def normalise_url(url: str) -> str:
    """`postgres://` and `postgresql://` URLs use psycopg 3; anything else is taken as it is."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(an unreadable database URL)"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000",
                   "secure_delete=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`; for SQLite the folder is created and the durability pragmas set."""
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except Exception as error:
        raise StorageError(f"the database URL cannot be read ({type(error).__name__})") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration the database has not had yet (a new database gets them all)."""
    config = alembic_config()
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except Exception as error:
        raise StorageError(
            f"the database {safe_url(str(engine.url))} could not be opened or migrated: {type(error).__name__}"
        ) from error


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
