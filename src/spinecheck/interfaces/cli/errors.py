"""How the command line fails: one clear line on standard error and an exit code, never a traceback.

Exit codes: 0 done; 1 stopped by the person, or a check (lint, validation) that found problems;
2 bad input (a wrong option, an unreadable file, an unknown finding id, text that is not text);
3 a broken knowledge base; 70 a fault in spinecheck itself (the line says so, so it can be reported);
130 interrupted with Ctrl-C.

Every command runs inside `PersonFacingGroup.main`, so the same rules hold whether spinecheck is
started from a shell or invoked in-process (tests, the warm server).
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, NoReturn

import typer

# Typer carries its own copy of Click; its usage errors are these classes.
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

EXIT_STOPPED = 1
EXIT_INPUT_ERROR = 2
EXIT_BROKEN_KB = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class InputError(Exception):
    """Bad input found by the command line itself; the message is the line shown."""


def one_line(text: object) -> str:
    """A message as one printable line: control and format characters (including terminal escape
    sequences and undecodable bytes) become spaces, and runs of white space become one space."""
    cleaned = "".join(
        "\ufffd" if unicodedata.category(char) == "Cs"
        else " " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn") else char
        for char in str(text)
    )
    return " ".join(cleaned.split())


def print_error(message: object, *, label: str = "error") -> None:
    """Write `label: message` as one line on standard error (in red on a terminal)."""
    typer.secho(f"{label}:", fg="red", bold=True, nl=False, err=True)
    typer.echo(" " + one_line(message), err=True)


def print_problem(problem: object) -> None:
    """One problem a check found, as `✗ file: entry: what is wrong` on standard error."""
    typer.secho("✗", fg="red", bold=True, nl=False, err=True)
    typer.echo(" " + one_line(problem), err=True)


def fail(message: object, code: int = EXIT_INPUT_ERROR) -> typer.Exit:
    """Print a one-line error and return the exit to raise: `raise fail("...")`."""
    print_error(message)
    return typer.Exit(code)


def _undecodable_argument(args: Sequence[str]) -> str | None:
    for argument in args:
        if any(unicodedata.category(char) == "Cs" for char in argument):
            return argument
    return None


def _domain_error(error: Exception) -> int | None:
    """The exit code for an error the services raise on bad input or a broken knowledge base, after
    printing it; None for anything else.

    Imported here, on the error path only, so that starting the command line stays light.
    """
    from spinecheck.core.interview import InterviewError
    from spinecheck.core.kb.loader import KnowledgeBaseError
    from spinecheck.core.model import EvidenceError
    from spinecheck.services.evaluation import VignetteError

    if isinstance(error, KnowledgeBaseError):
        print_error(f"the knowledge base is broken ({len(error.problems)} problem(s)):")
        for problem in error.problems:
            print_error(problem)
        return EXIT_BROKEN_KB
    if isinstance(error, EvidenceError | VignetteError | InterviewError):
        print_error(error)
        return EXIT_INPUT_ERROR
    return None


def _exit(code: int) -> NoReturn:
    sys.exit(code)


class PersonFacingGroup(TyperGroup):
    """The root command group: runs a command and turns every failure into one line and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        try:
            bad = _undecodable_argument(arguments)
            if bad is not None:
                raise InputError(
                    f"an argument is not valid text (it holds bytes that are not UTF-8): '{one_line(bad)}'"
                )
            result = super().main(
                args=arguments, prog_name=prog_name or "spinecheck", complete_var=complete_var,
                standalone_mode=False, **extra,
            )
        except NoArgsIsHelpError as error:
            typer.echo(error.ctx.get_help() if error.ctx is not None else error.format_message())
            _exit(0)
        except UsageError as error:
            command = error.ctx.command_path if error.ctx is not None else "spinecheck"
            print_error(f"{error.format_message()} (see '{command} --help')")
            _exit(EXIT_INPUT_ERROR)
        except typer.TyperException as error:
            print_error(error.format_message())
            _exit(error.exit_code)
        except typer.Exit as error:
            _exit(error.exit_code)
        except typer.Abort:
            print_error("stopped", label="note")
            _exit(EXIT_STOPPED)
        except InputError as error:
            print_error(error)
            _exit(EXIT_INPUT_ERROR)
        except KeyboardInterrupt:
            typer.echo("", err=True)
            _exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            # The reader of our output went away (for example `| head`): nothing more to say.
            sys.stderr = open("/dev/null", "w")  # noqa: SIM115 (silence the interpreter's flush at exit)
            _exit(EXIT_STOPPED)
        except Exception as error:
            code = _domain_error(error)
            if code is not None:
                _exit(code)
            name = type(error).__name__
            print_error(f"spinecheck failed unexpectedly ({name}: {error}). This is a fault in spinecheck; "
                        "please report it with the command you ran.")
            _exit(EXIT_INTERNAL)
        if not standalone_mode:
            return result
        _exit(result if isinstance(result, int) else 0)


__all__ = [
    "EXIT_BROKEN_KB",
    "EXIT_INPUT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_STOPPED",
    "InputError",
    "PersonFacingGroup",
    "fail",
    "one_line",
    "print_error",
    "print_problem",
]
