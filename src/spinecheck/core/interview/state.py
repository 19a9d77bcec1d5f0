"""The interview as plain data: its state, its questions and its steps, and how a reply changes the state.

The interview keeps no memory of its own: its whole state is the answers so far, age and sex,
so a web page or the REST API can run an interview without server sessions, and the same
state always gives the same question.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from spinecheck.core.interview.policy import NO, NONE_OPTION, UNKNOWN_REPLY, YES, InterviewError, Reply
from spinecheck.core.model import CompiledModel, Evidence, Sex
from spinecheck.core.triage_levels import TriageLevel


class InterviewState(BaseModel):
    """Everything the interview knows: age, sex and the answers so far, in the order given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answers: dict[str, Reply] = Field(default_factory=dict)
    age: int | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None


class Option(BaseModel):
    """One allowed reply: `id` is what `answer()` takes, `label` what a person reads."""

    model_config = ConfigDict(frozen=True)

    id: str
    label: str


class Question(BaseModel):
    """One question: a yes / no finding, a choice between the findings of one exclusive group,
    a checklist of findings (tick all that apply), or a number on a scale that answers one finding."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Literal["boolean", "choice", "checklist", "scale"]
    text: str
    options: tuple[Option, ...]
    findings: tuple[str, ...]
    screen: bool = False  # asked as part of the red-flag screen
    unticked: Reply = UNKNOWN_REPLY  # a checklist's items left unticked beside a ticked one
    present_from: int | None = None  # a scale: the lowest number that means the finding is present

    @property
    def offers_none(self) -> bool:
        """Whether "none of these" is an answer: for choices and checklists, but not scales, nor the
        checklist of test results, where having had no test is "don't know" (ADR 0024)."""
        return any(option.id == NONE_OPTION for option in self.options)


class StopReason(StrEnum):
    """Why the interview has no further question."""

    EMERGENCY = "emergency"
    SETTLED = "settled"
    MAX_QUESTIONS = "max_questions"
    NO_QUESTIONS_LEFT = "no_questions_left"


class InterviewStep(BaseModel):
    """What to do next: ask `question`, or stop for `stopped`. `asked` counts questions answered."""

    model_config = ConfigDict(frozen=True)

    question: Question | None
    stopped: StopReason | None
    asked: int
    max_questions: int
    level: TriageLevel


def state_evidence(model: CompiledModel, state: InterviewState) -> Evidence:
    """The answers as evidence ("don't know" leaves a finding unknown); unknown ids are an error."""
    unknown = frozenset(finding for finding in state.answers if finding not in model.finding_index)
    if unknown:
        model.check_evidence(Evidence(present=unknown))  # raises, naming the ids and close matches
    present = frozenset(f for f, reply in state.answers.items() if reply == YES)
    absent = frozenset(f for f, reply in state.answers.items() if reply == NO)
    return model.check_evidence(Evidence(present=present, absent=absent, age=state.age, sex=state.sex))


def answer(state: InterviewState, question: Question, reply: str | Sequence[str] | None) -> InterviewState:
    """A new state with `reply` as the answer to `question`; None takes the answer back.

    A yes / no question takes "yes", "no" or "unknown" (don't know). A choice question takes
    the id of one option's finding, "none" (none of these) or "unknown". A checklist takes the
    ids of the ticked items (a list, or one string with commas between them), "none" or
    "unknown"; items left unticked beside a ticked one stay unknown (or become "no" where the
    question says so). Answering a question again replaces the earlier answer.
    """
    answers = {f: r for f, r in state.answers.items() if f not in question.findings}
    if reply is None:
        return state.model_copy(update={"answers": answers})
    allowed = [option.id for option in question.options]
    if question.kind == "checklist":
        parts = reply.split(",") if isinstance(reply, str) else list(reply)
        ticked = [part.strip() for part in parts if part.strip()]
        wrong = [part for part in ticked if part not in allowed]
        special = [part for part in ticked if part in (NONE_OPTION, UNKNOWN_REPLY)]
        if wrong or not ticked or (special and len(ticked) > 1):
            raise InterviewError(
                f"'{', '.join(ticked) or reply}' is not an answer to '{question.id}'; expected the ids of the "
                f"ticked items, '{NONE_OPTION}' or '{UNKNOWN_REPLY}': {', '.join(allowed)}"
            )
        if special:
            value: Reply = NO if special[0] == NONE_OPTION else UNKNOWN_REPLY
            answers.update({finding: value for finding in question.findings})
        else:
            answers.update({f: (YES if f in ticked else question.unticked) for f in question.findings})
        return state.model_copy(update={"answers": answers})
    if not isinstance(reply, str) or reply not in allowed:
        raise InterviewError(f"'{reply}' is not an answer to '{question.id}'; expected one of: {', '.join(allowed)}")
    if question.kind == "boolean":
        answers[question.findings[0]] = YES if reply == YES else NO if reply == NO else UNKNOWN_REPLY
    elif question.kind == "scale" and reply != UNKNOWN_REPLY:
        assert question.present_from is not None
        answers[question.findings[0]] = YES if int(reply) >= question.present_from else NO
    elif reply == UNKNOWN_REPLY:
        answers.update({finding: UNKNOWN_REPLY for finding in question.findings})
    else:
        answers.update({finding: (YES if finding == reply else NO) for finding in question.findings})
    return state.model_copy(update={"answers": answers})


def take_back(state: InterviewState, question: Question) -> InterviewState:
    """A new state without any answer to `question`, so that it can be asked again."""
    return answer(state, question, None)


__all__ = [
    "InterviewState",
    "InterviewStep",
    "Option",
    "Question",
    "StopReason",
    "answer",
    "state_evidence",
    "take_back",
]
