"""Validated questionnaires (STarT Back, Oswestry): their definitions as data, and scoring.

Each instrument lives in `knowledge/instruments/<id>.yaml`: its items with the answer options and
the score of each, its subscales, and its result groups (risk groups or disability bands) as
bounds on named scores. This module holds no clinical numbers: it validates those files and
applies them. Scoring is pure; answers are option codes (the number a person ticks), never text.

Scores a group can test: `total` (sum of item scores), `percent` (total as a share of the most the
answered items could score) and the id of any subscale (sum of its items).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from spinecheck.core.kb.loader import DEFAULT_ROOT, KnowledgeBaseError, KnowledgeBaseProblem
from spinecheck.core.kb.schema import Identifier, PlainText, SourcesFile

INSTRUMENTS_FOLDER = "instruments"

Answer = int | None
Answers = Sequence[Answer] | Mapping[str, Answer]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer a person can tick: the code they enter, its label and what it scores."""

    code: int = Field(ge=0)
    label: PlainText
    score: int = Field(ge=0)


class Item(_Strict):
    """One question. `text` is a paraphrase for readers, never the licensed wording."""

    id: Identifier
    number: int = Field(ge=1)
    domain: PlainText
    text: PlainText
    options: list[Option] = Field(min_length=2)
    source: Identifier

    @model_validator(mode="after")
    def _codes_are_unique(self) -> Item:
        codes = [option.code for option in self.options]
        if len(set(codes)) != len(codes):
            raise ValueError(f"item {self.id} repeats an option code")
        return self

    @property
    def max_score(self) -> int:
        return max(option.score for option in self.options)

    def option(self, code: int) -> Option | None:
        return next((option for option in self.options if option.code == code), None)


class Subscale(_Strict):
    """A named partial sum over some of the items."""

    id: Identifier
    label: PlainText
    items: list[Identifier] = Field(min_length=1)
    source: Identifier


class Bound(_Strict):
    """A condition on one score: at least, at most, or strictly above a value."""

    score: Identifier
    at_least: float | None = None
    at_most: float | None = None
    above: float | None = None

    @model_validator(mode="after")
    def _has_one_limit(self) -> Bound:
        if sum(limit is not None for limit in (self.at_least, self.at_most, self.above)) != 1:
            raise ValueError("a bound needs exactly one of at_least, at_most, above")
        return self

    def holds(self, scores: Mapping[str, float]) -> bool:
        value = scores[self.score]
        if self.at_least is not None:
            return value >= self.at_least
        if self.at_most is not None:
            return value <= self.at_most
        assert self.above is not None
        return value > self.above


class Group(_Strict):
    """A result (risk group or band) that applies when all of its bounds hold."""

    id: Identifier
    label: PlainText
    description: PlainText
    when: list[Bound] = Field(min_length=1)
    source: Identifier

    def matches(self, scores: Mapping[str, float]) -> bool:
        return all(bound.holds(scores) for bound in self.when)


class Scoring(_Strict):
    """How answers become scores and a group. Groups run from the mildest; the first match wins."""

    max_skipped: int = Field(ge=0)
    max_skipped_source: Identifier
    subscales: list[Subscale] = Field(default_factory=list)
    groups: list[Group] = Field(min_length=1)


class Licence(_Strict):
    """Who owns the wording and what spinecheck ships because of it."""

    holder: PlainText
    terms: PlainText
    text_shipped: Literal["paraphrase", "original"]
    official_form: str
    source: Identifier


class Instrument(_Strict):
    """One questionnaire file."""

    schema_version: Literal[1]
    id: Identifier
    name: PlainText
    short_name: PlainText
    version: PlainText
    purpose: PlainText
    timeframe: PlainText
    source: Identifier
    licence: Licence
    notice: PlainText
    items: list[Item] = Field(min_length=1)
    scoring: Scoring

    @model_validator(mode="after")
    def _references_resolve(self) -> Instrument:
        item_ids = [item.id for item in self.items]
        if len(set(item_ids)) != len(item_ids):
            raise ValueError("item ids must be unique")
        if [item.number for item in self.items] != list(range(1, len(self.items) + 1)):
            raise ValueError("items must be numbered 1, 2, 3 ... in order")
        if self.scoring.max_skipped >= len(self.items):
            raise ValueError("scoring.max_skipped must leave at least one item answered")
        score_names = {"total", "percent"}
        for subscale in self.scoring.subscales:
            unknown = sorted(set(subscale.items) - set(item_ids))
            if unknown:
                raise ValueError(f"subscale {subscale.id} names unknown items: {', '.join(unknown)}")
            if subscale.id in score_names:
                raise ValueError(f"subscale id {subscale.id} clashes with a built-in score")
            score_names.add(subscale.id)
        for group in self.scoring.groups:
            for bound in group.when:
                if bound.score not in score_names:
                    raise ValueError(f"group {group.id} tests unknown score '{bound.score}'")
        return self

    def source_ids(self) -> set[str]:
        """Every source id the file cites."""
        ids = {self.source, self.licence.source, self.scoring.max_skipped_source}
        ids |= {item.source for item in self.items}
        ids |= {subscale.source for subscale in self.scoring.subscales}
        ids |= {group.source for group in self.scoring.groups}
        return ids


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


class InstrumentScore(_Strict):
    """What any instrument's answers add up to."""

    instrument: str
    total: int
    max_total: int
    percent: float
    subscales: dict[str, int]
    group: str
    group_label: str
    group_description: str
    answered: list[str]
    skipped: list[str]


def _answer_map(instrument: Instrument, answers: Answers) -> dict[str, int | None]:
    """Answers by item id; a clear ValueError for the wrong count, an unknown id or a bad code."""
    items = {item.id: item for item in instrument.items}
    if isinstance(answers, Mapping):
        unknown = sorted(str(key) for key in answers if key not in items)
        if unknown:
            raise ValueError(
                f"{instrument.short_name} has no item called {', '.join(repr(key) for key in unknown)}; "
                f"the items are {', '.join(items)}"
            )
        by_id = {item_id: answers.get(item_id) for item_id in items}
    else:
        if isinstance(answers, str | bytes) or len(answers) != len(items):
            count = "a text" if isinstance(answers, str | bytes) else f"{len(answers)} answers"
            raise ValueError(f"{instrument.short_name} needs one answer per item ({len(items)}), got {count}")
        by_id = dict(zip(items, answers, strict=True))
    for item_id, code in by_id.items():
        if code is None:
            continue
        item = items[item_id]
        if isinstance(code, bool) or not isinstance(code, int) or item.option(code) is None:
            allowed = ", ".join(f"{option.code} ({option.label.lower()})" for option in item.options)
            raise ValueError(f"item {item.number} ({item.id}): {code!r} is not an allowed answer; choose {allowed}")
    return by_id


def score_instrument(instrument: Instrument, answers: Answers) -> InstrumentScore:
    """Score answers given in item order (a list, `None` = skipped) or by item id (a mapping)."""
    by_id = _answer_map(instrument, answers)
    items = {item.id: item for item in instrument.items}
    skipped = [item_id for item_id, code in by_id.items() if code is None]
    if len(skipped) > instrument.scoring.max_skipped:
        limit = instrument.scoring.max_skipped
        allowance = "every item must be answered" if limit == 0 else f"at most {limit} may be skipped"
        raise ValueError(
            f"{instrument.short_name} cannot be scored: {len(skipped)} item(s) skipped "
            f"({', '.join(skipped)}) and {allowance}"
        )
    item_scores: dict[str, int] = {}
    for item_id, code in by_id.items():
        if code is not None:
            option = items[item_id].option(code)
            assert option is not None
            item_scores[item_id] = option.score
    total = sum(item_scores.values())
    max_total = sum(items[item_id].max_score for item_id in item_scores)
    percent = 100.0 * total / max_total if max_total else 0.0
    subscales = {
        subscale.id: sum(item_scores.get(item_id, 0) for item_id in subscale.items)
        for subscale in instrument.scoring.subscales
    }
    scores: dict[str, float] = {"total": total, "percent": percent, **subscales}
    group = next((group for group in instrument.scoring.groups if group.matches(scores)), None)
    if group is None:
        raise ValueError(f"{instrument.short_name}: no group of the instrument file covers the scores {scores}")
    return InstrumentScore(
        instrument=instrument.id,
        total=total,
        max_total=max_total,
        percent=percent,
        subscales=subscales,
        group=group.id,
        group_label=group.label,
        group_description=group.description,
        answered=list(item_scores),
        skipped=skipped,
    )


class StartBackResult(_Strict):
    """STarT Back: total (0-9), psychosocial subscale (0-5), risk group and a plain explanation."""

    total: int
    max_total: int
    psychosocial: int
    psychosocial_max: int
    risk_group: str
    label: str
    explanation: str
    notice: str


class OswestryResult(_Strict):
    """Oswestry: disability percent (one decimal), band, and which sections were answered or skipped."""

    percent: float
    band: str
    band_label: str
    description: str
    raw_total: int
    max_total: int
    answered_sections: int
    skipped: list[str]
    notice: str


def score_start_back(answers: Answers, instrument: Instrument | None = None) -> StartBackResult:
    """Score the 9 STarT Back answers (items 1-8: 0 disagree / 1 agree; item 9: 0-4, not at all .. extremely)."""
    instrument = instrument or load_instrument("start_back")
    result = score_instrument(instrument, answers)
    psychosocial = result.subscales["psychosocial"]
    psychosocial_max = _subscale_max(instrument, "psychosocial")
    explanation = (
        f"Total score {result.total} of {result.max_total}, psychosocial subscale {psychosocial} of "
        f"{psychosocial_max}: {result.group_label.lower()}. {result.group_description}"
    )
    return StartBackResult(
        total=result.total,
        max_total=result.max_total,
        psychosocial=psychosocial,
        psychosocial_max=psychosocial_max,
        risk_group=result.group,
        label=result.group_label,
        explanation=explanation,
        notice=instrument.notice,
    )


def score_oswestry(answers: Answers, instrument: Instrument | None = None) -> OswestryResult:
    """Score the 10 Oswestry sections (each 0-5, `None` for a skipped section)."""
    instrument = instrument or load_instrument("oswestry")
    result = score_instrument(instrument, answers)
    return OswestryResult(
        percent=round(result.percent, 1),
        band=result.group,
        band_label=result.group_label,
        description=result.group_description,
        raw_total=result.total,
        max_total=result.max_total,
        answered_sections=len(result.answered),
        skipped=result.skipped,
        notice=instrument.notice,
    )


def _subscale_max(instrument: Instrument, subscale_id: str) -> int:
    items = {item.id: item for item in instrument.items}
    subscale = next(subscale for subscale in instrument.scoring.subscales if subscale.id == subscale_id)
    return sum(items[item_id].max_score for item_id in subscale.items)


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------

def load_instrument(instrument_id: str, root: Path | None = None) -> Instrument:
    """Read and validate `instruments/<id>.yaml` under the knowledge folder (the packaged one by default).

    Every problem (bad YAML, a wrong field, a source id missing from sources.yaml) is raised as one
    `KnowledgeBaseError` naming the file.
    """
    return _load_cached((root or DEFAULT_ROOT).resolve(), instrument_id)


def available_instruments(root: Path | None = None) -> list[str]:
    """Ids of the instrument files in the knowledge folder."""
    folder = (root or DEFAULT_ROOT).resolve() / INSTRUMENTS_FOLDER
    return sorted(path.stem for path in folder.glob("*.yaml"))


@lru_cache(maxsize=32)
def _load_cached(root: Path, instrument_id: str) -> Instrument:
    relative = f"{INSTRUMENTS_FOLDER}/{instrument_id}.yaml"
    path = root / relative

    def fail(message: str, entry: str = "") -> KnowledgeBaseError:
        return KnowledgeBaseError([KnowledgeBaseProblem(relative, entry, message)])

    if not instrument_id.replace("_", "").isalnum() or not path.is_file():
        known = ", ".join(available_instruments(root)) or "none"
        raise fail(f"no such instrument file (instruments available: {known})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise fail(f"not valid YAML: {getattr(error, 'problem', None) or error}",
                   f"line {mark.line + 1}" if mark is not None else "") from None
    if raw is None:
        raise fail("the file is empty")
    try:
        instrument = Instrument.model_validate(raw)
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            where = ".".join(str(part) for part in detail["loc"])
            problems.append(KnowledgeBaseProblem(relative, where, detail["msg"]))
        raise KnowledgeBaseError(problems) from None
    if instrument.id != instrument_id:
        raise fail(f"the file must be named {instrument.id}.yaml", instrument.id)
    known_sources = _source_ids(root)
    missing = sorted(instrument.source_ids() - known_sources)
    if missing:
        raise fail(f"names unknown source(s) {', '.join(missing)} (add them to sources.yaml)", instrument.id)
    return instrument


def _source_ids(root: Path) -> set[str]:
    path = root / "sources.yaml"
    if not path.is_file():
        return set()
    try:
        parsed = SourcesFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError):
        raise KnowledgeBaseError(
            [KnowledgeBaseProblem("sources.yaml", "", "cannot be read; run `spinecheck kb validate`")]
        ) from None
    return {source.id for source in parsed.sources}
