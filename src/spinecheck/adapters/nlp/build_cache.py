"""What the reader derives from its files, kept between runs so that a start need not redo it.

Parsing the lexicon's YAML (about a quarter of a second) and embedding every name of every finding
(about a fifth) give the same result for the same input every time. Each result is kept in a file
of the user's cache folder whose name is a hash of everything it was made from, so a changed
lexicon, finding, paraphrase or model is a new entry and an old entry is never read for it.

The cache is only a shortcut. A missing, unreadable or damaged entry is made again (and written
again); a folder that cannot be written to is left alone; nothing is ever read back that was not
checked on the way in (JSON that must equal what the YAML said, vectors of the expected shape,
never pickles). `SPINECHECK_CACHE_DIR` names the folder; set to an empty value it turns the cache
off; unset, it is the user's cache folder (`~/.cache/spinecheck` on Linux).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ENV_FOLDER = "SPINECHECK_CACHE_DIR"
VERSION = "1"  # part of every key: raised when what an entry holds changes its form
KEPT_PER_KIND = 6
ABANDONED_AFTER_S = 3600  # a temporary file this old was left by a process that stopped mid-write


def cache_folder() -> Path | None:
    """`$SPINECHECK_CACHE_DIR`, none when it is set empty, else the user's cache folder."""
    configured = os.environ.get(ENV_FOLDER)
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("spinecheck", appauthor=False))


def key_of(*parts: str | bytes) -> str:
    """A hash of the parts, each told apart from the next, that names one entry."""
    digest = hashlib.sha256(VERSION.encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:40]


class BuildCache:
    """Entries in one folder; `None` keeps nothing (every entry is made each time)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    @classmethod
    def default(cls) -> BuildCache:
        return cls(cache_folder())

    def read(self, name: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Write whole or not at all (a reader never sees half an entry); a failure keeps nothing.

        Of each kind of entry only the most recently written few are kept, so a lexicon edited
        many times leaves no trail of old entries.
        """
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, self.folder / name)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return
        self._prune(kind=name.split("-", 1)[0])

    def _prune(self, kind: str) -> None:
        """Keep the newest entries of a kind; drop half-written files a killed process left an hour ago."""
        assert self.folder is not None
        with contextlib.suppress(OSError):
            entries = sorted(self.folder.glob(f"{kind}-*"), key=lambda path: path.stat().st_mtime, reverse=True)
            for old in entries[KEPT_PER_KIND:]:
                old.unlink(missing_ok=True)
            for left in self.folder.glob(f".{kind}-*"):
                if time.time() - left.stat().st_mtime > ABANDONED_AFTER_S:
                    left.unlink(missing_ok=True)

    def parsed_yaml(self, text: str, parse: Callable[[str], Any], parser: str = "") -> Any:
        """`parse(text)`, or the same data kept as JSON from an earlier run of the same `parser`.

        Data is kept only when JSON gives it back equal (YAML can say things JSON cannot, such as
        dates or number keys; such a file is simply parsed every time).
        """
        name = f"yaml-{key_of(parser, text)}.json"
        kept = self.read(name)
        if kept is not None:
            try:
                return json.loads(kept)
            except ValueError:
                pass
        data = parse(text)
        try:
            encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):  # a date, a set, a number too large for JSON, ...
            return data
        if json.loads(encoded) == data:
            self.write(name, encoded.encode("utf-8"))
        return data

    def vectors(
        self, model: str, texts: list[str], embed: Callable[[list[str]], npt.NDArray[np.float32]],
    ) -> npt.NDArray[np.float32]:
        """`embed(texts)`, or the vectors `model` gave for exactly these texts in an earlier run."""
        name = f"vectors-{key_of(model, *texts)}.npy"
        kept = self.read(name)
        if kept is not None:
            try:
                kept_matrix: npt.NDArray[np.float32] = np.load(io.BytesIO(kept), allow_pickle=False)
                if kept_matrix.dtype == np.float32 and kept_matrix.ndim == 2 and kept_matrix.shape[0] == len(texts):
                    return kept_matrix
            except (ValueError, OSError, EOFError):
                pass
        matrix = np.asarray(embed(texts), dtype=np.float32)
        buffer = io.BytesIO()
        np.save(buffer, matrix, allow_pickle=False)
        self.write(name, buffer.getvalue())
        return matrix
