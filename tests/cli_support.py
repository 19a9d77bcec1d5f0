"""The command line run in-process through Typer's CliRunner, the way a person runs it, only faster.

Typer rebuilds the Click command from the function signatures on every `invoke` (about 0.2 s);
`invoke` here builds it once, so thousands of generated inputs stay cheap.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer.main
import typer.testing
from typer.testing import CliRunner, Result

from spinecheck.interfaces.cli.app import app

COMMAND = typer.main.get_command(app)
RUNNER = CliRunner()


def invoke(args: Sequence[str], stdin: bytes | str | None = None) -> Result:
    """Run `spinecheck ARGS` with `stdin` as standard input; stdout and stderr come back apart."""
    original = typer.testing._get_command
    typer.testing._get_command = lambda _app: COMMAND
    try:
        return RUNNER.invoke(app, list(args), input=stdin)
    finally:
        typer.testing._get_command = original


def assert_no_traceback(result: Result) -> None:
    """Nothing reached the person as a traceback, and no fault of spinecheck itself (exit 70) happened."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)


def assert_one_line_error(result: Result, *words: str) -> None:
    """Bad input: exit code 2 and exactly one line on standard error, naming what is wrong."""
    assert_no_traceback(result)
    assert result.exit_code == 2, (result.exit_code, result.stdout[-300:], result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
