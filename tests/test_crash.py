"""No acknowledged entry is ever lost: the server is killed with SIGKILL while entries are being written.

A real server process (uvicorn on 127.0.0.1, a free port) takes entries from two writers. Once
enough have been acknowledged (201), it is killed without warning, mid-write; a new server on the
same database must then list every acknowledged entry. On SQLite (WAL, synchronous=FULL), where the
server is restarted; on PostgreSQL, where the database is opened anew by the storage layer (a
restart without the second server start).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from db_support import free_port
from spinecheck.adapters.storage import SqlStorage

pytestmark = pytest.mark.slow

WRITERS = 2
ACKNOWLEDGED_BEFORE_KILL = 25
START_TIMEOUT = 120.0


@contextmanager
def server(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "spinecheck.interfaces.http.server", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server stopped: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the server did not start")
            time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def test_every_acknowledged_entry_survives_a_sigkill(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SPINECHECK_DATA_DIR": str(tmp_path),
           "SPINECHECK_SECRET_KEY": "crash-test"}
    acknowledged: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    with server(env) as (process, base):
        httpx.post(f"{base}/v1/accounts", json={"email": "ann@example.org", "password": "correct horse battery"})
        token = httpx.post(f"{base}/v1/tokens",
                           json={"email": "ann@example.org", "password": "correct horse battery"}).json()["token"]
        headers = {"Authorization": f"Bearer {token}"}

        def write(writer: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
                number = 0
                while not stop.is_set():
                    number += 1
                    try:
                        response = client.post("/v1/diary/entries", json={
                            "back_pain": number % 11, "notes": f"writer {writer} entry {number}"})
                    except httpx.HTTPError:
                        return  # the server is gone: whatever was not acknowledged may be lost
                    if response.status_code == 201:
                        with lock:
                            acknowledged.add(response.json()["entry"]["id"])

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)  # mid-write: both writers have requests in flight
        process.wait(timeout=30)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    with lock:
        survivors_needed = set(acknowledged)
    assert len(survivors_needed) >= ACKNOWLEDGED_BEFORE_KILL
    if database_url.startswith("sqlite"):
        with server(env) as (_, base):
            listed = httpx.get(f"{base}/v1/diary/entries", headers=headers, timeout=30)
            stored = {entry["id"] for entry in listed.json()}
    else:
        reopened = SqlStorage.open(database_url)
        found = reopened.account_by_email("ann@example.org")
        assert found is not None
        stored = {entry.id for entry in reopened.entries(found[0].id)}
        reopened.close()
    assert survivors_needed <= stored, f"lost {len(survivors_needed - stored)} acknowledged entries"
