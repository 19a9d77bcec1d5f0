"""The wiring: which adapter fills which port. Importing this module installs them.

Services only know ports (`spinecheck.core.text.TextReader`); here the medspaCy reader is
plugged in. Building it is deferred to first use, so commands that never read text never load
spaCy.
"""

from __future__ import annotations

from spinecheck.adapters.nlp import LexiconError, NarrativeParser, lexicon_path, load_lexicon
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.services import narrative


def medspacy_reader(model: CompiledModel) -> NarrativeParser:
    """The English medspaCy reader for this knowledge base (its own lexicon when it has one)."""
    try:
        return NarrativeParser(model.kb.findings, load_lexicon(lexicon_path("en", model.kb.root)))
    except LexiconError as error:
        raise EvidenceError(f"the language lexicon is broken: {error}") from None


narrative.use_reader(medspacy_reader)
