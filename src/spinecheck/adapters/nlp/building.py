"""Building the reader without Python's cycle collector running over it again and again.

Building the reader (reading the lexicon, making spaCy's tokenizer and matchers, embedding every
name) creates a few hundred thousand objects that live as long as the reader. Python's cycle
collector runs each time enough new objects have piled up and, as the pile grows, walks all of
them again: about a fifth of the reader's start-up went to that, for nothing to collect. While a
function marked `@collector_paused` runs the collector waits; it runs as usual afterwards, and
collects then whatever cycles were left behind. Nothing the reader does depends on when it runs.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

Params = ParamSpec("Params")
Result = TypeVar("Result")


def collector_paused(build: Callable[Params, Result]) -> Callable[Params, Result]:
    """Run `build` with the cycle collector paused, restoring it as it was (even if `build` raises)."""

    @wraps(build)
    def paused(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused
