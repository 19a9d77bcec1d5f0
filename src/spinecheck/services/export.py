"""Use-case: everything about one person — gather it, build the report for the doctor, restore an import.

Rendering (HTML, PDF, charts) and the FHIR mapping are adapters; the interfaces pass what this
module gathers to them, and hand what the FHIR reader returns back to `restore`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from spinecheck.core.accounts import Account
from spinecheck.core.assessment import Assessment
from spinecheck.core.diary import (
    DiaryEntryIn,
    DuplicateRecordError,
    QuestionnaireAnswers,
    check_entry,
)
from spinecheck.core.instruments import OswestryResult, StartBackResult
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.core.record import (
    DoctorReport,
    ImportedRecord,
    PersonRecord,
    RecordAccount,
    ScoreItem,
    doctor_report,
)
from spinecheck.services import diary
from spinecheck.services.diary import DiaryStore


def gather(model: CompiledModel, store: DiaryStore, account: Account) -> PersonRecord:
    """Everything stored about the person (never anyone else's)."""
    return PersonRecord(
        exported_at=datetime.now(UTC).replace(microsecond=0), kb_version=model.kb.version,
        account=RecordAccount(email=account.email, created_at=account.created_at),
        answers=store.answers(account.id), questionnaires=store.questionnaires(account.id),
        entries=store.entries(account.id),
    )


def record_json(record: PersonRecord) -> str:
    return record.model_dump_json(indent=2)


def latest_assessment(model: CompiledModel, record: PersonRecord) -> Assessment | None:
    """The full assessment of the latest answers with the latest entry (None when there is neither)."""
    entries = sorted(record.entries, key=lambda entry: entry.recorded_at)
    if not entries and record.answers is None:
        return None
    last: DiaryEntryIn = entries[-1] if entries else DiaryEntryIn()
    previous = entries[-2] if len(entries) > 1 else None
    return diary.assess_entry(model, record.answers, last, previous)[0]


def scores(store: DiaryStore, account: Account) -> list[ScoreItem]:
    items: list[ScoreItem] = []
    for instrument, (answers, result) in diary.latest_scores(store, account.id).items():
        if instrument == "start_back" and isinstance(result, StartBackResult):
            items.append(ScoreItem(
                name="STarT Back", result=f"{result.label} ({result.total}/{result.max_total})",
                detail=result.explanation, answered_at=answers.answered_at,
            ))
        elif isinstance(result, OswestryResult):
            items.append(ScoreItem(
                name="Oswestry Disability Index", result=f"{result.percent:.0f}% — {result.band_label}",
                detail=result.description, answered_at=answers.answered_at,
            ))
    return items


def report(model: CompiledModel, store: DiaryStore, account: Account) -> DoctorReport:
    """The report for the doctor, from everything stored about the person."""
    record = gather(model, store, account)
    known = diary.knowledge(model)
    return doctor_report(model.kb, known.mapping, known.body_map, record, latest_assessment(model, record),
                         scores(store, account))


def _entry_key(entry: DiaryEntryIn) -> str:
    """What an entry records, so an import skips an entry the person has already (under any id)."""
    return DiaryEntryIn.model_validate(entry.model_dump(include=set(DiaryEntryIn.model_fields))).model_dump_json()


def _questionnaire_key(answers: QuestionnaireAnswers) -> str:
    return answers.model_dump_json()


def check_import(model: CompiledModel, imported: ImportedRecord) -> None:
    """Raise (EntryError, EvidenceError or ValueError) for the first thing an import holds that cannot be stored."""
    known = diary.knowledge(model)
    if imported.answers is not None:
        unknown = sorted(f for f in imported.answers.answers if f not in model.finding_index)
        if unknown:
            raise EvidenceError(f"the answers name an unknown finding '{unknown[0]}'")
    for answers in imported.questionnaires:
        diary.score(answers)
    for item in imported.entries:
        check_entry(known.mapping, known.body_map, item.entry)


@dataclass(frozen=True)
class Restored:
    entries: int
    questionnaires: int
    answers: bool


def restore(model: CompiledModel, store: DiaryStore, account: Account, imported: ImportedRecord) -> Restored:
    """Store what an import holds for this person. Entries they already have (same id) are skipped;
    each new one is re-triaged, oldest first, so its alerts are raised again. Everything is checked
    before anything is stored, so a bad import stores nothing."""
    check_import(model, imported)
    if imported.answers is not None:
        diary.save_answers(model, store, account.id, imported.answers)
    have = {_questionnaire_key(answers) for answers in store.questionnaires(account.id)}
    questionnaires = 0
    for answers in imported.questionnaires:
        if _questionnaire_key(answers) not in have:
            diary.save_questionnaire(store, account.id, answers)
            questionnaires += 1
    existing = {_entry_key(entry) for entry in store.entries(account.id)}
    added = 0
    ordered = sorted(imported.entries, key=lambda item: (item.entry.recorded_at is None, item.entry.recorded_at))
    for item in ordered:
        if store.entry(account.id, item.id) is not None or _entry_key(item.entry) in existing:
            continue
        try:
            diary.add_entry(model, store, account.id, item.entry, entry_id=item.id)
        except DuplicateRecordError:  # the id is taken by another person's record: keep the entry under a new id
            diary.add_entry(model, store, account.id, item.entry)
        added += 1
    return Restored(added, questionnaires, imported.answers is not None)
