"""A warm `spinecheck check`: a local server keeps the knowledge base and the text reader loaded.

Loading the knowledge base and the medspaCy reader takes seconds; reading one description then
takes milliseconds. `spinecheck serve` loads both once and listens on a Unix socket private to
the user. `spinecheck check ...` first asks that server to run the command (this module's
client needs only the standard library, so it starts in a few tens of milliseconds) and prints
what it returns; when no server answers, `check` runs in its own process as before.

The server runs the very same command (`PersonFacingGroup.main` on the same Typer app) with the
client's arguments, working folder, terminal width and standard input, so the output and the exit
code are those a local run would give. One request is handled at a time; a request must come from
the same user (checked with SO_PEERCRED where the system has it) and is at most 2 MB. When the
knowledge-base files change, the server reloads them before the next request.

Protocol (one JSON object each way, one line, then the connection closes):
request  {"protocol": 1, "argv": [...], "cwd": "...", "env": {...}, "stdin": base64 | null}
response {"protocol": 1, "stdout": "...", "stderr": "...", "code": 0, "offer": {...} | null}
`offer` carries what the interactive follow-up needs when the result left warning signs open.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import shutil
import signal
import socket
import struct
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

PROTOCOL = 1
MAX_REQUEST_BYTES = 2_000_000
MAX_STDIN_BYTES = 1_000_000
CONNECT_TIMEOUT_S = 1.0
ANSWER_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 10.0
ENV_SOCKET = "SPINECHECK_SOCKET"
ENV_NO_SERVER = "SPINECHECK_NO_SERVER"
PASSED_ENV = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM")
SERVED_COMMANDS = ("check",)


def default_socket_path() -> Path:
    """`$SPINECHECK_SOCKET`, else `check.sock` in a folder private to this user."""
    explicit = os.environ.get(ENV_SOCKET)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"spinecheck-{os.getuid()}" / "check.sock"


# ---------------------------------------------------------------------------
# Client: standard library only
# ---------------------------------------------------------------------------


def _exchange(path: Path, request: dict[str, Any]) -> dict[str, Any] | None:
    """Send one request and read the answer; None when no server answers properly."""
    data = json.dumps(request).encode("utf-8") + b"\n"
    if len(data) > MAX_REQUEST_BYTES:
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(CONNECT_TIMEOUT_S)
            connection.connect(str(path))
            connection.settimeout(ANSWER_TIMEOUT_S)
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        answer = json.loads(b"".join(chunks).decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(answer, dict) or answer.get("protocol") != PROTOCOL or not isinstance(answer.get("code"), int):
        return None
    return answer


def request_for(argv: list[str]) -> dict[str, Any] | None:
    """The request for these arguments, or None when this run should stay local."""
    if not argv or argv[0] not in SERVED_COMMANDS or os.environ.get(ENV_NO_SERVER):
        return None
    stdin = None
    if "-" in argv[1:]:
        if sys.stdin is None or sys.stdin.isatty():
            return None  # the description will be typed: read it locally
        stdin = base64.b64encode(sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)).decode("ascii")
    env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    if sys.stdout.isatty():
        env.setdefault("COLUMNS", str(shutil.get_terminal_size().columns))
        if "NO_COLOR" not in env:
            env.setdefault("FORCE_COLOR", "1")
    try:
        cwd = os.getcwd()
    except OSError:
        return None
    return {"protocol": PROTOCOL, "argv": argv, "cwd": cwd, "env": env, "stdin": stdin}


def run_remote(argv: list[str]) -> int | None:
    """Run `spinecheck ARGV` on the warm server and print its output; the exit code, or None to run locally."""
    path = default_socket_path()
    if not path.exists():
        return None
    request = request_for(argv)
    if request is None:
        return None
    answer = _exchange(path, request)
    if answer is None:
        return None
    sys.stdout.write(str(answer.get("stdout", "")))
    sys.stdout.flush()
    sys.stderr.write(str(answer.get("stderr", "")))
    sys.stderr.flush()
    offer = answer.get("offer")
    if isinstance(offer, dict) and _wants_questions(argv):
        from spinecheck.interfaces.cli.app import continue_with_questions

        continue_with_questions(offer)
    return int(answer["code"])


def _wants_questions(argv: list[str]) -> bool:
    if "--no-ask" in argv or "--json" in argv:
        return False
    return "--ask" in argv or (sys.stdin.isatty() and sys.stdout.isatty())


# ---------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------


def _private_folder(path: Path) -> None:
    """Create the socket's folder readable by this user only, and refuse one that others can enter."""
    from spinecheck.interfaces.cli.errors import InputError

    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError as error:
        raise InputError(f"cannot use {folder} for the socket ({error.strerror or error})") from None
    if (info.st_uid != os.getuid() or info.st_mode & 0o077) and folder.name.startswith("spinecheck-"):
        raise InputError(f"{folder} must belong to you and be private to you (chmod 700)")


def _peer_uid(connection: socket.socket) -> int | None:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    credentials = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return int(uid)


def _read_request(connection: socket.socket) -> dict[str, Any] | None:
    connection.settimeout(REQUEST_TIMEOUT_S)
    chunks: list[bytes] = []
    size = 0
    while chunk := connection.recv(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            return None
    try:
        request = json.loads(b"".join(chunks).decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(request, dict) or request.get("protocol") != PROTOCOL:
        return None
    argv = request.get("argv")
    if not (isinstance(argv, list) and argv and all(isinstance(a, str) for a in argv)):
        return None
    if argv[0] not in SERVED_COMMANDS:
        return None
    return request


@contextlib.contextmanager
def _as_client(request: dict[str, Any]) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """The client's working folder, environment and standard input, for the length of one command."""
    env = {str(k): str(v) for k, v in (request.get("env") or {}).items() if k in PASSED_ENV}
    saved_env = {name: os.environ.get(name) for name in PASSED_ENV}
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    saved_cwd = os.getcwd()
    stdin = base64.b64decode(request["stdin"]) if isinstance(request.get("stdin"), str) else b""
    out, err = io.StringIO(), io.StringIO()
    try:
        for name in PASSED_ENV:
            os.environ.pop(name, None)
        os.environ.update(env)
        cwd = request.get("cwd")
        if isinstance(cwd, str) and os.path.isdir(cwd):
            os.chdir(cwd)
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        sys.stdout, sys.stderr = out, err
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def handle(command: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Run one served command (`command`: the Click command built from the app once) as the client would
    have, and return its output, exit code and offer."""
    from spinecheck.interfaces.cli import app as cli

    offers: list[dict[str, Any]] = []

    def remember(model: Any, result: Any, clinician: bool, ask: bool | None) -> None:
        offers.append(cli.offer_payload(model, result, clinician, ask))

    cli.OFFER_QUESTIONS[0] = remember
    code = 0
    try:
        with _as_client(request) as (out, err):
            try:
                command.main(args=request["argv"], prog_name="spinecheck")
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    finally:
        cli.OFFER_QUESTIONS[0] = cli.offer_questions
    return {
        "protocol": PROTOCOL, "stdout": out.getvalue(), "stderr": err.getvalue(), "code": code,
        "offer": offers[0] if offers else None,
    }


def _fingerprint(root: Path) -> tuple[int, int]:
    """How many knowledge-base files there are and their latest change, to notice edits."""
    times = [path.stat().st_mtime_ns for path in root.rglob("*.yaml")]
    return len(times), max(times, default=0)


def serve(app: Any, path: Path | None = None, *, ready: Callable[[Path], None] | None = None,
          max_requests: int | None = None) -> None:
    """Load everything, then answer `check` requests on `path` until interrupted (or `max_requests`)."""
    import typer.main

    from spinecheck.core.kb.loader import DEFAULT_ROOT
    from spinecheck.interfaces import wiring  # noqa: F401  (the medspaCy reader)
    from spinecheck.interfaces.cli.errors import InputError
    from spinecheck.services import assessment as assessment_service
    from spinecheck.services import narrative

    path = path or default_socket_path()
    _private_folder(path)
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) ends the server the way Ctrl-C does, so the socket is removed.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if path.exists():
        if _exchange(path, {"protocol": PROTOCOL, "argv": ["check", "--help"], "cwd": "/", "env": {}}) is not None:
            raise InputError(f"a spinecheck server is already running at {path}")
        path.unlink()
    command = typer.main.get_command(app)  # built once: Typer would rebuild it on every call
    model = assessment_service.load_model()
    narrative.parse_text("my back hurts", model)  # builds the reader now rather than on the first request
    fingerprint = _fingerprint(DEFAULT_ROOT)
    served = 0
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(path))
        os.chmod(path, 0o600)
        listener.listen(8)
        if ready is not None:
            ready(path)
        else:
            print(f"spinecheck serve: ready on {path} (knowledge base {model.kb.version}). "
                  "'spinecheck check' now uses it. Ctrl-C stops it.", flush=True)
        try:
            while max_requests is None or served < max_requests:
                connection, _ = listener.accept()
                with connection:
                    uid = _peer_uid(connection)
                    if uid is not None and uid != os.getuid():
                        continue
                    try:
                        request = _read_request(connection)
                    except OSError:
                        continue
                    if request is None:
                        continue
                    now = _fingerprint(DEFAULT_ROOT)
                    if now != fingerprint:
                        assessment_service.load_model.cache_clear()
                        fingerprint = now
                    answer = handle(command, request)
                    with contextlib.suppress(OSError):
                        connection.sendall(json.dumps(answer).encode("utf-8") + b"\n")
                    served += 1
        finally:
            with contextlib.suppress(OSError):
                path.unlink()


__all__ = ["default_socket_path", "handle", "request_for", "run_remote", "serve"]
