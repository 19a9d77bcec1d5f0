"""Free text as findings: the result every text reader returns, and the port a reader fills.

Readers live in the adapters (the medspaCy one in `spinecheck.adapters.nlp`); the services
only know this contract, so no NLP library leaks into the use-cases.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["present", "absent", "unknown"]
Context = Literal["negated", "uncertain", "past", "hypothetical", "other_person", "contradicted", "normal"]


class TextSpan(BaseModel):
    """A piece of the person's text, with its character offsets."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int


class ParsedFinding(BaseModel):
    """One finding read from the text, the words that produced it, and why it got its answer."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str
    status: Status
    span: TextSpan
    side: Literal["left", "right", "both"] | None = None
    context: list[Context] = Field(default_factory=list)
    cue: str | None = Field(default=None, description="The words that changed the answer, such as 'no' or 'not sure'.")
    via: str | None = Field(
        default=None,
        description="How it was found if not by a phrase: duration, implied, family, past, measurement, kind (a whole "
        "kind denied, such as 'no injury').",
    )


class ParseResult(BaseModel):
    """Findings present and absent, what stayed unknown, age, sex, and the text not understood."""

    model_config = ConfigDict(frozen=True)

    text: str
    present: list[ParsedFinding] = Field(default_factory=list)
    absent: list[ParsedFinding] = Field(default_factory=list)
    unknown: list[ParsedFinding] = Field(default_factory=list)
    negated: list[ParsedFinding] = Field(default_factory=list)
    age: int | None = None
    age_span: TextSpan | None = None
    sex: Literal["female", "male"] | None = None
    sex_span: TextSpan | None = None
    laterality: dict[str, Literal["left", "right", "both"]] = Field(default_factory=dict)
    not_understood: list[str] = Field(default_factory=list)
    mentioned: list[str] = Field(
        default_factory=list,
        description="Findings whose place the text names, whatever it says of them (\"off work with my back\").",
    )

    @property
    def present_ids(self) -> list[str]:
        return [finding.id for finding in self.present]

    @property
    def absent_ids(self) -> list[str]:
        return [finding.id for finding in self.absent]

    @property
    def uncertain(self) -> list[ParsedFinding]:
        """Findings mentioned with doubt ("not sure if ..."): the interview should ask about them."""
        return [finding for finding in self.unknown if "uncertain" in finding.context]

    def notes(self) -> list[str]:
        """Sentences for a person: what was not understood, what stayed uncertain."""
        lines = []
        if self.not_understood:
            lines.append("I did not understand: " + "; ".join(f'"{part}"' for part in self.not_understood))
        if self.uncertain:
            lines.append("Not sure yet, to be asked: " + ", ".join(f.label for f in self.uncertain))
        return lines

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)


class TextTooLongError(ValueError):
    """The description is longer than the reader accepts; the message says the limit."""


class TextReader(Protocol):
    """Anything that turns a description into findings."""

    def parse(self, text: str) -> ParseResult:
        """Read one description; raise TextTooLongError when it is over the reader's limit."""
        ...
