"""Groups of people the adult model fits less well, from `populations.yaml`.

Who the person is can change how far spinecheck's numbers apply: the priors and likelihoods come
from adults presenting in primary care, so the result says in plain words when a person (a
child, someone pregnant or just after birth, the very old) is outside what it assesses well, and
for some groups the ranked list of conditions is not shown at all. The groups, their notes and
whether conditions are ranked are data: the knowledge-base loader reads and checks them, and the
compiled model matches them (`CompiledModel.population_rules`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecheck.core.kb.loader import KnowledgeBase
from spinecheck.core.kb.populations import FILE_NAME, AgeLimit, PopulationNote, PopulationsFile


@dataclass(frozen=True)
class Populations:
    """The checked contents of `populations.yaml` (empty when a knowledge base has none)."""

    age_limit: AgeLimit | None
    notes: tuple[PopulationNote, ...]


NO_POPULATIONS = Populations(age_limit=None, notes=())


def load_populations(kb: KnowledgeBase) -> Populations:
    """The population groups of this knowledge base, as the loader read and checked them."""
    if kb.populations is None:
        return NO_POPULATIONS
    return Populations(age_limit=kb.populations.age_limit, notes=tuple(kb.populations.population_notes))


__all__ = [
    "FILE_NAME",
    "NO_POPULATIONS",
    "AgeLimit",
    "PopulationNote",
    "Populations",
    "PopulationsFile",
    "load_populations",
]
