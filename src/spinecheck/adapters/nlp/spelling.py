"""Which words are English words as they stand, so that a real word is never read as a slip for another.

The reader corrects one-letter slips ("numbess" -> "numbness") against the words its rules look for. A
word that is itself English ("spoiling", "dancer", "pushes") is left as written, whatever word of the
knowledge base it comes close to: "it's spoiling my sleep" says nothing of soiling. The word list is
pyspellchecker's English dictionary (word frequencies drawn from subtitles and books), loaded the
first time it is asked: the reader asks only of a word one letter away from exactly one word of its
rules, which about one published description in seven holds, so most readings never load it (a
quarter of a second).
"""

from __future__ import annotations

from typing import Any


class EnglishWords:
    """Membership in pyspellchecker's English word list (lower-case words)."""

    def __init__(self) -> None:
        self._frequencies: Any = None

    def __contains__(self, word: object) -> bool:
        if self._frequencies is None:
            from spellchecker import SpellChecker

            self._frequencies = SpellChecker(language="en", distance=1).word_frequency
        return isinstance(word, str) and word in self._frequencies
