"""One assessment: the contract object every interface returns, and the function that builds it.

The field names follow the JSON contract in DESIGN.md; CLI, REST API and web pages all
return this same model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from spinecheck.core.completeness import (
    Contradiction,
    ScreenQuestion,
    open_screen,
    resolve_contradictions,
    unanswered_checklists,
)
from spinecheck.core.inference import (
    cases_telling_forms_apart,
    companion_scores,
    contribution,
    held_contributions,
    posterior,
    posteriors,
    ranked_candidates,
    ranked_contributions,
)
from spinecheck.core.kb.schema import Expression, person_reads
from spinecheck.core.localisation import Localisation, Side, localise
from spinecheck.core.model import Cases, CompiledModel, Evidence
from spinecheck.core.triage import explain_decision, fired, triage
from spinecheck.core.triage_levels import TriageLevel


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


class TriageResult(Contract):
    level: TriageLevel
    call_ambulance: bool
    reasons: list[str]
    advice: str
    headline: str


class RedFlagResult(Contract):
    id: str
    name: str
    level: TriageLevel
    message: str
    source: str
    suspects: list[str] = Field(default_factory=list)


class EvidenceItem(Contract):
    """One answer's effect on one condition, as a likelihood ratio with its source."""

    finding: str
    label: str
    answer: str
    likelihood_ratio: float
    source: str | None


class Why(Contract):
    for_: list[str] = Field(alias="for", serialization_alias="for")
    against: list[str]
    evidence: list[EvidenceItem] = Field(default_factory=list)


class FormFit(Contract):
    """The form of a condition that shows in distinct forms that the answers point to most, and its share
    of the condition's probability (docs/adr/0023-forms-of-a-condition.md)."""

    name: str
    share: float


class ConditionResult(Contract):
    id: str
    name: str
    probability: float
    urgency: TriageLevel
    rarity: str
    why: Why
    summary: str = ""
    """One line in plain words: the answers that fit this cause and those against it, without numbers."""
    specialist: str | None = None
    form: FormFit | None = None
    """Where the condition shows in distinct forms and the answers tell them apart: the likeliest form."""


class FindingsResult(Contract):
    present: list[str]
    absent: list[str]


class OpenItem(Contract):
    finding: str
    text: str


class OpenQuestion(Contract):
    """A warning-sign checklist of the interview, with only the items nobody has answered yet."""

    id: str
    text: str
    items: list[OpenItem]


class ContradictionResult(Contract):
    """Answers that disagreed, and the reading used (the one that leads to the safer level)."""

    findings: list[str]
    used_present: list[str]
    used_absent: list[str]
    message: str


class CareAdvice(Contract):
    """What the most likely cause calls for: its specialist, self-care and when to get help sooner."""

    condition: str
    name: str
    specialist: str
    self_care: list[str]
    seek_care_sooner: list[str]


Status = Literal["complete", "incomplete"]
_Part = TypeVar("_Part", bound=Contract)


class Assessment(Contract):
    triage: TriageResult
    red_flags: list[RedFlagResult]
    not_ruled_out: list[RedFlagResult]
    conditions: list[ConditionResult]
    findings: FindingsResult
    localisation: Localisation | None = None
    age: int | None = None
    sex: str | None = None
    notes: list[str] = Field(default_factory=list)
    disclaimer: str
    emergency_services: str
    kb_version: str
    kb_hash: str
    status: Status = "complete"
    """`incomplete` when nothing usable was given or a warning sign that applies is unanswered (below emergency)."""
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    contradictions: list[ContradictionResult] = Field(default_factory=list)
    care: CareAdvice | None = None

    def to_json(self) -> str:
        """Deterministic JSON: the same input always gives byte-identical output."""
        return self.model_dump_json(by_alias=True, indent=2)


MAX_NOT_RULED_OUT = 8
"""Warning signs still open, those closest to what the person reported first, then the most
urgent; a longer list would bury the ones that matter."""

SHOWN_LOG_RATIO = 0.2
"""Answers that change a condition's odds by less than about 20% are left out of its "why"."""


def format_probability(probability: float) -> str:
    """A percentage for people: never "0%" or "100%", because the model is never certain."""
    if probability < 0.01:
        return "<1%"
    if probability > 0.99:
        return ">99%"
    return f"{probability:.0%}"


Entry = tuple[EvidenceItem, str, str]
"""One answer's entry in a condition's "why", its sentence, and its words in the one-line summary."""


def _evidence_entries(model: CompiledModel) -> dict[tuple[int, int], Entry]:
    """(condition row, answer key) -> that answer's `Entry` for the condition; filled as answers are
    first shown, once per model."""
    entries: dict[tuple[int, int], Entry] = model.memo.setdefault("assessment.evidence", {})
    return entries


def _evidence_entry(model: CompiledModel, row: int, key: int) -> Entry:
    item = contribution(model, row, key)
    words: str | None = None
    if item.finding.startswith("prior:"):
        label, answer = item.finding.removeprefix("prior:"), "risk factor"
        words = _modifier_words(model.modifiers[key - 2 * len(model.finding_ids)].when)
    elif item.finding.startswith("cluster:"):
        label, answer = _cluster_words(model, key)
    else:
        label, answer = model.kb.findings[item.finding].label, "yes" if item.present else "no"
    shown = EvidenceItem(
        finding=item.finding, label=label, answer=answer, likelihood_ratio=round(item.ratio, 3), source=item.source
    )
    entry = _evidence_entries(model)[(row, key)] = (shown, _sentence(shown), words or _words(shown))
    return entry


def _modifier_words(when: Expression) -> str:
    """How the one-line summary names a prior modifier: by what it reads, so that an age that raises a cause
    and a sex that lowers it are not both "your age, sex or history"."""
    reads = person_reads(when)
    if "history" in reads:
        return "your history" if reads == {"history"} else "your age, sex or history"
    return "your " + " and ".join(sorted(reads))  # "your age", "your sex", "your age and sex"


RowCandidates = tuple[list[tuple[int, Entry]], list[tuple[int, Entry]]]


def _candidate_entries(model: CompiledModel) -> dict[int, RowCandidates]:
    """Condition row -> `inference.ranked_candidates` of the row (for the shown threshold), each with its
    `Entry`; filled as rows are first shown, once per model."""
    candidates: dict[int, RowCandidates] = model.memo.setdefault("assessment.candidates", {})
    return candidates


def _row_candidates(model: CompiledModel, row: int) -> RowCandidates:
    up, down = ranked_candidates(model, SHOWN_LOG_RATIO)
    known = _evidence_entries(model)
    made = _candidate_entries(model)[row] = (
        [(key, known.get((row, key)) or _evidence_entry(model, row, key)) for key in up[row]],
        [(key, known.get((row, key)) or _evidence_entry(model, row, key)) for key in down[row]],
    )
    return made


def _cluster_words(model: CompiledModel, key: int) -> tuple[str, str]:
    """A cluster's name, and in words how many of its signs made its ratio apply."""
    k, position = model.cluster_keys[key - 2 * len(model.finding_ids) - len(model.modifiers)]
    cluster = model.kb.clusters[k]
    ratio = cluster.ratios[position]
    members = len(cluster.members)
    if ratio.positive_at_least is not None:
        return cluster.name, f"{ratio.positive_at_least} or more of {members} signs"
    return cluster.name, f"at most {ratio.positive_at_most} of {members} signs, all checked"


def _sentence(entry: EvidenceItem) -> str:
    source = f"; source: {entry.source}" if entry.source else ""
    if entry.answer == "risk factor":
        return f"{entry.label} (prior ×{entry.likelihood_ratio:g}{source})"
    return f"{entry.label}: {entry.answer} (likelihood ratio {entry.likelihood_ratio:g}{source})"


Card = tuple[str, str, TriageLevel, str, str]


def _condition_cards(model: CompiledModel) -> list[Card]:
    """Per condition row, what its entry in the result shows whatever the case: its id, name, urgency,
    rarity and specialist."""
    cards: list[Card] | None = model.memo.get("assessment.cards")
    if cards is None:
        cards = model.memo["assessment.cards"] = [
            (spec.id, spec.name, spec.urgency, spec.rarity.value, spec.care.specialist)
            for spec in (model.kb.conditions[condition] for condition in model.condition_ids)
        ]
    return cards


def _red_flag_results(model: CompiledModel) -> list[RedFlagResult]:
    """Each red flag as shown in the result, in knowledge-base order, built once per model."""
    results: list[RedFlagResult] | None = model.memo.get("assessment.red_flags")
    if results is None:
        results = model.memo["assessment.red_flags"] = [
            RedFlagResult(
                id=rule.id, name=rule.name, level=rule.level, message=rule.message,
                source=rule.source, suspects=list(rule.suspects),
            )
            for rule in model.kb.red_flags
        ]
    return results


def assess(
    model: CompiledModel,
    evidence: Evidence,
    max_conditions: int = 10,
    explain_limit: int = 4,
    sides: Mapping[str, Side] | None = None,
    contradicted: Iterable[str] = (),
    screen_floor: bool = True,
) -> Assessment:
    """Assess one person: red flags, posterior, triage level, explanations and localisation
    (`sides` optionally says which leg a finding was on).

    The triage decision is `triage.triage`, the one that the batch path and the interview take
    too. The result's texts that depend only on the model (each answer's "why" entry, each red
    flag) are built once per model and reused.

    Answers given both ways (in `evidence`, or named in `contradicted`) are reported and read the
    safer way. A result whose warning-sign screen is unanswered is `incomplete`, lists the open
    questions and, with `screen_floor`, is never below the knowledge base's level for that.
    """
    evidence, contradictions = resolve_contradictions(model, evidence, contradicted)
    evidence = model.check_evidence(evidence)
    kb = model.kb
    cases = model.encode(evidence)
    probabilities = posteriors(model, cases)
    decided = triage(model, cases, probabilities)
    decision = explain_decision(model, decided, probabilities[0], fired(model, decided), cases=cases)
    holds = model.rules_lists(cases)[0][len(kb.red_flags):]
    groups = [note for note, member in zip(model.population_notes, holds, strict=True) if member]

    reasons = [rule.message for rule in decision.red_flags]
    for item in decision.escalations:
        name = kb.conditions[item.condition].name
        if item.form is not None:
            name = f"{name}, {item.form},"
        reasons.append(
            f"{name} is possible (probability {format_probability(item.probability)}), and it needs care at the "
            f"'{item.level.value}' level."
        )
    for pooled_level, mass in decision.pooled:
        threshold = kb.policy.pooled_thresholds[pooled_level]
        reasons.append(
            f"Taken together, causes that need care at the '{pooled_level.value}' level have a probability of "
            f"{format_probability(mass)}, which reaches the {format_probability(threshold)} at which spinecheck "
            f"asks for that level."
        )
    level = decision.level
    nothing_given = not evidence.present and not evidence.absent
    still_unanswered = open_screen(model, evidence, cases) if level != TriageLevel.EMERGENCY else []
    incomplete = level != TriageLevel.EMERGENCY and (nothing_given or bool(still_unanswered))
    floor = kb.policy.incomplete
    if incomplete and level.rank <= floor.min_level.rank:
        reasons.append(floor.nothing_given if nothing_given else floor.screen_open)
        if screen_floor:
            level = floor.min_level
    if not reasons:
        reasons.append("No warning sign was found in what you told us.")
    level_text = kb.policy.levels[level]
    conditions = (
        _conditions(model, evidence, cases, probabilities[0], max_conditions, explain_limit)
        if all(group.rank_conditions for group in groups) else []
    )
    shown = _red_flag_results(model)
    position = model.red_flag_position
    # Every part is of its field's type already (built here or once per model): the result is put
    # together without validating it again (`_built`; a test checks it against the validated one).
    return _built(Assessment, {
        "triage": _built(TriageResult, {
            "level": level,
            "call_ambulance": decision.call_ambulance,
            "reasons": reasons,
            "advice": level_text.advice,
            "headline": level_text.headline,
        }),
        "red_flags": [shown[position[rule.id]] for rule in decision.red_flags],
        "not_ruled_out": [shown[rule] for rule in _still_open(model, cases, evidence, level)],
        "conditions": conditions,
        "findings": _built(FindingsResult, {"present": sorted(evidence.present), "absent": sorted(evidence.absent)}),
        "localisation": _localise(model, evidence, sides),
        "age": evidence.age,
        "sex": evidence.sex,
        "notes": [group.note for group in groups],
        "disclaimer": kb.policy.disclaimer,
        "emergency_services": kb.policy.emergency_services,
        "kb_version": kb.version,
        "kb_hash": kb.content_hash,
        "status": "incomplete" if incomplete else "complete",
        "open_questions": _open_questions(model, still_unanswered),
        "contradictions": [_contradiction(model, item) for item in contradictions],
        "care": _care(model, conditions[0].id) if conditions and not nothing_given else None,
    })


def _built(kind: type[_Part], values: dict[str, Any]) -> _Part:
    """A result part from values that already have the types its fields' validation would leave
    (the same objects for str, float, bool, int, None, enum members and parts; a new list for a list),
    every field given by name in the order the class declares them: the instance validation would
    make, without validating again."""
    part = _new(kind)
    _set_attribute(part, "__dict__", values)
    _set_fields_set(part, set(values))
    _set_extra(part, None)
    _set_private(part, None)
    return part


_new = object.__new__
_set_attribute = object.__setattr__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _open_questions(model: CompiledModel, questions: list[ScreenQuestion]) -> list[OpenQuestion]:
    """The checklists still open, as shown in the result: built once per model for a checklist of which
    nothing is answered (the same object every time), put together from its items' parts (built once
    per model too) otherwise."""
    made: tuple[dict[int, OpenQuestion], dict[tuple[str, str], OpenItem]] | None = model.memo.get(
        "assessment.open_questions"
    )
    if made is None:
        checklists = unanswered_checklists(model)
        items = {item: OpenItem(finding=item[0], text=item[1]) for checklist in checklists for item in checklist.items}
        made = model.memo["assessment.open_questions"] = (
            {
                id(checklist): OpenQuestion(
                    id=checklist.id, text=checklist.text, items=[items[item] for item in checklist.items]
                )
                for checklist in checklists
            },
            items,
        )
    whole, items = made
    shown: list[OpenQuestion] = []
    for question in questions:
        made_whole = whole.get(id(question))
        if made_whole is None:
            try:  # a checklist cut down from one of the model's
                parts = list(map(items.__getitem__, question.items))
            except KeyError:
                parts = [items.get(item) or OpenItem(finding=item[0], text=item[1]) for item in question.items]
            made_whole = _built(OpenQuestion, {"id": question.id, "text": question.text, "items": parts})
        shown.append(made_whole)
    return shown


def _conditions(
    model: CompiledModel,
    evidence: Evidence,
    cases: Cases,
    probabilities: npt.NDArray[np.float64],
    max_conditions: int,
    explain_limit: int,
) -> list[ConditionResult]:
    """The most probable conditions, each with the answers that moved it most."""
    order = rank_rows(probabilities)[:max_conditions].tolist()
    rounded = probabilities.round(6).tolist()
    shown = [rounded[row] for row in order]
    cards = _condition_cards(model)
    held = held_contributions(model, evidence, cases) if explain_limit >= 0 else None
    entries: list[tuple[list[Entry], list[Entry]]] | None = None
    if held is None:  # the case's own contributions ranked, and their entries looked up
        known = _evidence_entries(model)
        entries = [
            (
                [known.get((row, key)) or _evidence_entry(model, row, key) for key in supporting],
                [known.get((row, key)) or _evidence_entry(model, row, key) for key in opposing],
            )
            for row, (supporting, opposing) in zip(
                order, ranked_contributions(model, evidence, order, explain_limit, SHOWN_LOG_RATIO, cases), strict=True
            )
        ]
    else:  # each row's candidates with their entries, ranked once per model: the first that the case holds
        candidates = _candidate_entries(model)
    fits_of_forms = _likely_forms(model, cases, order)
    conditions: list[ConditionResult] = []
    # `_built`, written out: ten conditions and their reasons are most of the parts of a result
    new, set_attribute, set_fields_set, set_extra, set_private = _new, _set_attribute, _set_fields_set, _set_extra, \
        _set_private
    for position, (row, probability) in enumerate(zip(order, shown, strict=True)):
        if held is None:
            assert entries is not None
            fits, against = entries[position]
        else:
            up, down = candidates.get(row) or _row_candidates(model, row)
            fits = [entry for key, entry in up if key in held][:explain_limit]
            against = [entry for key, entry in down if key in held][:explain_limit]
        condition, name, urgency, rarity, specialist = cards[row]
        why = new(Why)
        if fits or against:
            fit_items, fit_sentences, fit_words = zip(*fits, strict=True) if fits else NO_ENTRIES
            items_against, sentences_against, words_against = zip(*against, strict=True) if against else NO_ENTRIES
            set_attribute(why, "__dict__", {
                "for_": list(fit_sentences),
                "against": list(sentences_against),
                "evidence": [*fit_items, *items_against],
            })
            summary = _summary(fit_words, words_against)
        else:
            set_attribute(why, "__dict__", {"for_": [], "against": [], "evidence": []})
            summary = NOTHING_IN_PARTICULAR
        set_fields_set(why, {"for_", "against", "evidence"})
        set_extra(why, None)
        set_private(why, None)
        result = new(ConditionResult)
        set_attribute(result, "__dict__", {
            "id": condition,
            "name": name,
            "probability": probability,
            "urgency": urgency,
            "rarity": rarity,
            "why": why,
            "summary": summary,
            "specialist": specialist,
            "form": fits_of_forms.get(row),
        })
        set_fields_set(result, {"id", "name", "probability", "urgency", "rarity", "why", "summary", "specialist",
                                "form"})
        set_extra(result, None)
        set_private(result, None)
        conditions.append(result)
    return conditions


def _likely_forms(model: CompiledModel, cases: Cases, shown: list[int]) -> dict[int, FormFit]:
    """Per row shown of a condition with forms: the form the answers point to most, when they tell the forms
    apart."""
    layout = model.forms
    if layout is None:
        return {}
    groups = [(group, column) for group, column in enumerate(layout.columns.tolist()) if column in shown]
    if not groups or cases_telling_forms_apart(model, cases) is None:
        return {}
    shares = layout.form_shares(companion_scores(model, cases))[0].tolist()
    found: dict[int, FormFit] = {}
    for group, column in groups:
        start = int(layout.starts[group])
        names = layout.names[group]
        best = max(range(len(names)), key=lambda place: shares[start + place])
        found[column] = FormFit.model_construct(name=names[best], share=round(shares[start + best], 6))
    return found


def _still_open(model: CompiledModel, cases: Cases, evidence: Evidence, level: TriageLevel) -> list[int]:
    """Red flags (their positions) not yet ruled out that would raise the result's `level`: those
    reading most of what the person reported first, then the most urgent, then by id (`cases`: the
    evidence encoded)."""
    candidates = _above_level(model)[level.rank]
    if not candidates:
        return []
    holds, ruled_out = model.rules_lists(cases)
    open_rules = [rule for rule in candidates if not (holds[rule] or ruled_out[rule])]
    if len(open_rules) > 1:
        unread = [0] * len(model.kb.red_flags)  # less the number of reported findings each rule reads
        reading = model.rules_reading
        for finding in reading.keys() & evidence.present:
            for rule in reading[finding]:
                unread[rule] -= 1
        open_rules.sort(key=unread.__getitem__)  # the most findings read first; stable, so then by urgency and id
    return open_rules[:MAX_NOT_RULED_OUT]


def _above_level(model: CompiledModel) -> list[list[int]]:
    """Per level rank: the red flags (their positions) that demand a more urgent level, in `red_flag_order`;
    built once per model."""
    above: list[list[int]] | None = model.memo.get("assessment.above_level")
    if above is None:
        order = model.red_flag_order_array
        ranks = model.red_flag_rank[order]
        above = model.memo["assessment.above_level"] = [order[ranks > level.rank].tolist() for level in TriageLevel]
    return above


def _plain_label(label: str) -> str:
    """A label as it reads inside a sentence: "Leg pain" -> "leg pain", but "HLA-B27 test" stays."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _words(entry: EvidenceItem) -> str:
    """How the one-line summary names an answer."""
    if entry.answer == "risk factor":
        return "your age, sex or history"
    label = _plain_label(entry.label)
    return label if entry.answer == "yes" else f"no {label}"


def _listed(words: Sequence[str], limit: int) -> str:
    """The first `limit` different words, in order, joined by commas."""
    if len(words) == 1:
        return words[0]
    different = dict.fromkeys(words)
    return ", ".join(different if len(different) <= limit else list(different)[:limit])


def _summary(supporting: Sequence[str], opposing: Sequence[str]) -> str:
    """One line for a person: what fits this cause and what speaks against it (the answers' `_words`),
    without any number."""
    if supporting and opposing:
        return f"Fits: {_listed(supporting, 3)}. Against: {_listed(opposing, 2)}."
    if supporting:
        return f"Fits: {_listed(supporting, 3)}."
    if opposing:
        return f"Against: {_listed(opposing, 2)}."
    return NOTHING_IN_PARTICULAR


NOTHING_IN_PARTICULAR = "Nothing you said points to it in particular."
NO_ENTRIES: tuple[tuple[EvidenceItem, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())
"""No entry's item, sentence and words (`zip(*entries)` of no entries)."""


def _contradiction(model: CompiledModel, item: Contradiction) -> ContradictionResult:
    labels = [_plain_label(model.kb.findings[finding].label) for finding in item.findings]
    if len(item.findings) == 1:
        said = f"'{labels[0]}' was given both as present and as absent"
        if item.present:
            used = "it is taken as present, the reading that leads to the safer advice"
        elif item.absent:
            used = "it is taken as absent, the reading that leads to the safer advice"
        else:
            used = "it is left unknown, because neither reading changes the advice"
    else:
        said = "more than one answer was given to one question: " + ", ".join(f"'{label}'" for label in labels)
        if item.present:
            chosen = _plain_label(model.kb.findings[item.present[0]].label)
            used = f"'{chosen}' is taken, the answer that leads to the safer advice"
        else:
            used = "the question is left unanswered, because no answer changes the advice"
    return ContradictionResult(
        findings=list(item.findings),
        used_present=list(item.present),
        used_absent=list(item.absent),
        message=f"The answers disagree: {said}; {used}.",
    )


def _care(model: CompiledModel, condition_id: str) -> CareAdvice:
    """What the condition calls for, as shown in the result; built once per model and condition."""
    made: dict[str, CareAdvice] = model.memo.setdefault("assessment.care", {})
    care = made.get(condition_id)
    if care is None:
        spec = model.kb.conditions[condition_id]
        care = made[condition_id] = CareAdvice(
            condition=condition_id,
            name=spec.name,
            specialist=spec.care.specialist,
            self_care=list(spec.care.self_care),
            seek_care_sooner=list(spec.care.seek_care_sooner),
        )
    return care


def _localise(model: CompiledModel, evidence: Evidence, sides: Mapping[str, Side] | None) -> Localisation | None:
    neuro = model.kb.neuroanatomy
    if neuro is None:
        return None
    return localise(neuro, evidence, sides, model.finding_labels)


def rank_rows(probabilities: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
    """Condition rows from most to least probable; probabilities equal to 12 decimals (as the
    leak makes many small ones) rank by id, whatever the order the sums were taken in."""
    order: npt.NDArray[np.intp] = (-probabilities.round(12)).argsort(kind="stable")
    return order


def ranked_condition_ids(model: CompiledModel, evidence: Evidence) -> list[str]:
    """All conditions from most to least probable (for evaluation and the interview)."""
    probabilities = posterior(model, model.check_evidence(evidence))
    order = rank_rows(probabilities)
    return [model.condition_ids[i] for i in order]
