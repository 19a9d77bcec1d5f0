"""Everything kept about one person, and the report for the doctor built from it.

`PersonRecord` is the export ("download everything"): the account's email, the latest answers,
questionnaires and every diary entry. `DoctorReport` is what the report shows: first a page a
doctor reads in two minutes — the story, the latest level with its red flags and likeliest
causes, recent alerts, questionnaire scores — then the detail: every entry in a timeline.
Building it is pure; rendering (HTML, PDF, charts) is the reports adapter's work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from spinecheck.core.assessment import Assessment
from spinecheck.core.body_map import BodyMap
from spinecheck.core.diary import Alert, DiaryEntry, DiaryEntryIn, DiaryMapping, PersonAnswers, QuestionnaireAnswers
from spinecheck.core.kb.loader import KnowledgeBase

RECORD_FORMAT: Literal["spinecheck-diary"] = "spinecheck-diary"
RECENT_ALERTS = 5
TIMELINE_ROWS = 90
"""The report's table lists the latest 90 entries (three months of daily entries); the charts show all,
and the export holds everything. Longer tables make a report no doctor reads, and take long to lay out."""


class RecordAccount(BaseModel):
    email: str
    created_at: datetime


class PersonRecord(BaseModel):
    """Everything stored about one person, as the JSON export carries it."""

    format: Literal["spinecheck-diary"] = RECORD_FORMAT
    format_version: Literal[1] = 1
    exported_at: datetime
    kb_version: str
    account: RecordAccount
    answers: PersonAnswers | None = None
    questionnaires: list[QuestionnaireAnswers] = Field(default_factory=list)
    entries: list[DiaryEntry] = Field(default_factory=list)


class StoryItem(BaseModel):
    label: str
    text: str


class ScoreItem(BaseModel):
    name: str
    result: str
    detail: str
    answered_at: datetime | None


class TimelineRow(BaseModel):
    id: str
    recorded_at: datetime
    back_pain: int | None
    leg_pain_left: int | None
    leg_pain_right: int | None
    walking_distance_m: int | None
    weak: list[str]
    numb: list[str]
    changes: list[str]
    fever: bool | None
    sleep_disturbed: bool | None
    medicines: list[str]
    notes: str
    level: str
    alerts: list[str]


class DatedAlert(BaseModel):
    recorded_at: datetime
    alert: Alert


class DoctorReport(BaseModel):
    email: str
    age: int | None
    sex: str | None
    generated_at: datetime
    kb_version: str
    story: list[StoryItem]
    latest: Assessment | None
    alerts: list[DatedAlert]
    scores: list[ScoreItem]
    timeline: list[TimelineRow]
    older_entries: int = 0
    entry_count: int = 0
    first_entry: datetime | None
    last_entry: datetime | None


def _places(entries: Sequence[DiaryEntry], labels: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Weak or numb places of the first entry, and those that appeared later (where it spread)."""
    if not entries:
        return [], []
    first = list(dict.fromkeys([*entries[0].weakness, *entries[0].numbness]))
    later: list[str] = []
    for entry in entries[1:]:
        for spot in [*entry.weakness, *entry.numbness]:
            if spot not in first and spot not in later:
                later.append(spot)
    return [labels.get(s, s) for s in first], [labels.get(s, s) for s in later]


def story(kb: KnowledgeBase, mapping: DiaryMapping, answers: PersonAnswers | None,
          entries: Sequence[DiaryEntry], body_map: BodyMap) -> list[StoryItem]:
    """The person's story in short lines: the answers the diary mapping names, and where it spread."""
    items: list[StoryItem] = []
    said = answers.answers if answers else {}
    for line in mapping.story:
        present = [kb.findings[f].label for f in line.findings if said.get(f) == "yes" and f in kb.findings]
        if present:
            items.append(StoryItem(label=line.label, text="; ".join(present)))
    labels = {spot.id: spot.label for spot in body_map.spots}
    started, spread = _places(entries, labels)
    if started:
        items.append(StoryItem(label="Weak or numb at the first entry", text=", ".join(started)))
    if spread:
        items.append(StoryItem(label="Spread since to", text=", ".join(spread)))
    return items


def timeline(entries: Sequence[DiaryEntry], mapping: DiaryMapping, body_map: BodyMap) -> list[TimelineRow]:
    labels = {spot.id: spot.label for spot in body_map.spots}
    rows: list[TimelineRow] = []
    for entry in entries:
        changes: list[str] = []
        for group in mapping.changes:
            ticked = set(entry.changes(group.id) or [])
            changes += [f"{group.label}: {option.label}" for option in group.options if option.id in ticked]
        rows.append(TimelineRow(
            id=entry.id, recorded_at=entry.recorded_at, back_pain=entry.back_pain, leg_pain_left=entry.leg_pain_left,
            leg_pain_right=entry.leg_pain_right, walking_distance_m=entry.walking_distance_m,
            weak=[labels.get(s, s) for s in entry.weakness], numb=[labels.get(s, s) for s in entry.numbness],
            changes=changes, fever=entry.fever, sleep_disturbed=entry.sleep_disturbed, medicines=entry.medicines,
            notes=entry.notes, level=entry.assessment.level.value, alerts=[alert.title for alert in entry.alerts],
        ))
    return rows


def doctor_report(
    kb: KnowledgeBase, mapping: DiaryMapping, body_map: BodyMap, record: PersonRecord,
    latest: Assessment | None, scores: Sequence[ScoreItem],
) -> DoctorReport:
    entries = sorted(record.entries, key=lambda entry: entry.recorded_at)
    dated = [DatedAlert(recorded_at=entry.recorded_at, alert=alert) for entry in entries for alert in entry.alerts]
    answers = record.answers
    return DoctorReport(
        email=record.account.email, age=answers.age if answers else None, sex=answers.sex if answers else None,
        generated_at=record.exported_at, kb_version=record.kb_version,
        story=story(kb, mapping, answers, entries, body_map), latest=latest,
        alerts=list(reversed(dated))[:RECENT_ALERTS], scores=list(scores),
        timeline=timeline(entries[-TIMELINE_ROWS:], mapping, body_map),
        older_entries=max(0, len(entries) - TIMELINE_ROWS), entry_count=len(entries),
        first_entry=entries[0].recorded_at if entries else None,
        last_entry=entries[-1].recorded_at if entries else None,
    )


class ImportedEntry(BaseModel):
    """A diary entry read back from an export: the id it had and what was recorded."""

    id: str
    entry: DiaryEntryIn


class ImportedRecord(BaseModel):
    """What an import restores: the answers, the questionnaires and the entries (re-triaged on the way in)."""

    answers: PersonAnswers | None = None
    questionnaires: list[QuestionnaireAnswers] = Field(default_factory=list)
    entries: list[ImportedEntry] = Field(default_factory=list)
