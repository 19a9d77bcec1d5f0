"""Databases for the tests: a fresh SQLite file, and a real PostgreSQL server started for the session.

The PostgreSQL server is Debian's (the test command installs the package when it is missing).
It runs from a temporary folder on 127.0.0.1 on a free port of its own, as the `postgres` user
when the tests run as root (initdb refuses root), with fsync off because nothing here outlives
the session; it is stopped when the session ends. Each test gets its own database, copied from a
database the migrations built once and that is emptied before each test (faster than a new database).
`new_postgres_database` gives a database of its own to a test that needs one.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from spinecheck.adapters.storage import SqlStorage, sqlite_url

TEMPLATE = "spinecheck_template"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    bin: Path
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)
        (self.root / "socket").mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.root / "socket", "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-p {self.port} -k {self.root / 'socket'} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c max_connections=60")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        if self.data.exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1 for this test session, with a migrated template database."""
    binaries = _pg_bin()
    if binaries is None:
        pytest.fail("PostgreSQL is missing: run `bash scripts/test.sh`, which installs Debian's postgresql package")
    server = PostgresServer(binaries, Path(tempfile.mkdtemp(prefix="spinecheck-pg-")), free_port())
    atexit.register(server.stop)
    server.start()
    try:
        server.execute(f"CREATE DATABASE {TEMPLATE}")
        SqlStorage.open(server.url(TEMPLATE)).close()
        yield server
    finally:
        server.stop()


def empty_shared_database(server: PostgresServer) -> str:
    """The session's migrated database, with every table emptied."""
    from sqlalchemy import create_engine, text

    from spinecheck.adapters.storage.tables import Base

    url = server.url(TEMPLATE)
    engine = create_engine(url)
    with engine.begin() as connection:
        names = ", ".join(table.name for table in Base.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {names} CASCADE"))
    engine.dispose()
    return url


def new_postgres_database(server: PostgresServer) -> str:
    name = f"t_{uuid.uuid4().hex[:16]}"
    server.execute(f"CREATE DATABASE {name}")
    return server.url(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file the migrations built once; tests get a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "spinecheck.db"
    SqlStorage.open(sqlite_url(path)).close()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database: a SQLite file, then a PostgreSQL database (each test runs on both)."""
    if request.param == "sqlite":
        path = tmp_path / "spinecheck.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return sqlite_url(path)
    server: PostgresServer = request.getfixturevalue("postgres")
    return empty_shared_database(server)


@pytest.fixture
def storage(database_url: str) -> Iterator[SqlStorage]:
    opened = SqlStorage.open(database_url)
    yield opened
    opened.close()
