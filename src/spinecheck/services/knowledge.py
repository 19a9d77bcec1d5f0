"""Use-case: look things up in the knowledge base — condition cards, findings, sources, the body map.

Everything an interface lists or shows about the knowledge itself comes from here, read from the
YAML, so a condition or finding added to the knowledge base appears in every listing without a
change in the code. Unknown ids are answered with the nearest known ones.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from spinecheck.core.body_map import BodyMap, BodyMapReading, Mark, load_body_map, read_marks
from spinecheck.core.kb.loader import KnowledgeBase, normalise_name
from spinecheck.core.kb.schema import Condition
from spinecheck.core.localisation import Localisation, NeuroanatomyFile
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.core.triage_levels import TriageLevel


class UnknownIdError(EvidenceError):
    """An id the knowledge base does not know, with the nearest ids it does know.

    `field` says where in the request the id was (for example `present[2]`), so an interface can
    point at it; it is empty when the id was not part of a larger input.
    """

    def __init__(self, kind: str, wanted: str, suggestions: Sequence[str], field: str = "") -> None:
        self.kind = kind
        self.wanted = wanted
        self.suggestions = list(suggestions)
        self.field = field
        hint = f" — did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown {kind} '{wanted}'{hint}")


def suggest(wanted: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known ids closest to `wanted`: by spelling first, then by containing one another."""
    candidates = list(known)
    key = normalise_name(wanted)
    close = difflib.get_close_matches(wanted.lower(), candidates, n=limit, cutoff=0.6)
    if not close and key:
        close = [c for c in candidates if key in normalise_name(c) or normalise_name(c) in key][:limit]
    return close


def check_finding_ids(model: CompiledModel, ids_by_field: Mapping[str, str]) -> None:
    """Raise `UnknownIdError` for the first unknown finding id, naming the field it came from."""
    for field, finding in ids_by_field.items():
        if finding not in model.finding_index:
            raise UnknownIdError("finding", finding, suggest(finding, model.finding_ids), field)


# ---------------------------------------------------------------------------
# Condition cards
# ---------------------------------------------------------------------------


class Card(BaseModel):
    model_config = ConfigDict(frozen=True)


class NamedFinding(Card):
    id: str
    label: str


class SourceRef(Card):
    id: str
    citation: str
    url: str | None = None


class TreatmentInfo(Card):
    kind: str
    name: str
    evidence: str
    source: str


class CareInfo(Card):
    specialist: str
    self_care: list[str]
    not_recommended: list[str]
    seek_care_sooner: list[str]
    treatments: list[TreatmentInfo]
    source: str


class ConditionSummary(Card):
    id: str
    name: str
    aliases: list[str]
    rarity: str
    urgency: TriageLevel
    description: str


class FormInfo(Card):
    """One way a condition shows itself: its share of the people who have it, and how soon it needs care."""

    id: str
    name: str
    share: float
    urgency: TriageLevel


class ConditionCard(ConditionSummary):
    """Everything a person or clinician needs to know about one condition, with its sources."""

    icd10: str
    snomed: str
    prior: float
    forms: list[FormInfo] = Field(
        default_factory=list, description="The distinct ways the condition shows itself, if it has more than one."
    )
    top_symptoms: list[NamedFinding]
    always: list[NamedFinding]
    never: list[NamedFinding]
    care: CareInfo
    sources: list[SourceRef] = Field(description="Every source the condition's numbers and advice cite.")


def _summary(condition: Condition) -> ConditionSummary:
    return ConditionSummary(
        id=condition.id, name=condition.name, aliases=list(condition.aliases), rarity=condition.rarity.value,
        urgency=condition.urgency, description=condition.description,
    )


def condition_summaries(model: CompiledModel) -> list[ConditionSummary]:
    """Every condition, by name."""
    return sorted((_summary(c) for c in model.kb.conditions.values()), key=lambda c: c.name.lower())


def find_condition(model: CompiledModel, wanted: str) -> Condition:
    """A condition by id, name or alias; `UnknownIdError` with the nearest ids otherwise."""
    condition = model.kb.condition_by_name(wanted) if len(wanted) <= 200 else None
    if condition is None:
        raise UnknownIdError("condition", wanted[:200], suggest(wanted[:200], model.kb.conditions))
    return condition


def _named(kb: KnowledgeBase, ids: Iterable[str]) -> list[NamedFinding]:
    return [NamedFinding(id=f, label=kb.findings[f].label) for f in ids]


def _cited(condition: Condition) -> list[str]:
    cited = [condition.prior.source, condition.care.source]
    cited += [m.source for m in condition.prior_modifiers]
    cited += [item.source for _, item in condition.written_likelihoods]
    cited += [form.share.source for form in condition.forms]
    cited += [form.urgency_source for form in condition.forms if form.urgency_source is not None]
    cited += [t.source for t in condition.care.treatments]
    return list(dict.fromkeys(cited))


def _source_ref(kb: KnowledgeBase, source_id: str) -> SourceRef:
    source = kb.sources[source_id]
    return SourceRef(id=source.id, citation=source.citation, url=source.url)


def condition_card(model: CompiledModel, wanted: str) -> ConditionCard:
    """The card of one condition (by id, name or alias)."""
    kb = model.kb
    condition = find_condition(model, wanted)
    care = condition.care
    return ConditionCard(
        **_summary(condition).model_dump(),
        icd10=condition.icd10,
        snomed=condition.snomed,
        prior=condition.prior.value,
        forms=[
            FormInfo(id=form.id, name=form.name, share=form.share.value, urgency=form.urgency or condition.urgency)
            for form in condition.forms
        ],
        top_symptoms=_named(kb, condition.top_symptoms),
        always=_named(kb, condition.always),
        never=_named(kb, condition.never),
        care=CareInfo(
            specialist=care.specialist,
            self_care=list(care.self_care),
            not_recommended=list(care.not_recommended),
            seek_care_sooner=list(care.seek_care_sooner),
            treatments=[TreatmentInfo(**t.model_dump()) for t in care.treatments],
            source=care.source,
        ),
        sources=[_source_ref(kb, s) for s in _cited(condition)],
    )


# ---------------------------------------------------------------------------
# Findings, sources and the knowledge base as a whole
# ---------------------------------------------------------------------------


class FindingInfo(Card):
    id: str
    label: str
    question: str
    category: str
    type: str
    exclusive_group: str | None
    lateral: bool
    clinician_only: bool


def findings_catalogue(model: CompiledModel) -> list[FindingInfo]:
    """Every finding, in knowledge-base order."""
    return [
        FindingInfo(
            id=f.id, label=f.label, question=f.question, category=f.category.value, type=f.type,
            exclusive_group=f.exclusive_group, lateral=f.lateral, clinician_only=f.clinician_only,
        )
        for f in model.kb.findings.values()
    ]


class KnowledgeBaseInfo(Card):
    version: str
    hash: str
    conditions: int
    findings: int
    red_flag_rules: int
    sources: list[SourceRef]


def knowledge_base_info(model: CompiledModel) -> KnowledgeBaseInfo:
    """Version, content hash, size and every source the knowledge base cites."""
    kb = model.kb
    return KnowledgeBaseInfo(
        version=kb.version,
        hash=kb.content_hash,
        conditions=len(kb.conditions),
        findings=len(kb.findings),
        red_flag_rules=len(kb.red_flags),
        sources=[_source_ref(kb, s) for s in kb.sources],
    )


# ---------------------------------------------------------------------------
# The body map
# ---------------------------------------------------------------------------

_BODY_MAPS: dict[str, BodyMap] = {}
_LOCK = threading.Lock()


def body_map(model: CompiledModel) -> BodyMap:
    """The body map of this knowledge base, loaded and checked once per process."""
    with _LOCK:
        loaded = _BODY_MAPS.get(model.kb.content_hash)
        if loaded is None:
            loaded = load_body_map(model.kb)
            _BODY_MAPS[model.kb.content_hash] = loaded
    return loaded


def read_body_map(model: CompiledModel, marks: Iterable[Mark]) -> BodyMapReading:
    """The findings (and the side of each) that marks on the body map stand for."""
    return read_marks(body_map(model), marks)


def localisation_spots(model: CompiledModel, localisation: Localisation | None) -> list[str]:
    """Body-map spots that show where the localisation points (empty when it points nowhere)."""
    neuro = model.kb.extra.get("neuroanatomy")
    if localisation is None or not isinstance(neuro, NeuroanatomyFile):
        return []
    site = next((s.id for s in neuro.sites if s.level == localisation.level), None)
    return body_map(model).site_spots(site, localisation.side) if site else []


__all__ = [
    "CareInfo",
    "ConditionCard",
    "ConditionSummary",
    "FindingInfo",
    "KnowledgeBaseInfo",
    "SourceRef",
    "UnknownIdError",
    "body_map",
    "check_finding_ids",
    "condition_card",
    "condition_summaries",
    "find_condition",
    "findings_catalogue",
    "knowledge_base_info",
    "localisation_spots",
    "read_body_map",
    "suggest",
]
