"""The warm server: `check` handed to a process that keeps everything loaded answers exactly as a local run."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_support import invoke
from spinecheck.core.model import CompiledModel
from spinecheck.interfaces.cli import warm
from spinecheck.interfaces.cli.app import app
from spinecheck.interfaces.cli.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SPINECHECK = ROOT / ".venv" / "bin" / "spinecheck"


def request(*argv: str, stdin: bytes | None = None) -> dict[str, object]:
    return {
        "protocol": warm.PROTOCOL, "argv": list(argv), "cwd": os.getcwd(), "env": {"COLUMNS": "100"},
        "stdin": base64.b64encode(stdin).decode("ascii") if stdin is not None else None,
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A server in a thread of this process, on a socket in a private temporary folder."""
    path = tmp_path_factory.mktemp("warm", numbered=True) / "check.sock"
    path.parent.chmod(0o700)
    ready = threading.Event()
    thread = threading.Thread(target=warm.serve, args=(app, path), kwargs={"ready": lambda _: ready.set()},
                              daemon=True)
    thread.start()
    assert ready.wait(120), "the server did not start"
    yield path


def test_a_served_check_prints_what_a_local_check_prints(server: Path) -> None:
    args = ["check", "my lower back hurts and my left foot slaps", "--json", "--no-ask"]
    answer = warm._exchange(server, request(*args))
    assert answer is not None
    local = invoke(args)
    assert (answer["code"], answer["stdout"], answer["stderr"]) == (0, local.stdout, local.stderr)


def test_a_served_check_reads_standard_input(server: Path) -> None:
    answer = warm._exchange(server, request("check", "-", "--json", stdin=b"my legs are weak and my back hurts"))
    assert answer is not None and answer["code"] == 0
    assert "leg_weakness_bilateral" in json.loads(str(answer["stdout"]))["findings"]["present"]


def test_bad_input_gets_the_same_one_line_error_from_the_server(server: Path) -> None:
    answer = warm._exchange(server, request("check", "--present", "no_such_finding"))
    assert answer is not None and answer["code"] == 2
    assert str(answer["stderr"]).startswith("error: unknown finding 'no_such_finding'")


def test_an_incomplete_result_passes_on_the_offer_to_ask_the_open_questions(server: Path, model: CompiledModel) -> None:
    answer = warm._exchange(server, request("check", "my lower back aches"))
    assert answer is not None and isinstance(answer["offer"], dict)
    # what was read, with the description's silences about what it never mentioned (a hot swollen joint)
    silences = dict(model.silences)
    read = [finding for finding in answer["offer"]["present"] if finding not in silences]
    assert read == ["low_back_pain"] and answer["offer"]["open"] > 0


def test_only_check_is_served(server: Path) -> None:
    assert warm._exchange(server, request("kb", "validate")) is None
    assert warm._exchange(server, {"protocol": 99, "argv": ["check"]}) is None


def test_a_second_server_on_the_same_socket_is_refused(server: Path) -> None:
    with pytest.raises(InputError, match="already running"):
        warm.serve(app, server, ready=lambda _: None, max_requests=0)


def test_without_a_server_check_runs_locally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(warm.ENV_SOCKET, str(tmp_path / "none.sock"))
    assert warm.run_remote(["check", "--present", "low_back_pain"]) is None


def test_commands_other_than_check_never_go_to_the_server() -> None:
    assert warm.request_for(["interview"]) is None and warm.request_for([]) is None


@pytest.mark.slow
@pytest.mark.skipif(not SPINECHECK.exists(), reason="run scripts/setup.sh to install the spinecheck command")
def test_the_spinecheck_command_uses_a_running_server(tmp_path: Path) -> None:
    socket_path = tmp_path / "check.sock"
    tmp_path.chmod(0o700)
    env = {**os.environ, warm.ENV_SOCKET: str(socket_path), "COLUMNS": "100"}
    env.pop(warm.ENV_NO_SERVER, None)
    process = subprocess.Popen([str(SPINECHECK), "serve"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and "ready on" in process.stdout.readline()
        args = [str(SPINECHECK), "check", "my back hurts and my legs are weak", "--json"]
        served = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
        local = subprocess.run(args, env={**env, warm.ENV_NO_SERVER: "1"}, capture_output=True, text=True, timeout=120)
        assert served.returncode == local.returncode == 0
        assert served.stdout == local.stdout
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert not socket_path.exists()
