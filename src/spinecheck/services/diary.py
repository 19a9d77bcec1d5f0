"""Use-case: the symptom diary — add, list, change and delete entries, re-triaging every one.

Each entry is read as findings (`core.diary.read_entry`, driven by `knowledge/diary.yaml`),
added to the person's latest answers from the check, and assessed by the same engine as a check.
The entry is then compared with the one before it: a red-flag rule that fires now and did not
then, weakness in new places, or a sharp worsening raises an alert, returned with the entry.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from spinecheck.core.assessment import Assessment, assess
from spinecheck.core.body_map import BodyMap, load_body_map
from spinecheck.core.diary import (
    Change,
    ConditionSeen,
    DiaryEntry,
    DiaryEntryIn,
    DiaryMapping,
    EntryAssessment,
    PersonAnswers,
    QuestionnaireAnswers,
    RedFlagSeen,
    check_entry,
    compare,
    entry_evidence,
    load_diary_mapping,
    raise_alerts,
    read_entry,
)
from spinecheck.core.instruments import (
    OswestryResult,
    StartBackResult,
    load_instrument,
    score_oswestry,
    score_start_back,
)
from spinecheck.core.model import CompiledModel
from spinecheck.services.knowledge import check_finding_ids

SHOWN_CONDITIONS = 5
INSTRUMENTS = ("start_back", "oswestry")


class DiaryStore(Protocol):
    """What the diary needs from storage (implemented by `adapters.storage.SqlStorage`)."""

    def add_entry(self, account_id: str, entry: DiaryEntry) -> None: ...
    def replace_entry(self, account_id: str, entry: DiaryEntry) -> bool: ...
    def entry(self, account_id: str, entry_id: str) -> DiaryEntry | None: ...
    def entries(self, account_id: str) -> list[DiaryEntry]: ...
    def entry_before(self, account_id: str, moment: datetime, excluding: str | None = None) -> DiaryEntry | None: ...
    def delete_entry(self, account_id: str, entry_id: str) -> bool: ...
    def answers(self, account_id: str) -> PersonAnswers | None: ...
    def save_answers(self, account_id: str, answers: PersonAnswers, now: datetime) -> None: ...
    def add_questionnaire(
        self, account_id: str, record_id: str, answers: QuestionnaireAnswers, now: datetime
    ) -> None: ...
    def questionnaires(self, account_id: str) -> list[QuestionnaireAnswers]: ...


class QuestionnaireError(ValueError):
    """Answers that cannot be scored (an unknown questionnaire or item, a bad code, too many skipped)."""


class EntryNotFoundError(LookupError):
    """No entry with this id belongs to this person (whether or not it belongs to someone else)."""


@dataclass(frozen=True)
class DiaryKnowledge:
    """The knowledge the diary reads: the compiled model, the diary mapping and the body map."""

    model: CompiledModel
    mapping: DiaryMapping
    body_map: BodyMap

    def spot_labels(self) -> dict[str, str]:
        return {spot.id: spot.label for spot in self.body_map.spots}


_LOADED: dict[int, DiaryKnowledge] = {}
_LOCK = threading.Lock()


def knowledge(model: CompiledModel) -> DiaryKnowledge:
    """The diary's knowledge for this model, loaded and checked once."""
    with _LOCK:
        found = _LOADED.get(id(model))
        if found is None or found.model is not model:
            found = DiaryKnowledge(model, load_diary_mapping(model.kb), load_body_map(model.kb))
            _LOADED[id(model)] = found
        return found


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def summarise(assessment: Assessment) -> EntryAssessment:
    """What an entry keeps of its assessment: the level, the red flags, the likeliest causes."""
    return EntryAssessment(
        level=assessment.triage.level, status=assessment.status,
        headline=assessment.triage.headline, advice=assessment.triage.advice,
        call_ambulance=assessment.triage.call_ambulance,
        red_flags=[RedFlagSeen(id=f.id, name=f.name, level=f.level, message=f.message) for f in assessment.red_flags],
        conditions=[ConditionSeen(id=c.id, name=c.name, probability=c.probability)
                    for c in assessment.conditions[:SHOWN_CONDITIONS]],
        kb_version=assessment.kb_version,
    )


def assess_entry(
    model: CompiledModel, answers: PersonAnswers | None, entry: DiaryEntryIn, previous: DiaryEntryIn | None,
) -> tuple[Assessment, Change]:
    """The assessment of the person's answers updated by an entry, and how the entry changed since `previous`."""
    known = knowledge(model)
    reading = read_entry(known.mapping, known.body_map, entry)
    change = compare(known.mapping, previous, entry)
    evidence, sides = entry_evidence(answers, reading, known.mapping, change, model.finding_ids)
    return assess(model, evidence, sides=sides), change


def baseline_flags(model: CompiledModel, answers: PersonAnswers | None) -> set[str]:
    """Red flags the person's answers already raised before any diary entry."""
    if answers is None:
        return set()
    return {flag.id for flag in assess_entry(model, answers, DiaryEntryIn(), None)[0].red_flags}


def _triage(
    model: CompiledModel, store: DiaryStore, account_id: str, entry: DiaryEntryIn, entry_id: str,
    created_at: datetime,
) -> DiaryEntry:
    known = knowledge(model)
    check_entry(known.mapping, known.body_map, entry)
    recorded_at = entry.recorded_at or _now()
    previous = store.entry_before(account_id, recorded_at, excluding=entry_id)
    answers = store.answers(account_id)
    assessment, change = assess_entry(model, answers, entry, previous)
    summary = summarise(assessment)
    before = {flag.id for flag in previous.assessment.red_flags} if previous else baseline_flags(model, answers)
    alerts = raise_alerts(known.mapping, before, summary, change, known.spot_labels())
    data = entry.model_dump(exclude={"recorded_at"})
    return DiaryEntry(
        **data, id=entry_id, recorded_at=recorded_at, created_at=created_at, assessment=summary, alerts=alerts,
    )


def add_entry(model: CompiledModel, store: DiaryStore, account_id: str, entry: DiaryEntryIn,
              entry_id: str | None = None) -> DiaryEntry:
    """Re-triage and store a new entry; the result carries its alerts. Returned once it is on disk."""
    stored = _triage(model, store, account_id, entry, entry_id or str(uuid.uuid4()), _now())
    store.add_entry(account_id, stored)
    return stored


def change_entry(model: CompiledModel, store: DiaryStore, account_id: str, entry_id: str,
                 entry: DiaryEntryIn) -> DiaryEntry:
    """Replace an entry's contents and re-triage it (compared with the entry before it)."""
    current = store.entry(account_id, entry_id)
    if current is None:
        raise EntryNotFoundError(entry_id)
    if entry.recorded_at is None:
        entry = entry.model_copy(update={"recorded_at": current.recorded_at})
    changed = _triage(model, store, account_id, entry, entry_id, current.created_at)
    if not store.replace_entry(account_id, changed):
        raise EntryNotFoundError(entry_id)
    return changed


def get_entry(store: DiaryStore, account_id: str, entry_id: str) -> DiaryEntry:
    found = store.entry(account_id, entry_id)
    if found is None:
        raise EntryNotFoundError(entry_id)
    return found


def delete_entry(store: DiaryStore, account_id: str, entry_id: str) -> None:
    if not store.delete_entry(account_id, entry_id):
        raise EntryNotFoundError(entry_id)


def list_entries(store: DiaryStore, account_id: str) -> list[DiaryEntry]:
    return store.entries(account_id)


def save_answers(model: CompiledModel, store: DiaryStore, account_id: str, answers: PersonAnswers) -> PersonAnswers:
    """Keep the person's latest check answers (unknown finding ids are refused)."""
    check_finding_ids(model, {f"answers.{finding}": finding for finding in answers.answers})
    moment = _now()
    store.save_answers(account_id, answers, moment)
    return answers.model_copy(update={"updated_at": moment})


# ---------------------------------------------------------------------------
# Questionnaires (STarT Back, Oswestry)
# ---------------------------------------------------------------------------


QuestionnaireScore = StartBackResult | OswestryResult


def score(answers: QuestionnaireAnswers) -> QuestionnaireScore:
    """Score a stored questionnaire; a ValueError names what is wrong with the answers."""
    if answers.instrument not in INSTRUMENTS:
        raise QuestionnaireError(f"unknown questionnaire '{answers.instrument}'; choose {' or '.join(INSTRUMENTS)}")
    instrument = load_instrument(answers.instrument)
    try:
        if answers.instrument == "start_back":
            return score_start_back(answers.answers, instrument)
        return score_oswestry(answers.answers, instrument)
    except ValueError as error:
        raise QuestionnaireError(str(error)) from None


def save_questionnaire(store: DiaryStore, account_id: str, answers: QuestionnaireAnswers) -> QuestionnaireScore:
    """Check and score the answers, then keep them."""
    result = score(answers)
    moment = _now()
    store.add_questionnaire(account_id, str(uuid.uuid4()), answers, moment)
    return result


def latest_scores(store: DiaryStore, account_id: str) -> dict[str, tuple[QuestionnaireAnswers, QuestionnaireScore]]:
    """The latest answers and score of each questionnaire the person filled in."""
    latest: dict[str, tuple[QuestionnaireAnswers, QuestionnaireScore]] = {}
    for answers in store.questionnaires(account_id):
        try:
            latest[answers.instrument] = (answers, score(answers))
        except QuestionnaireError:
            continue
    return latest


def score_labels(model: CompiledModel) -> Mapping[str, str]:
    return {score.id: score.label for score in knowledge(model).mapping.scores}
