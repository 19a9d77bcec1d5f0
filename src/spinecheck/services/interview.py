"""Use-case: run the adaptive interview — for a person, and for a simulated patient in evaluation.

The core decides the questions; this module starts an interview, turns a finished one into
an assessment, and plays a vignette as a patient who answers from its findings and says
"don't know" to everything else. Importing it adds the `interview` mode to `spinecheck eval`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spinecheck.core.assessment import Assessment, assess
from spinecheck.core.completeness import resolve_contradictions
from spinecheck.core.interview import (
    NO,
    NONE_OPTION,
    UNKNOWN_REPLY,
    YES,
    InterviewPolicy,
    InterviewState,
    InterviewStep,
    Question,
    Reply,
    StopReason,
    answer,
    plan_next,
    question_by_id,
    state_evidence,
)
from spinecheck.core.localisation import Side
from spinecheck.core.model import CompiledModel, Evidence, EvidenceError, Sex
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services.evaluation import CaseOutcome, Vignette, register_mode


def start(age: int | None = None, sex: str | None = None) -> InterviewState:
    """A new interview; age and sex may stay unknown."""
    if sex not in (None, "female", "male"):
        raise EvidenceError("sex must be 'female' or 'male'")
    known_sex: Sex | None = "female" if sex == "female" else "male" if sex == "male" else None
    try:
        return InterviewState(age=age, sex=known_sex)
    except ValueError:
        raise EvidenceError("age must be a whole number of years between 0 and 130") from None


def state_from_evidence(model: CompiledModel, evidence: Evidence, contradicted: Iterable[str] = ()) -> InterviewState:
    """An interview state holding what is already known, so it is not asked again (answers given both
    ways are read the safer way first, as an assessment reads them)."""
    evidence, _ = resolve_contradictions(model, evidence, contradicted)
    evidence = model.check_evidence(evidence)
    answers: dict[str, Reply] = {finding: YES for finding in sorted(evidence.present)}
    answers.update({finding: NO for finding in sorted(evidence.absent)})
    return InterviewState(answers=answers, age=evidence.age, sex=evidence.sex)


def step(model: CompiledModel, state: InterviewState) -> InterviewStep:
    """The next question, or why the interview is over."""
    return plan_next(model, state)


def result(
    model: CompiledModel,
    state: InterviewState,
    max_conditions: int = 10,
    sides: Mapping[str, Side] | None = None,
    screen_floor: bool = True,
) -> Assessment:
    """The assessment of the answers so far, in the same contract as `check` (`sides`: which leg
    a finding was on, for the localisation; `screen_floor`: see `assess`)."""
    return assess(
        model, state_evidence(model, state), max_conditions=max_conditions, sides=sides, screen_floor=screen_floor
    )


def open_part(question: Question, state: InterviewState) -> Question:
    """The part of a question still open: a checklist without the items already answered (for
    example from a description), so that a reply to it never overwrites what is known. A question
    whose every finding is answered is being answered again, and is returned whole."""
    open_findings = tuple(f for f in question.findings if f not in state.answers)
    if question.kind != "checklist" or not open_findings or len(open_findings) == len(question.findings):
        return question
    options = tuple(option for option in question.options if option.id not in state.answers)
    return question.model_copy(update={"findings": open_findings, "options": options})


def reply_to(
    model: CompiledModel, state: InterviewState, question_id: str, reply: str | Sequence[str]
) -> tuple[InterviewState, tuple[str, ...]]:
    """The state after `reply` to the question `question_id`, and the findings the reply answered
    (so it can be taken back exactly). An unknown question or a wrong reply raises InterviewError."""
    question = open_part(question_by_id(model, question_id), state)
    return answer(state, question, reply), question.findings


def take_back_findings(state: InterviewState, findings: Iterable[str]) -> InterviewState:
    """The state without the answers to `findings`: going back one question."""
    dropped = set(findings)
    return state.model_copy(update={"answers": {f: r for f, r in state.answers.items() if f not in dropped}})


@dataclass(frozen=True)
class Progress:
    """Where an interview stands: the state, the next step and, once it is over, the result."""

    state: InterviewState
    step: InterviewStep
    result: Assessment | None


def progress(model: CompiledModel, state: InterviewState, sides: Mapping[str, Side] | None = None) -> Progress:
    """The next question for this state, or the assessment when there is no question left."""
    current = plan_next(model, state)
    return Progress(state, current, result(model, state, sides=sides) if current.question is None else None)


def patient_reply(question: Question, findings: dict[str, bool | None]) -> str:
    """How a patient who knows exactly `findings` answers: from them, else "don't know".

    On a checklist they tick every item they have; "none of these" only when they know they
    have none of them.
    """
    if question.kind == "boolean":
        known = findings.get(question.findings[0])
        return UNKNOWN_REPLY if known is None else (YES if known else NO)
    if question.kind == "scale":
        known = findings.get(question.findings[0])
        if known is None or question.present_from is None:
            return UNKNOWN_REPLY
        return str(question.present_from) if known else question.options[0].id
    chosen = [finding for finding in question.findings if findings.get(finding) is True]
    if chosen:
        return ",".join(chosen) if question.kind == "checklist" else chosen[0]
    if question.offers_none and all(findings.get(finding) is False for finding in question.findings):
        return NONE_OPTION
    return UNKNOWN_REPLY


@dataclass(frozen=True)
class Transcript:
    """One simulated interview: each question with its reply and the level after it, and the end."""

    turns: tuple[tuple[Question, str, TriageLevel], ...]
    stopped: StopReason
    state: InterviewState
    initial_level: TriageLevel

    @property
    def questions(self) -> int:
        return len(self.turns)

    def first_reaching(self, level: TriageLevel) -> int | None:
        """Number of the question after which the level first reached `level` (0: before any), or None."""
        if self.initial_level.rank >= level.rank:
            return 0
        for number, (_, _, reached) in enumerate(self.turns, start=1):
            if reached.rank >= level.rank:
                return number
        return None


def simulate(
    model: CompiledModel,
    findings: dict[str, bool | None],
    age: int | None = None,
    sex: Sex | None = None,
    policy: InterviewPolicy | None = None,
) -> Transcript:
    """Interview a simulated patient who answers from `findings` and does not know anything else."""
    state = InterviewState(age=age, sex=sex)
    turns: list[tuple[Question, str, TriageLevel]] = []
    initial = plan_next(model, state, policy).level
    while True:
        current = plan_next(model, state, policy)
        if turns:
            question, reply, _ = turns[-1]
            turns[-1] = (question, reply, current.level)
        if current.question is None:
            assert current.stopped is not None
            return Transcript(tuple(turns), current.stopped, state, initial)
        reply = patient_reply(current.question, findings)
        state = answer(state, current.question, reply)
        turns.append((current.question, reply, current.level))


def what_the_patient_knows(model: CompiledModel, findings: Mapping[str, bool | None]) -> dict[str, bool | None]:
    """The findings with what they imply: whoever knows the specific answer knows the general one.

    A person told of an aneurysm on a scan answers "yes" when asked whether they have been told of
    one; a person with no pain anywhere in a leg answers "no" to pain below the knee. The same
    implications complete an assessment's evidence (`CompiledModel.check_evidence`).
    """
    present = frozenset(f for f, value in findings.items() if value is True)
    absent = frozenset(f for f, value in findings.items() if value is False) - present
    present, absent = model.implications(present, absent)
    known: dict[str, bool | None] = dict(findings)
    known.update({finding: True for finding in present})
    known.update({finding: False for finding in absent})
    return known


def run_interview_mode(model: CompiledModel, vignette: Vignette) -> CaseOutcome:
    """`eval --mode interview`: the vignette's findings answer the engine's questions."""
    known = {f: v for f, v in vignette.findings.items() if f in model.finding_index}
    ignored = tuple(sorted(f for f in vignette.findings if f not in model.finding_index))
    transcript = simulate(model, what_the_patient_knows(model, known), vignette.age, vignette.sex)
    assessment = result(model, transcript.state, max_conditions=len(model.condition_ids), screen_floor=False)
    return CaseOutcome(assessment, questions=transcript.questions, ignored_findings=ignored)


register_mode("interview", run_interview_mode)


__all__ = [
    "Progress",
    "Transcript",
    "answer",
    "open_part",
    "patient_reply",
    "progress",
    "reply_to",
    "result",
    "run_interview_mode",
    "simulate",
    "start",
    "state_from_evidence",
    "step",
    "take_back_findings",
    "what_the_patient_knows",
]
