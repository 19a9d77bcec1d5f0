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
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from spinecheck.core.kb.instruments import (
    INSTRUMENTS_FOLDER,
    Bound,
    Group,
    Instrument,
    Item,
    Licence,
    Option,
    Scoring,
    Subscale,
)
from spinecheck.core.kb.loader import available_instruments, read_instrument

Answer = int | None
Answers = Sequence[Answer] | Mapping[str, Answer]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    `KnowledgeBaseError` naming the file. The knowledge-base loader reads every instrument the
    same way; this reads one without loading the rest.
    """
    return read_instrument(instrument_id, root)


__all__ = [
    "INSTRUMENTS_FOLDER",
    "Bound",
    "Group",
    "Instrument",
    "InstrumentScore",
    "Item",
    "Licence",
    "Option",
    "OswestryResult",
    "Scoring",
    "StartBackResult",
    "Subscale",
    "available_instruments",
    "load_instrument",
    "score_instrument",
    "score_oswestry",
    "score_start_back",
]
