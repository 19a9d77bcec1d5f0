"""Reading what a person gives the command line: standard input, a knowledge-base folder, a typed reply.

Standard library only, so the warm client (`spinecheck.interfaces.cli.warm`) can use it without
loading the engine.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from spinecheck.interfaces.cli.errors import InputError

MAX_INPUT_BYTES = 1_000_000
"""Standard input longer than this is refused: a description is a few sentences, not a book."""

KB_MARKER = "manifest.yaml"


def read_standard_input() -> str:
    """The description piped in, as UTF-8 text; one clear error when it is too long or not text."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        data = sys.stdin.read(MAX_INPUT_BYTES + 1).encode("utf-8", "surrogateescape")
    else:
        data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"standard input is longer than {MAX_INPUT_BYTES:,} bytes; give one description")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("standard input is not text (it is not valid UTF-8)") from None


def knowledge_base_folder(kb: Path | None) -> Path | None:
    """`--kb` checked before anything is loaded: it must be a folder holding a knowledge base."""
    if kb is None:
        return None
    if not kb.exists():
        raise InputError(f"no knowledge base at {kb}: there is no such folder")
    if not kb.is_dir():
        raise InputError(f"{kb} is a file; --kb needs a knowledge-base folder")
    if not (kb / KB_MARKER).is_file():
        raise InputError(f"{kb} is not a knowledge-base folder (it has no {KB_MARKER})")
    return kb


UNREADABLE = "\ufffd"
"""What a typed reply that is not valid text reads as: no answer, so the question is asked again."""


class InputClosedError(Exception):
    """The person closed the input (Ctrl-D) while a question was waiting."""


def read_reply(console: Any, prompt: object) -> str:
    """One typed reply, trimmed and in lower case; InputClosedError when the input ends."""
    try:
        return str(console.input(prompt)).strip().lower()
    except EOFError:
        raise InputClosedError from None
    except UnicodeDecodeError:
        return UNREADABLE


__all__ = [
    "MAX_INPUT_BYTES",
    "InputClosedError",
    "knowledge_base_folder",
    "read_reply",
    "read_standard_input",
]
