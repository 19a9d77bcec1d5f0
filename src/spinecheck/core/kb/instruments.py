"""The schema of the questionnaire files, `knowledge/instruments/<id>.yaml`.

Each file holds one validated questionnaire (STarT Back, Oswestry): its items with the answer
options and the score of each, its subscales, and its result groups (risk groups or disability
bands) as bounds on named scores. `spinecheck.core.instruments` scores answers against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spinecheck.core.kb.schema import Identifier, PlainText

INSTRUMENTS_FOLDER = "instruments"


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
