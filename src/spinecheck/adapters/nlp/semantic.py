"""Meaning by similarity: each piece of a description is compared with every way a finding is named.

A finding is named by its label, its question, its synonyms and the lexicon's paraphrases. All of
them are embedded once, when the reader is built, with static sentence embeddings (WordLlama:
token vectors averaged, so a sentence costs microseconds and nothing runs on a network). A piece
of text then reads as the finding whose closest name is at least as similar as that finding's
threshold (tuned on development sentences and written in the lexicon). Findings added to the
knowledge base are read at once, from their label, question and synonyms.

The embedding model is behind a small protocol so that the matcher can be tested with any model
and the choice of model stays in one place (docs/adr/0008-semantic-reader.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Anything that turns texts into one vector each.

    A model may also have an `identity`: a string naming it exactly enough that its vectors for the
    same texts are always the same, so that the reader may keep them between runs (`build_cache.py`).
    """

    def embed(self, texts: list[str]) -> Matrix:
        """One row per text."""
        ...


class EmbeddingModelError(RuntimeError):
    """The embedding model is not installed or its files are missing; the message says which."""


class WordLlamaEmbedder:
    """WordLlama's 256-dimension model, loaded from the files inside the installed package only."""

    def __init__(self, config: str = "l2_supercat", dim: int = 256) -> None:
        try:
            import wordllama
            from wordllama import WordLlama
        except ImportError as error:  # pragma: no cover - installed with the nlp extra
            raise EmbeddingModelError("the 'wordllama' package is not installed (see scripts/setup.sh)") from error
        folder = Path(wordllama.__file__).resolve().parent
        try:
            self._model: Any = WordLlama.load(config=config, dim=dim, cache_dir=folder, disable_download=True)
        except FileNotFoundError as error:
            raise EmbeddingModelError(f"WordLlama's weights are missing from {folder}: {error}") from error
        self.identity = f"wordllama {version('wordllama')} {config} {dim}"

    def embed(self, texts: list[str]) -> Matrix:
        if not texts:
            empty: Matrix = np.zeros((0, 1), dtype=np.float32)
            return empty
        vectors: Matrix = np.asarray(self._model.embed(texts, norm=False), dtype=np.float32)
        return vectors


def _normalised(matrix: Matrix) -> Matrix:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: Matrix = (matrix / norms).astype(np.float32)
    return unit


def question_phrase(question: str, lead_words: Sequence[str]) -> str:
    """A patient question as a phrase: "Have you had a fever (38 °C or more)?" -> "fever".

    Brackets are dropped and the question's opening words (`lead_words`: "have", "you", "had",
    "a", ...) are taken off the front, so the words that name the finding decide the comparison.
    """
    words = re.sub(r"\([^)]*\)", " ", question).strip().rstrip("?").split()
    leads = {word.lower() for word in lead_words}
    while len(words) > 1 and words[0].lower() in leads:
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class SemanticHit:
    """One target key ("present|fever", "normal|3") a piece of text is close to, and how close."""

    key: str
    score: float
    name: str


class SemanticMatcher:
    """Every name of every target embedded once; a piece of text is scored against all of them at once."""

    def __init__(
        self,
        embedder: Embedder,
        names: Mapping[str, Sequence[str]],
        thresholds: Mapping[str, float],
        default_threshold: float,
        margin: float,
        rivals: Mapping[str, Sequence[str]] | None = None,
        denials: Iterable[str] = (),
        polar: Iterable[str] = (),
        embed_names: Callable[[list[str]], Matrix] | None = None,
    ) -> None:
        self._embedder = embedder
        # Embeddings weigh a "not" lightly: a name of a `polar` key (one whose contrary is another key) that
        # denies something ("not relieved by rest") is never matched by a piece that denies nothing ("relieved
        # by rest"); `denials` are the words that deny.
        self._denials = frozenset(denials)
        polar_keys = frozenset(polar)
        keys = sorted(key for key, items in names.items() if items)
        texts: list[str] = []
        starts: list[int] = []
        for key in keys:
            starts.append(len(texts))
            texts.extend(dict.fromkeys(names[key]))
        self.keys = keys
        self.texts = texts
        self._owner = np.repeat(np.arange(len(keys)), np.diff([*starts, len(texts)]))
        self._starts = np.asarray(starts, dtype=np.int64)
        # the names are embedded by `embed_names` when given (the reader passes one that keeps them between runs)
        embed = embed_names or embedder.embed
        self._matrix = _normalised(embed(texts)) if texts else np.zeros((0, 1), dtype=np.float32)
        polar_rows = np.asarray([key in polar_keys for key in keys], dtype=bool)
        self._denying_names = polar_rows[self._owner] & np.asarray([self._denies(text) for text in texts], dtype=bool)
        self._threshold = np.asarray(
            [thresholds.get(key, default_threshold) for key in keys], dtype=np.float32
        )
        self.margin = margin
        # Opposites compete: "present|bladder_retention" against a "works normally" statement that
        # denies it. A key is not read where one of its rivals is at least as close.
        self._index = index = {key: i for i, key in enumerate(keys)}
        self._rivals = {
            index[key]: [index[other] for other in others if other in index]
            for key, others in (rivals or {}).items() if key in index
        }

    def _denies(self, text: str) -> bool:
        return any(word in self._denials for word in text.split())

    def _similarity(self, pieces: list[str]) -> tuple[Matrix, Matrix]:
        """(pieces x names) similarity, and (pieces x keys) the best of each key's names (a denying name
        counts for a piece that denies something only)."""
        similarity: Matrix = _normalised(self._embedder.embed(pieces)) @ self._matrix.T
        if self._denials and self._denying_names.any():
            plain = np.asarray([not self._denies(piece) for piece in pieces], dtype=bool)
            similarity[np.ix_(plain, self._denying_names)] = -1.0
        best: Matrix = np.maximum.reduceat(similarity, self._starts, axis=1)
        return similarity, best

    def scores(self, pieces: list[str]) -> tuple[Matrix, npt.NDArray[np.int64]]:
        """(pieces x keys) best similarity, and for each the index of the name that gave it."""
        if not pieces or not self.keys:
            return np.zeros((len(pieces), len(self.keys)), dtype=np.float32), np.zeros((len(pieces), 0), dtype=np.int64)
        similarity, best = self._similarity(pieces)
        # The name that gave each best score (for the explanation shown to a person).
        masked = np.where(similarity >= best[:, self._owner], np.arange(similarity.shape[1]), similarity.shape[1])
        first = np.minimum.reduceat(masked, self._starts, axis=1)
        return best.astype(np.float32), first.astype(np.int64)

    def names_of(self, key: str) -> list[str]:
        """A key's names as compared (none for a key the matcher does not know)."""
        i = self._index.get(key)
        if i is None:
            return []
        start = int(self._starts[i])
        end = int(self._starts[i + 1]) if i + 1 < len(self._starts) else len(self.texts)
        return self.texts[start:end]

    def still_close(self, pieces: list[tuple[str, str]]) -> list[bool]:
        """For each (text, key): is the text still over the key's threshold? Used to test a reading
        with the words another finding's phrase already read taken out."""
        texts = [text for text, _ in pieces if text.strip()]
        best = self._similarity(texts)[1] if texts else np.zeros((0, len(self.keys)), dtype=np.float32)
        close: list[bool] = []
        row = 0
        for text, key in pieces:
            if not text.strip():
                close.append(False)
                continue
            column = self._index[key]
            close.append(bool(best[row, column] >= self._threshold[column]))
            row += 1
        return close

    def _closest_name(self, similarity: Matrix, row: int, key: int) -> str:
        """The first of a key's names with its best similarity (what `scores` gives, for one key only)."""
        start = int(self._starts[key])
        end = int(self._starts[key + 1]) if key + 1 < len(self._starts) else similarity.shape[1]
        return self.texts[start + int(np.argmax(similarity[row, start:end]))]

    def match(self, pieces: list[str]) -> list[list[SemanticHit]]:
        """For each piece, the keys over their threshold and within `margin` of the piece's best key."""
        if not pieces or not self.keys:
            return [[] for _ in pieces]
        similarity, best = self._similarity(pieces)
        hits: list[list[SemanticHit]] = []
        for row in range(best.shape[0]):
            passed = np.flatnonzero(best[row] >= self._threshold)
            if not len(passed):
                hits.append([])
                continue
            passed = np.asarray([
                i for i in passed if not any(best[row, r] >= best[row, i] for r in self._rivals.get(int(i), ()))
            ], dtype=np.int64)
            if not len(passed):
                hits.append([])
                continue
            top = float(best[row, passed].max())
            chosen = [int(i) for i in passed if best[row, i] >= top - self.margin]
            chosen.sort(key=lambda i: -best[row, i])
            hits.append([
                SemanticHit(self.keys[i], float(best[row, i]), self._closest_name(similarity, row, i)) for i in chosen
            ])
        return hits
