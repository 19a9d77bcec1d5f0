"""Groups of people the adult model fits less well, read from `populations.yaml`.

Who the person is can change how far spinecheck's numbers apply: the priors and likelihoods come
from adults presenting in primary care, so the result says in plain words when a person (a
child, someone pregnant or just after birth, the very old) is outside what it assesses well, and
for some groups the ranked list of conditions is not shown at all. The groups, their notes and
whether conditions are ranked are data; this module only reads, checks and matches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError

from spinecheck.core.kb import schema
from spinecheck.core.kb.loader import KnowledgeBase, KnowledgeBaseError, KnowledgeBaseProblem
from spinecheck.core.kb.schema import Expression, Identifier, PlainText, Strict, expression_findings
from spinecheck.core.logic import TRUE, Case, evaluate

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


@dataclass(frozen=True)
class Populations:
    """The checked contents of `populations.yaml` (empty when a knowledge base has none)."""

    age_limit: AgeLimit | None
    notes: tuple[PopulationNote, ...]

    def matching(self, case: Case) -> tuple[PopulationNote, ...]:
        """Notes whose group the person is known to belong to (unknown never matches)."""
        return tuple(entry for entry in self.notes if evaluate(entry.when, case) == TRUE)


NO_POPULATIONS = Populations(age_limit=None, notes=())


_LOADED: dict[tuple[Path, str], Populations] = {}


def load_populations(kb: KnowledgeBase) -> Populations:
    """Read and check `populations.yaml` next to the knowledge base; every id must exist in it.

    Read once per knowledge base (its root and content hash, which covers this file too).
    """
    key = (kb.root, kb.content_hash)
    if key not in _LOADED:
        _LOADED[key] = _load(kb.root, frozenset(kb.findings), frozenset(kb.sources))
    return _LOADED[key]


def _load(root: Path, findings: frozenset[str], sources: frozenset[str]) -> Populations:
    path = root / FILE_NAME
    if not path.exists():
        return NO_POPULATIONS
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        parsed = PopulationsFile.model_validate(raw)
    except yaml.YAMLError as error:
        raise KnowledgeBaseError([KnowledgeBaseProblem(FILE_NAME, "", f"not valid YAML: {error}")]) from None
    except ValidationError as error:
        raise KnowledgeBaseError([
            KnowledgeBaseProblem(FILE_NAME, ".".join(str(part) for part in detail["loc"]), detail["msg"])
            for detail in error.errors()
        ]) from None
    problems: list[KnowledgeBaseProblem] = []
    limit_source = parsed.age_limit.source
    if limit_source not in sources:
        problems.append(KnowledgeBaseProblem(FILE_NAME, "age_limit", f"names unknown source '{limit_source}'"))
    seen: set[str] = set()
    for entry in parsed.population_notes:
        if entry.id in seen:
            problems.append(KnowledgeBaseProblem(FILE_NAME, entry.id, "duplicate id"))
        seen.add(entry.id)
        if entry.source not in sources:
            problems.append(KnowledgeBaseProblem(FILE_NAME, entry.id, f"names unknown source '{entry.source}'"))
        for finding in sorted(expression_findings(entry.when) - findings):
            problems.append(KnowledgeBaseProblem(FILE_NAME, entry.id, f"names unknown finding '{finding}'"))
    if problems:
        raise KnowledgeBaseError(problems)
    return Populations(age_limit=parsed.age_limit, notes=tuple(parsed.population_notes))

