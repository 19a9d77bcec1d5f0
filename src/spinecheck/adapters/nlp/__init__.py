"""Reading people's own words: a medspaCy pipeline whose every rule comes from the knowledge base.

Only plain pydantic results leave this package (`ParseResult`); spaCy stays inside.
"""

from spinecheck.adapters.nlp.lexicon import Lexicon, LexiconError, check_lexicon, lexicon_path, load_lexicon
from spinecheck.adapters.nlp.pipeline import NarrativeParser
from spinecheck.core.text import ParsedFinding, ParseResult, TextSpan, TextTooLongError

__all__ = [
    "Lexicon",
    "LexiconError",
    "NarrativeParser",
    "ParseResult",
    "ParsedFinding",
    "TextSpan",
    "TextTooLongError",
    "check_lexicon",
    "lexicon_path",
    "load_lexicon",
]
