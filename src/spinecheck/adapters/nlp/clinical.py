"""The reader's spaCy pipeline: medspaCy loaded without what the reader never runs, and its
clinical tokenizer built once.

Two things made every start slower for nothing:

- medspaCy imports QuickUMLS (its UMLS concept matcher) when it is imported, and QuickUMLS imports
  NLTK, half a second of modules that QuickUMLS itself only touches when one of its matchers is
  made. The reader makes none, so NLTK's place is held by a stand-in that imports it in full the
  first time anything asks it for a name, and from then on hands every request to it. (The
  standard library's `LazyLoader` cannot do this on Python 3.11: a second `import nltk` asks the
  module for its `__spec__`, which loads it.)
- `medspacy.load` makes a blank English pipeline (whose tokenizer compiles spaCy's affix patterns
  and adds its 1,300 special cases) and then replaces that tokenizer by medspaCy's, which does all
  of it again with one more infix rule. Naming medspaCy's tokenizer in the blank pipeline's config
  builds it once: the same tokenizer, made by medspaCy's own function.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from types import ModuleType, SimpleNamespace
from typing import Any

TOKENIZER = "spinecheck.medspacy_tokenizer.v1"
# imported by medspaCy's dependencies but used only by parts of them the reader never runs
IMPORTED_LAZILY = ("nltk",)


def load_medspacy() -> None:
    """Import medspaCy (which registers its pipeline components), its unused dependencies deferred."""
    for name in IMPORTED_LAZILY:
        _defer_import(name)
    import medspacy  # noqa: F401  # registers medspaCy's components with spaCy


def clinical_pipeline() -> Any:
    """A blank English spaCy pipeline whose tokenizer is medspaCy's clinical tokenizer."""
    load_medspacy()
    import spacy
    from spacy.util import registry

    if TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(TOKENIZER, func=_medspacy_tokenizer)
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})


class DeferredModule(ModuleType):
    """Stands in for a module not imported yet; the first name asked of it imports the module."""

    def __init__(self, spec: ModuleSpec) -> None:
        super().__init__(spec.name)
        self.__spec__ = spec  # what `import name` elsewhere looks at: a module ready to use

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._module(), attribute)

    def _module(self) -> ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)


def _defer_import(name: str) -> None:
    """Put a stand-in for `name` in place, unless it is imported already or not installed."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is not None:
        sys.modules[name] = DeferredModule(spec)


def _medspacy_tokenizer() -> Callable[[Any], Any]:
    from medspacy.custom_tokenizer import create_medspacy_tokenizer

    def create(nlp: Any) -> Any:
        # medspaCy's function reads the token match from the tokenizer it replaces; while the
        # pipeline is being made there is none yet, so it is given the language's own, which
        # is what that tokenizer would have held.
        defaults = nlp.Defaults
        being_made = SimpleNamespace(Defaults=defaults, vocab=nlp.vocab,
                                     tokenizer=SimpleNamespace(token_match=defaults.token_match))
        return create_medspacy_tokenizer(being_made)

    return create
