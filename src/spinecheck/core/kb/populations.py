"""The schema of `knowledge/populations.yaml`: groups of people the adult model fits less well.

Who the person is can change how far spinecheck's numbers apply: the priors and likelihoods come
from adults presenting in primary care, so the result says in plain words when a person (a
child, someone pregnant or just after birth, the very old) is outside what it assesses well, and
for some groups the ranked list of conditions is not shown at all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from spinecheck.core.kb import schema
from spinecheck.core.kb.schema import Expression, Identifier, PlainText, Strict

FILE_NAME = "populations.yaml"


class AgeLimit(Strict):
    """The youngest age the adult model is meant for, with its source."""

    value: int = Field(ge=0, le=130)
    source: Identifier
    note: str | None = None


class PopulationNote(Strict):
    """A group of people, the plain-words note they get, and whether conditions are ranked for them."""

    id: Identifier
    when: Expression
    note: PlainText
    rank_conditions: bool = True
    source: Identifier


class PopulationsFile(Strict):
    schema_version: Literal[1]
    age_limit: AgeLimit
    population_notes: list[PopulationNote] = Field(min_length=1)


# `Expression` names the schema's expression models lazily; resolve them in the schema's namespace.
PopulationNote.model_rebuild(_types_namespace=vars(schema))
PopulationsFile.model_rebuild(_types_namespace=vars(schema))
