"""Request and response bodies of the API that are not already core or service models.

Responses reuse the shared models (`Assessment`, `ParseResult`, `Question`, the condition card);
the requests here only gather what a client sends and check its shape. Unknown ids are checked
against the knowledge base by the services, which answer with the nearest known ids.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from spinecheck.core.assessment import Assessment
from spinecheck.core.diary import DiaryEntry
from spinecheck.core.interview import InterviewState, Question, StopReason
from spinecheck.core.model import EvidenceError
from spinecheck.core.triage_levels import TriageLevel

AnyId = Annotated[str, Field(min_length=1, max_length=100)]
"""An id as a client sends it; whether the knowledge base knows it is checked later, with suggestions."""
Age = Annotated[int, Field(ge=0, le=130, description="Age in whole years.")]
SexField = Literal["female", "male"]
MAX_IDS = 400
MAX_TEXT = 20_000


class Request(BaseModel):
    """Requests are strict: `false` is not an age and `"yes"` is not `true`."""

    model_config = ConfigDict(extra="forbid", strict=True)


class AssessRequest(Request):
    """What is known about one person: a description, findings, or both (where the description and
    the ids disagree, the assessment reports it and reads it the safer way)."""

    text: str | None = Field(default=None, max_length=MAX_TEXT, description="What the person feels, in their words.")
    present: list[AnyId] = Field(default_factory=list, max_length=MAX_IDS, description="Finding ids present.")
    absent: list[AnyId] = Field(default_factory=list, max_length=MAX_IDS, description="Finding ids absent.")
    findings: dict[AnyId, StrictBool | None] = Field(
        default_factory=dict, max_length=MAX_IDS,
        description="The vignette form: finding id -> true (present), false (absent) or null (unknown).",
    )
    age: Age | None = None
    sex: SexField | None = None

    def ids_by_field(self) -> dict[str, str]:
        """Every finding id sent, keyed by where it is in the request."""
        ids = {f"present[{i}]": finding for i, finding in enumerate(self.present)}
        ids.update({f"absent[{i}]": finding for i, finding in enumerate(self.absent)})
        ids.update({f"findings.{finding}": finding for finding in self.findings})
        return ids

    def split(self) -> tuple[list[str], list[str]]:
        """The present and the absent ids. A client that sends one id both ways has a bug, so that is
        refused here (a description that disagrees with the ids is a person's, and is read the safer way)."""
        present = [*self.present, *(f for f, value in self.findings.items() if value is True)]
        absent = [*self.absent, *(f for f, value in self.findings.items() if value is False)]
        both = sorted(set(present) & set(absent))
        if both:
            raise EvidenceError("a finding cannot be both present and absent: " + ", ".join(both))
        return present, absent


class ParseRequest(Request):
    text: str = Field(max_length=MAX_TEXT, description="A description in the person's own words.")


class ReplyIn(Request):
    """An answer to one question: an option id, or for a checklist the ids of every ticked item."""

    question: AnyId
    answer: Annotated[str, Field(min_length=1, max_length=2000)] | Annotated[
        list[AnyId], Field(min_length=1, max_length=40)
    ]


class InterviewStateIn(Request):
    """The interview so far: age, sex and the answers given (finding id -> yes, no or unknown)."""

    answers: dict[AnyId, Literal["yes", "no", "unknown"]] = Field(default_factory=dict, max_length=MAX_IDS)
    age: Age | None = None
    sex: SexField | None = None

    def core(self) -> InterviewState:
        return InterviewState(answers=self.answers, age=self.age, sex=self.sex)


class InterviewRequest(Request):
    """The interview so far (as the last response returned it), and optionally a reply to apply.

    The server keeps nothing: send `state` back with each call. Send `text` on the first call to
    start from a description (what it settles is not asked again).
    """

    state: InterviewStateIn = Field(default_factory=InterviewStateIn)
    reply: ReplyIn | None = None
    text: str | None = Field(default=None, max_length=MAX_TEXT)


class InterviewResponse(BaseModel):
    """The state to send next time, then the next question, or the result when it is over."""

    state: InterviewState
    question: Question | None
    stopped: StopReason | None
    asked: int
    max_questions: int
    level: TriageLevel
    answered: list[str] = Field(description="Finding ids the reply answered (drop them to go back one question).")
    notes: list[str] = Field(default_factory=list, description="What a description left unclear.")
    result: Assessment | None


class MarkIn(Request):
    mode: AnyId = Field(description="A body-map mode id, for example 'pain', 'numb' or 'weak'.")
    spot: AnyId = Field(description="A spot id, for example 'left_outer_shin' or 'lower_back'.")


class BodyMapRequest(Request):
    marks: list[MarkIn] = Field(max_length=200)


class BodyMapFindings(BaseModel):
    present: list[str]
    sides: dict[str, Literal["left", "right", "both"]]


class SpotInfo(BaseModel):
    id: str
    area: str
    label: str
    view: Literal["front", "back"]
    side: Literal["left", "right"] | None
    findings: dict[str, list[str]]


class ModeInfo(BaseModel):
    id: str
    label: str
    prompt: str


class BodyMapInfo(BaseModel):
    modes: list[ModeInfo]
    spots: list[SpotInfo]


class Health(BaseModel):
    status: Literal["ok"]
    kb_version: str
    kb_hash: str


# ---------------------------------------------------------------------------
# Accounts and the diary
# ---------------------------------------------------------------------------


class SignUpRequest(Request):
    """A new account: an email and a password of at least 10 characters."""

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=200)


class TokenRequest(Request):
    """Sign in with email and password to get an API token (shown once)."""

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=200)
    name: str = Field(default="API token", max_length=100)


class TokenIssued(BaseModel):
    """A new API token. `token` is the secret: send it as `Authorization: Bearer <token>`; it is never shown again."""

    id: str
    name: str
    token: str
    created_at: datetime


class SavedEntry(BaseModel):
    """A diary entry after its re-triage. `alert` is true when it raised an alert (see `entry.alerts`)."""

    alert: bool
    level: TriageLevel
    entry: DiaryEntry


class QuestionnaireRequest(Request):
    """A filled-in STarT Back or Oswestry: item id -> option code, null for a skipped item."""

    instrument: Literal["start_back", "oswestry"]
    answers: dict[Annotated[str, Field(max_length=64)], StrictInt | None] = Field(max_length=50)


class ImportResult(BaseModel):
    entries: int
    questionnaires: int
    answers: bool
