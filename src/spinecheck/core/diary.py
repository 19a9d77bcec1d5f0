"""The symptom diary's domain: an entry, what it stands for as evidence, and the alerts it raises.

The knowledge lives in `knowledge/diary.yaml` (which findings scores and tick-boxes stand for,
the thresholds of a sharp worsening, the alert texts) and `knowledge/body_map.yaml` (the weak
and numb places). This module checks that file and applies it; it holds no clinical fact.
The models here are the ones every interface (CLI, REST API, web pages) reads and returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)
from pydantic import Strict as StrictValue

from spinecheck.core.body_map import BodyMap, Mark, read_marks
from spinecheck.core.kb.loader import KnowledgeBase, KnowledgeBaseError, KnowledgeBaseProblem, read_checked_file
from spinecheck.core.kb.schema import Identifier, PlainText, Strict
from spinecheck.core.localisation import Side
from spinecheck.core.model import Evidence, Sex
from spinecheck.core.triage_levels import TriageLevel

FILE_NAME = "diary.yaml"
WEAK_MODE = "weak"
NUMB_MODE = "numb"
MAX_NOTES = 2000
MAX_AREAS = 40

Score = Annotated[int, StrictValue(), Field(ge=0, le=10, description="0 = none, 10 = the worst imaginable.")]
SpotId = Annotated[str, Field(min_length=1, max_length=100)]
OptionId = Annotated[str, Field(min_length=1, max_length=64)]
Medicine = Annotated[str, Field(min_length=1, max_length=200)]
Reply = Literal["yes", "no", "unknown"]


# ---------------------------------------------------------------------------
# The knowledge file
# ---------------------------------------------------------------------------


class ScoreSpec(Strict):
    id: Identifier
    label: PlainText
    side: Literal["left", "right"] | None = None


class ScoreFinding(Strict):
    """Findings present when any of `scores` reaches `at_least` (on one side, both, or either)."""

    scores: list[Identifier] = Field(min_length=1)
    at_least: int = Field(ge=0, le=10)
    sides: Literal["one", "both", "any"] = "any"
    findings: list[Identifier] = Field(min_length=1)
    source: Identifier


class ChangeOption(Strict):
    id: Identifier
    label: PlainText
    findings: list[Identifier] = Field(min_length=1)


class ChangeGroup(Strict):
    id: Identifier
    label: PlainText
    options: list[ChangeOption] = Field(min_length=1)


class FlagSpec(Strict):
    id: Identifier
    label: PlainText
    findings: list[Identifier] = Field(min_length=1)


class NewRedFlagAlert(Strict):
    title: PlainText


class SpreadingWeaknessAlert(Strict):
    title: PlainText
    message: PlainText
    findings: list[Identifier]
    source: Identifier


class WorseningAlert(Strict):
    title: PlainText
    message: PlainText
    findings: list[Identifier]
    pain_rise_at_least: int = Field(ge=1, le=10)
    pain_rise_fraction_at_least: float = Field(ge=0.0, le=10.0)
    pain_source: Identifier
    walking_fall_fraction_at_least: float = Field(gt=0.0, le=1.0)
    walking_source: Identifier


class AlertSpecs(Strict):
    new_red_flag: NewRedFlagAlert
    spreading_weakness: SpreadingWeaknessAlert
    worsening: WorseningAlert


class StoryLine(Strict):
    id: Identifier
    label: PlainText
    findings: list[Identifier] = Field(min_length=1)


class DiaryMapping(Strict):
    """`knowledge/diary.yaml`, checked."""

    schema_version: Literal[1]
    source: Identifier
    scores: list[ScoreSpec] = Field(min_length=1)
    score_findings: list[ScoreFinding] = Field(default_factory=list)
    changes: list[ChangeGroup] = Field(default_factory=list)
    flags: list[FlagSpec] = Field(default_factory=list)
    alerts: AlertSpecs
    story: list[StoryLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> DiaryMapping:
        scores = {score.id for score in self.scores}
        for index, rule in enumerate(self.score_findings):
            unknown = sorted(set(rule.scores) - scores)
            if unknown:
                raise ValueError(f"score_findings[{index}] names unknown scores: {', '.join(unknown)}")
        for group in self.changes:
            ids = [option.id for option in group.options]
            if len(set(ids)) != len(ids):
                raise ValueError(f"changes ({group.id}) repeats an option id")
        return self

    def change_group(self, group_id: str) -> ChangeGroup | None:
        return next((group for group in self.changes if group.id == group_id), None)

    def finding_ids(self) -> set[str]:
        ids = {finding for rule in self.score_findings for finding in rule.findings}
        ids |= {finding for group in self.changes for option in group.options for finding in option.findings}
        ids |= {finding for flag in self.flags for finding in flag.findings}
        ids |= set(self.alerts.spreading_weakness.findings) | set(self.alerts.worsening.findings)
        return ids | {finding for line in self.story for finding in line.findings}

    def source_ids(self) -> set[str]:
        ids = {self.source, self.alerts.spreading_weakness.source, self.alerts.worsening.pain_source,
               self.alerts.worsening.walking_source}
        return ids | {rule.source for rule in self.score_findings}


def load_diary_mapping(kb: KnowledgeBase) -> DiaryMapping:
    """Read and check `diary.yaml` of this knowledge base against its findings and sources."""
    path = kb.root / FILE_NAME
    if not path.exists():
        raise KnowledgeBaseError([KnowledgeBaseProblem(FILE_NAME, "", "the file is missing")])
    mapping = read_checked_file(path, DiaryMapping, FILE_NAME)
    problems = [
        KnowledgeBaseProblem(FILE_NAME, "", f"names unknown finding '{finding}'")
        for finding in sorted(mapping.finding_ids() - set(kb.findings))
    ]
    problems += [
        KnowledgeBaseProblem(FILE_NAME, "", f"names unknown source '{source}'")
        for source in sorted(mapping.source_ids() - set(kb.sources))
    ]
    if problems:
        raise KnowledgeBaseError(problems)
    return mapping


# ---------------------------------------------------------------------------
# The models every interface shares
# ---------------------------------------------------------------------------


class DiaryEntryIn(BaseModel):
    """What a person records in one entry. Every field but the time may be left out."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    recorded_at: datetime | None = Field(
        default=None, description="When the entry describes (ISO 8601); now when left out. No offset means UTC."
    )
    back_pain: Score | None = None
    leg_pain_left: Score | None = None
    leg_pain_right: Score | None = None
    weakness: list[SpotId] = Field(
        default_factory=list, max_length=MAX_AREAS, description="Body-map places that are weak (spot ids)."
    )
    numbness: list[SpotId] = Field(
        default_factory=list, max_length=MAX_AREAS, description="Body-map places that are numb or tingle (spot ids)."
    )
    walking_distance_m: Annotated[int, StrictValue()] | None = Field(
        default=None, ge=0, le=100_000, description="How far you can walk before pain stops you, in metres."
    )
    bladder: list[OptionId] | None = Field(default=None, max_length=10, description="Bladder changes (option ids).")
    bowel: list[OptionId] | None = Field(default=None, max_length=10, description="Bowel changes (option ids).")
    sexual_function: list[OptionId] | None = Field(default=None, max_length=10)
    fever: StrictBool | None = None
    medicines: list[Medicine] = Field(default_factory=list, max_length=30)
    sleep_disturbed: StrictBool | None = None
    notes: str = Field(default="", max_length=MAX_NOTES)

    @field_validator("recorded_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    @field_validator("weakness", "numbness")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("notes", "medicines")
    @classmethod
    def _printable(cls, value: str | list[str]) -> str | list[str]:
        """Control characters (other than line breaks and tabs) are refused: no database stores NUL."""
        for text in [value] if isinstance(value, str) else value:
            if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
                raise ValueError("must not contain control characters")
        return value

    def changes(self, group_id: str) -> list[str] | None:
        value: list[str] | None = getattr(self, group_id, None)
        return value


class RedFlagSeen(BaseModel):
    id: str
    name: str
    level: TriageLevel
    message: str


class ConditionSeen(BaseModel):
    id: str
    name: str
    probability: float


class EntryAssessment(BaseModel):
    """What the re-triage of one entry found: the level, the red flags and the likeliest causes."""

    level: TriageLevel
    status: Literal["complete", "incomplete"] = "complete"
    """`incomplete` when a warning sign on the screen had no answer yet (the level is then never self care)."""
    headline: str
    advice: str
    call_ambulance: bool
    red_flags: list[RedFlagSeen]
    conditions: list[ConditionSeen]
    kb_version: str


AlertKind = Literal["new_red_flag", "spreading_weakness", "worsening"]


class Alert(BaseModel):
    """Something that got worse with this entry, and what to do about it."""

    kind: AlertKind
    level: TriageLevel
    title: str
    message: str
    what_to_do: str
    source: str


class DiaryEntry(DiaryEntryIn):
    """An entry as stored: with its id, times, re-triage and alerts."""

    model_config = ConfigDict(extra="forbid")

    id: str
    recorded_at: datetime
    created_at: datetime
    assessment: EntryAssessment
    alerts: list[Alert] = Field(default_factory=list)

    @property
    def alert(self) -> bool:
        return bool(self.alerts)


class PersonAnswers(BaseModel):
    """A person's latest answers from the check: finding id -> yes / no / unknown, age, sex, sides."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[Annotated[str, Field(max_length=100)], Reply] = Field(default_factory=dict, max_length=400)
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None
    sides: dict[Annotated[str, Field(max_length=100)], Side] = Field(default_factory=dict, max_length=400)
    updated_at: datetime | None = None


class QuestionnaireAnswers(BaseModel):
    """A filled-in questionnaire (STarT Back, Oswestry): item id -> option code (None = skipped)."""

    model_config = ConfigDict(extra="forbid")

    instrument: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
    answers: dict[Annotated[str, Field(max_length=64)], int | None] = Field(max_length=100)
    answered_at: datetime | None = None


# ---------------------------------------------------------------------------
# Reading an entry as evidence
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryReading:
    """The findings an entry states, and the side of each one-sided finding."""

    present: frozenset[str]
    absent: frozenset[str]
    sides: Mapping[str, Side]


class DuplicateRecordError(ValueError):
    """A record with this id exists already (stores raise it; an import then keeps the entry under a new id)."""


class EntryError(ValueError):
    """An entry names a body-map place or a tick-box option that does not exist; `field` says where."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


def check_entry(mapping: DiaryMapping, body_map: BodyMap, entry: DiaryEntryIn) -> None:
    """Raise `EntryError` for the first unknown place or option of an entry."""
    for field, mode in (("weakness", WEAK_MODE), ("numbness", NUMB_MODE)):
        allowed = {spot.id for spot in body_map.spots_for(mode)}
        for index, spot in enumerate(getattr(entry, field)):
            if spot not in allowed:
                raise EntryError(f"{field}[{index}]", f"'{spot}' is not a place on the body map for this")
    for group in mapping.changes:
        options = {option.id for option in group.options}
        for index, option in enumerate(entry.changes(group.id) or []):
            if option not in options:
                raise EntryError(f"{group.id}[{index}]", f"'{option}' is not one of {', '.join(sorted(options))}")


def _score_sides(mapping: DiaryMapping, entry: DiaryEntryIn, rule: ScoreFinding) -> tuple[bool, set[str]]:
    sides: set[str] = set()
    hit = False
    specs = {score.id: score for score in mapping.scores}
    for score_id in rule.scores:
        value = getattr(entry, score_id, None)
        if isinstance(value, int) and value >= rule.at_least:
            hit = True
            if specs[score_id].side is not None:
                sides.add(str(specs[score_id].side))
    return hit, sides


def read_entry(mapping: DiaryMapping, body_map: BodyMap, entry: DiaryEntryIn) -> EntryReading:
    """What an entry states as findings: scores, tick-boxes, flags and the weak and numb places."""
    present: set[str] = set()
    absent: set[str] = set()
    sides: dict[str, set[str]] = {}
    for rule in mapping.score_findings:
        hit, hit_sides = _score_sides(mapping, entry, rule)
        if not hit:
            continue
        both = {"left", "right"} <= hit_sides
        if (rule.sides == "both" and not both) or (rule.sides == "one" and (both or not hit_sides)):
            continue
        for finding in rule.findings:
            present.add(finding)
            for side in hit_sides:
                sides.setdefault(finding, set()).add(side)
    for group in mapping.changes:
        ticked = set(entry.changes(group.id) or [])
        for option in group.options:
            if option.id in ticked:
                present.update(option.findings)
    for flag in mapping.flags:
        value = getattr(entry, flag.id, None)
        if value is True:
            present.update(flag.findings)
        elif value is False:
            absent.update(flag.findings)
    marks = [Mark(WEAK_MODE, spot) for spot in entry.weakness] + [Mark(NUMB_MODE, spot) for spot in entry.numbness]
    marked = read_marks(body_map, marks)
    present |= marked.present
    for finding, side in marked.sides.items():
        sides.setdefault(finding, set()).update({"left", "right"} if side == "both" else {side})
    resolved: dict[str, Side] = {
        finding: ("both" if len(found) > 1 else "left" if "left" in found else "right")
        for finding, found in sides.items() if found
    }
    return EntryReading(frozenset(present), frozenset(absent - present), resolved)


# ---------------------------------------------------------------------------
# Comparing with the previous entry
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """How this entry differs from the one before it."""

    new_weak_places: tuple[str, ...]
    worse_scores: tuple[tuple[str, int, int], ...]
    walking: tuple[int, int] | None

    @property
    def spreading_weakness(self) -> bool:
        return bool(self.new_weak_places)

    @property
    def worsening(self) -> bool:
        return bool(self.worse_scores) or self.walking is not None


def compare(mapping: DiaryMapping, previous: DiaryEntryIn | None, current: DiaryEntryIn) -> Change:
    """New weak places, pain scores that rose by the minimal important change, a halved walking distance."""
    if previous is None:
        return Change((), (), None)
    rule = mapping.alerts.worsening
    new_weak = tuple(spot for spot in current.weakness if spot not in set(previous.weakness))
    worse: list[tuple[str, int, int]] = []
    for score in mapping.scores:
        before, after = getattr(previous, score.id, None), getattr(current, score.id, None)
        if not isinstance(before, int) or not isinstance(after, int):
            continue
        rise = after - before
        if rise >= rule.pain_rise_at_least and rise >= rule.pain_rise_fraction_at_least * before:
            worse.append((score.id, before, after))
    walking: tuple[int, int] | None = None
    before_m, after_m = previous.walking_distance_m, current.walking_distance_m
    if before_m and after_m is not None and after_m <= before_m * (1 - rule.walking_fall_fraction_at_least):
        walking = (before_m, after_m)
    return Change(new_weak, tuple(worse), walking)


def entry_evidence(
    answers: PersonAnswers | None, reading: EntryReading, mapping: DiaryMapping, change: Change,
    known_findings: Iterable[str],
) -> tuple[Evidence, dict[str, Side]]:
    """The person's latest answers, updated by what the entry states and how it changed."""
    known = set(known_findings)
    present = {f for f, reply in (answers.answers.items() if answers else ()) if reply == "yes" and f in known}
    absent = {f for f, reply in (answers.answers.items() if answers else ()) if reply == "no" and f in known}
    stated = set(reading.present)
    if change.spreading_weakness:
        stated.update(mapping.alerts.spreading_weakness.findings)
    if change.worsening:
        stated.update(mapping.alerts.worsening.findings)
    present = (present - reading.absent) | stated
    absent = (absent - stated) | (reading.absent - stated)
    sides: dict[str, Side] = dict(answers.sides) if answers else {}
    sides.update(reading.sides)
    evidence = Evidence(
        present=frozenset(present), absent=frozenset(absent),
        age=answers.age if answers else None, sex=answers.sex if answers else None,
    )
    return evidence, {finding: side for finding, side in sides.items() if finding in present}


def raise_alerts(
    mapping: DiaryMapping,
    previous_flags: Iterable[str],
    assessment: EntryAssessment,
    change: Change,
    spot_labels: Mapping[str, str],
    score_labels: Mapping[str, str] | None = None,
) -> list[Alert]:
    """Alerts for a new red flag, spreading weakness and a sharp worsening, most urgent first."""
    specs = mapping.alerts
    seen_before = set(previous_flags)
    labels = score_labels or {score.id: score.label for score in mapping.scores}
    alerts: list[Alert] = []
    for flag in assessment.red_flags:
        if flag.id not in seen_before:
            alerts.append(Alert(
                kind="new_red_flag", level=flag.level, title=f"{specs.new_red_flag.title}: {flag.name}",
                message=flag.message, what_to_do=assessment.advice, source=flag.id,
            ))
    if change.spreading_weakness:
        places = ", ".join(spot_labels.get(spot, spot) for spot in change.new_weak_places)
        alerts.append(Alert(
            kind="spreading_weakness", level=assessment.level, title=specs.spreading_weakness.title,
            message=f"{specs.spreading_weakness.message} New: {places}.", what_to_do=assessment.advice,
            source=specs.spreading_weakness.source,
        ))
    if change.worsening:
        details = [f"{labels.get(score, score)} {before} → {after}" for score, before, after in change.worse_scores]
        if change.walking is not None:
            details.append(f"walking distance {change.walking[0]} m → {change.walking[1]} m")
        alerts.append(Alert(
            kind="worsening", level=assessment.level, title=specs.worsening.title,
            message=f"{specs.worsening.message} ({'; '.join(details)})", what_to_do=assessment.advice,
            source=specs.worsening.pain_source if change.worse_scores else specs.worsening.walking_source,
        ))
    return sorted(alerts, key=lambda alert: -alert.level.rank)


def chart_series(entries: Sequence[DiaryEntry], mapping: DiaryMapping) -> dict[str, list[tuple[datetime, float]]]:
    """The values to draw over time: each pain score, the number of weak and numb places, walking distance."""
    series: dict[str, list[tuple[datetime, float]]] = {score.id: [] for score in mapping.scores}
    series.update({"weak_places": [], "numb_places": [], "walking_distance_m": []})
    for entry in sorted(entries, key=lambda item: item.recorded_at):
        for score in mapping.scores:
            value = getattr(entry, score.id, None)
            if isinstance(value, int):
                series[score.id].append((entry.recorded_at, float(value)))
        series["weak_places"].append((entry.recorded_at, float(len(entry.weakness))))
        series["numb_places"].append((entry.recorded_at, float(len(entry.numbness))))
        if entry.walking_distance_m is not None:
            series["walking_distance_m"].append((entry.recorded_at, float(entry.walking_distance_m)))
    return series


__all__ = [
    "Alert", "Change", "DiaryEntry", "DiaryEntryIn", "DiaryMapping", "EntryAssessment", "EntryError", "EntryReading",
    "PersonAnswers", "QuestionnaireAnswers", "chart_series", "check_entry", "compare", "entry_evidence",
    "load_diary_mapping", "raise_alerts", "read_entry",
]
