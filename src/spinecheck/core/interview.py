"""The adaptive interview: which question to ask next, and when to stop asking.

The interview keeps no memory of its own. Its whole state is plain data — the answers so
far, age and sex — and `plan_next(model, state)` works out the next question from that
alone, so a web page or the REST API can run an interview without server sessions, and
the same state always gives the same question.

The policy (its numbers live in `knowledge/interview.yaml`):

0. **Expected replies.** A person answers "yes" when a finding is there, and "no" only with
   some probability when it is not; otherwise "don't know", which brings nothing. Questions
   are chosen on the differential with the base rates flattened (rare, serious conditions
   are looked for too) and with each "don't know" taken as weak evidence of absence, so the
   next questions move to other ground. The result itself uses the answers only.
1. **Red-flag screen.** The first `screen_size` questions ask about findings whose "yes"
   would, given the answers so far, raise the level to the screen level; later questions
   keep screening while some answer is likely enough (`screen_floor`) to raise it there or,
   counted less, to the escalation level on the way. The likeliest rise is asked first.
2. **Expected value.** Then the question whose answer is worth most: how far its expected
   replies move the differential (divergence, in bits), plus a bonus for how far they are
   expected to move the triage level (up counts more than down). Both come from the engine
   itself: for every possible answer to every open question the posterior and the triage
   level are computed in one batch.
3. **Stop** at once when the level is `emergency`; when the triage level is settled (on the
   evidence as it stands, no single open question changes it, or raises it to the escalation
   level, with more than a small probability) and the leading condition is clear (or nothing
   more is to be learned); or at the maximum.

Findings marked `clinician_only` are never asked. Findings sharing an `exclusive_group` are
asked as one choice question. "Don't know" is always an allowed answer; it counts as
asked and leaves the finding unknown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from spinecheck.core.inference import normalise
from spinecheck.core.kb.loader import DEFAULT_ROOT, KnowledgeBaseError, KnowledgeBaseProblem
from spinecheck.core.kb.schema import (
    AgeAtLeast,
    AgeBelow,
    AllOf,
    AnyOf,
    AtLeast,
    Expression,
    Identifier,
    Not,
    SexIs,
    expression_findings,
)
from spinecheck.core.logic import FALSE, SEX_CODES, TRUE, UNKNOWN, Case, evaluate, evaluate_batch
from spinecheck.core.model import CompiledModel, Evidence, Sex
from spinecheck.core.triage import decide, red_flag_answers, review_red_flags
from spinecheck.core.triage_levels import TriageLevel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Int8Array = npt.NDArray[np.int8]

POLICY_FILE = "interview.yaml"
Reply = Literal["yes", "no", "unknown"]
YES: Reply = "yes"
NO: Reply = "no"
UNKNOWN_REPLY: Reply = "unknown"
NONE_OPTION = "none"


class InterviewError(ValueError):
    """A reply or a question the interview cannot accept; the message says why."""


# ---------------------------------------------------------------------------
# The policy, as knowledge-base data
# ---------------------------------------------------------------------------


class ChecklistItem(BaseModel):
    """One line of a checklist: the finding it stands for, in a person's words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    finding: Identifier
    text: str = Field(min_length=1, max_length=160)


class Checklist(BaseModel):
    """Several findings put as one question: "which of these do you have?" (tick all that apply).

    Ticked items are "yes"; "none of these" makes every item "no"; items left unticked beside a
    ticked one stay unknown, because a person may have missed them (or are "no" where the
    checklist says so). Screen checklists open the interview, in the order they are written.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    text: str = Field(min_length=1, max_length=200)
    screen: bool = False
    # What an unticked item beside a ticked one means: "unknown" (it may have been missed) or, where
    # a person surely knows (where it hurts), "no".
    unticked: Literal["unknown", "no"] = "unknown"
    items: tuple[ChecklistItem, ...] = Field(min_length=2, max_length=20)


class Scale(BaseModel):
    """A number on a scale that answers one finding: "how bad is the pain, from 0 to 10?" gives
    `finding` present from `present_from` up and absent below it (the cut-off of its own definition)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    text: str = Field(min_length=1, max_length=200)
    finding: Identifier
    lowest: int = Field(default=0, ge=0, le=100)
    highest: int = Field(default=10, ge=1, le=100)
    present_from: int

    @model_validator(mode="after")
    def _cut_off_inside(self) -> Scale:
        if not self.lowest < self.present_from <= self.highest:
            raise ValueError("present_from must lie above lowest and at most highest")
        if self.highest - self.lowest > 20:
            raise ValueError("a scale has at most 21 points")
        return self


class AskOnlyWhen(BaseModel):
    """A question that is asked only while `when` is not false for the person."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Identifier
    when: Expression


class InterviewPolicy(BaseModel):
    """The interview's tunable numbers (`knowledge/interview.yaml`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    source: Identifier
    max_questions: int = Field(ge=1, le=200)
    screen_size: int = Field(ge=0, le=50)
    screen_min_level: TriageLevel = TriageLevel.EMERGENCY
    triage_weight: float = Field(ge=0.0)
    upward_factor: float = Field(ge=1.0)
    level_change_floor: float = Field(ge=0.0, le=1.0)
    leader_probability: float = Field(gt=0.0, le=1.0)
    leader_change_floor: float = Field(default=1.0, ge=0.0, le=1.0)
    min_information_gain: float = Field(ge=0.0)
    no_answer_probability: float = Field(default=1.0, gt=0.0, le=1.0)
    dont_know_weight: float = Field(default=0.0, ge=0.0, le=1.0)
    prior_flattening: float = Field(default=0.0, ge=0.0, le=1.0)
    screen_escalation_weight: float = Field(default=0.0, ge=0.0)
    urgency_tilt: float = Field(default=0.0, ge=0.0, le=5.0)
    screen_floor: float = Field(default=0.0, ge=0.0, le=1.0)
    follow_up_depth: int = Field(default=0, ge=0, le=5)
    open_rule_floor: float = Field(default=1.0, ge=0.0, le=1.0)
    open_rule_min_level: TriageLevel = TriageLevel.URGENT
    choice_prompt: str = Field(min_length=1, max_length=200)
    none_option: str = Field(min_length=1, max_length=80)
    checklists: tuple[Checklist, ...] = ()
    scales: tuple[Scale, ...] = ()
    # Questions asked first, in this order, before the warning-sign screen (the main complaint, where it
    # hurts, how bad): ids of checklists, scales, choice groups or findings.
    opening: tuple[Identifier, ...] = ()
    # A question (finding, choice group or checklist id) is not asked while its condition is false,
    # for example pregnancy questions for men; unknown age or sex leaves it askable.
    ask_only_when: tuple[AskOnlyWhen, ...] = ()


def load_interview_policy(root: Path) -> InterviewPolicy:
    """Read `interview.yaml` from a knowledge-base folder, or the packaged one when it has none."""
    path = root / POLICY_FILE
    if not path.exists():
        path = DEFAULT_ROOT / POLICY_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return InterviewPolicy.model_validate(raw)
    except (OSError, yaml.YAMLError) as error:
        raise KnowledgeBaseError([KnowledgeBaseProblem(POLICY_FILE, "", f"cannot be read: {error}")]) from None
    except ValidationError as error:
        problems = [
            KnowledgeBaseProblem(POLICY_FILE, ".".join(str(part) for part in detail["loc"]), detail["msg"])
            for detail in error.errors()
        ]
        raise KnowledgeBaseError(problems) from None


# ---------------------------------------------------------------------------
# State, questions and steps: the plain data an interface passes around
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# The plan: everything about the questions that does not depend on the answers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    policy: InterviewPolicy
    questions: tuple[Question, ...]
    question_of: dict[str, int]
    question_size: IntArray
    checklist: npt.NDArray[np.bool_]
    conditions: tuple[tuple[int, Evaluator], ...]
    opening: tuple[int, ...]
    screen_rank: IntArray
    outcome_question: IntArray
    outcome_negative: npt.NDArray[np.bool_]
    outcome_likelihood: FloatArray
    outcome_log_likelihood: FloatArray
    assign_outcome: IntArray
    assign_column: IntArray
    assign_value: npt.NDArray[np.int8]
    condition_threshold: FloatArray
    condition_rank: npt.NDArray[np.int8]
    rules: tuple[tuple[Evaluator, int, npt.NDArray[np.bool_]], ...]
    # Screen-level rules with the screen-checklist findings they read.
    screen_rules: tuple[tuple[Expression, tuple[str, ...]], ...]
    modifiers: tuple[tuple[Evaluator, int, float, npt.NDArray[np.bool_]], ...]
    log_present_t: FloatArray
    log_absent_t: FloatArray


# Plans per model, keyed by the policy's JSON (None: the knowledge base's own policy); a policy
# holds expressions with lists, so it cannot be a key itself.
_PLANS: dict[int, tuple[CompiledModel, dict[str | None, _Plan]]] = {}
_PLAN_CACHE_SIZE = 8


def _ordered_findings(expr: Expression) -> Iterator[str]:
    """The findings an expression names, in the order they are written."""
    if isinstance(expr, str):
        yield expr
    elif isinstance(expr, AllOf):
        for part in expr.all:
            yield from _ordered_findings(part)
    elif isinstance(expr, AnyOf):
        for part in expr.any:
            yield from _ordered_findings(part)
    elif isinstance(expr, AtLeast):
        for part in expr.of:
            yield from _ordered_findings(part)
    elif isinstance(expr, Not):
        yield from _ordered_findings(expr.not_)
    elif isinstance(expr, AgeAtLeast | AgeBelow | SexIs):
        return


Evaluator = Callable[[Int8Array, FloatArray, Int8Array], Int8Array]


def compile_expression(expr: Expression, finding_index: Mapping[str, int]) -> Evaluator:
    """A batch evaluator equal to `logic.evaluate_batch(expr, ...)`, with runs of plain findings fused.

    `any` / `all` over plain findings become one max / min over their columns, so a rule over
    twenty findings costs one array operation instead of twenty. Everything else is passed to
    `evaluate_batch` unchanged.
    """
    if isinstance(expr, str):
        column = finding_index[expr]
        return lambda states, age, sex: states[:, column]
    if isinstance(expr, AnyOf | AllOf):
        parts: list[Expression] = list(expr.any if isinstance(expr, AnyOf) else expr.all)
        reduce = np.maximum if isinstance(expr, AnyOf) else np.minimum
        columns = np.array([finding_index[part] for part in parts if isinstance(part, str)], dtype=np.intp)
        others = [compile_expression(part, finding_index) for part in parts if not isinstance(part, str)]

        def combined(states: Int8Array, age: FloatArray, sex: Int8Array) -> Int8Array:
            values = [evaluator(states, age, sex) for evaluator in others]
            if columns.size:
                block = states[:, columns]
                values.append(block.max(axis=1) if reduce is np.maximum else block.min(axis=1))
            result = values[0]
            for value in values[1:]:
                result = reduce(result, value)
            return result

        return combined
    if isinstance(expr, Not):
        inner = compile_expression(expr.not_, finding_index)
        return lambda states, age, sex: (-inner(states, age, sex)).astype(np.int8)
    if not expression_findings(expr):
        # Age and sex are the same on every row of one interview's batch, and take few values.
        known: dict[tuple[float, int], int] = {}

        def demographic(states: Int8Array, age: FloatArray, sex: Int8Array) -> Int8Array:
            key = (float(age[0]), int(sex[0]))
            if key not in known:
                if len(known) > 512:
                    known.clear()
                known[key] = int(evaluate_batch(expr, states[:1], finding_index, age[:1], sex[:1])[0])
            return np.full(states.shape[0], known[key], dtype=np.int8)

        return demographic
    return lambda states, age, sex: evaluate_batch(expr, states, finding_index, age, sex)


def _policy_problems(model: CompiledModel, policy: InterviewPolicy) -> list[KnowledgeBaseProblem]:
    """What the policy names wrongly: unknown questions or findings in `ask_only_when`; checklist items that
    are unknown, clinician-only, grouped or repeated; checklist ids that clash with other questions."""
    problems: list[KnowledgeBaseProblem] = []
    taken: dict[str, str] = {}
    names = set(model.finding_index) | set(model.exclusive_groups)
    asked_ids = names | {checklist.id for checklist in policy.checklists} | {scale.id for scale in policy.scales}
    for number, rule in enumerate(policy.ask_only_when):
        if rule.question not in asked_ids:
            problems.append(KnowledgeBaseProblem(
                POLICY_FILE, f"ask_only_when.{number}.question", f"unknown question '{rule.question}'"
            ))
        for finding in sorted(expression_findings(rule.when) - model.finding_index.keys()):
            problems.append(
                KnowledgeBaseProblem(POLICY_FILE, f"ask_only_when.{number}.when", f"unknown finding '{finding}'")
            )
    taken.update({scale.finding: scale.id for scale in policy.scales})
    for number, scale in enumerate(policy.scales):
        where = f"scales.{number}"
        if scale.id in names:
            problems.append(KnowledgeBaseProblem(POLICY_FILE, f"{where}.id", f"'{scale.id}' is already a question id"))
        names.add(scale.id)
        known_finding = model.kb.findings.get(scale.finding)
        if known_finding is None:
            problems.append(KnowledgeBaseProblem(POLICY_FILE, f"{where}.finding", f"unknown finding '{scale.finding}'"))
        elif known_finding.clinician_only or known_finding.exclusive_group is not None:
            problems.append(KnowledgeBaseProblem(
                POLICY_FILE, f"{where}.finding", f"'{scale.finding}' cannot be asked on a scale"
            ))
    for number, checklist in enumerate(policy.checklists):
        where = f"checklists.{number}"
        if checklist.id in names:
            problems.append(
                KnowledgeBaseProblem(POLICY_FILE, f"{where}.id", f"'{checklist.id}' is already a question id")
            )
        names.add(checklist.id)
        for position, item in enumerate(checklist.items):
            place = f"{where}.items.{position}.finding"
            known = model.kb.findings.get(item.finding)
            if known is None:
                problems.append(KnowledgeBaseProblem(POLICY_FILE, place, f"unknown finding '{item.finding}'"))
            elif known.clinician_only:
                problems.append(KnowledgeBaseProblem(POLICY_FILE, place, f"'{item.finding}' is for clinicians only"))
            elif known.exclusive_group is not None:
                problems.append(KnowledgeBaseProblem(
                    POLICY_FILE, place, f"'{item.finding}' is asked as the choice '{known.exclusive_group}'"
                ))
            elif item.finding in taken:
                problems.append(KnowledgeBaseProblem(
                    POLICY_FILE, place, f"'{item.finding}' is already on the checklist '{taken[item.finding]}'"
                ))
            taken[item.finding] = checklist.id
    for number, question_id in enumerate(policy.opening):
        if question_id not in names:
            problems.append(KnowledgeBaseProblem(POLICY_FILE, f"opening.{number}", f"unknown question '{question_id}'"))
    return problems


def _build_questions(model: CompiledModel, policy: InterviewPolicy) -> list[Question]:
    kb = model.kb
    problems = _policy_problems(model, policy)
    if problems:
        raise KnowledgeBaseError(problems)
    questions: list[Question] = []
    on_checklist: set[str] = set()
    for checklist in policy.checklists:
        options = (
            *(Option(id=item.finding, label=item.text) for item in checklist.items),
            Option(id=NONE_OPTION, label=policy.none_option),
            Option(id=UNKNOWN_REPLY, label="Don't know"),
        )
        findings = tuple(item.finding for item in checklist.items)
        on_checklist.update(findings)
        questions.append(Question(
            id=checklist.id, kind="checklist", text=checklist.text, options=options, findings=findings,
            screen=checklist.screen, unticked=NO if checklist.unticked == "no" else UNKNOWN_REPLY,
        ))
    for scale in policy.scales:
        on_checklist.add(scale.finding)
        questions.append(Question(
            id=scale.id, kind="scale", text=scale.text,
            options=(
                *(Option(id=str(n), label=str(n)) for n in range(scale.lowest, scale.highest + 1)),
                Option(id=UNKNOWN_REPLY, label="Don't know"),
            ),
            findings=(scale.finding,), present_from=scale.present_from,
        ))
    seen_groups: set[str] = set()
    answer_options = (
        Option(id=YES, label="Yes"), Option(id=NO, label="No"), Option(id=UNKNOWN_REPLY, label="Don't know")
    )
    for finding_id in model.finding_ids:
        finding = kb.findings[finding_id]
        if finding.clinician_only or finding_id in on_checklist:
            continue
        group = finding.exclusive_group
        if group is None:
            questions.append(Question(
                id=finding_id, kind="boolean", text=finding.question, options=answer_options, findings=(finding_id,)
            ))
            continue
        if group in seen_groups:
            continue
        seen_groups.add(group)
        members = tuple(m for m in model.exclusive_groups[group] if not kb.findings[m].clinician_only)
        options = (
            *(Option(id=m, label=kb.findings[m].label) for m in members),
            Option(id=NONE_OPTION, label=policy.none_option),
            Option(id=UNKNOWN_REPLY, label="Don't know"),
        )
        questions.append(Question(
            id=group, kind="choice", text=policy.choice_prompt, options=options, findings=members
        ))
    return questions


def _screen_order(model: CompiledModel, policy: InterviewPolicy, question_of: Mapping[str, int]) -> list[int]:
    """Questions about findings of red-flag rules at the screen level or above, most urgent rules first.

    The screen asks among these in this order when their value is equal."""
    rules = [rule for rule in model.kb.red_flags if rule.level.rank >= policy.screen_min_level.rank]
    rules.sort(key=lambda rule: -rule.level.rank)
    order: list[int] = []
    for rule in rules:
        for finding in _ordered_findings(rule.when):
            index = question_of.get(finding)
            if index is not None and index not in order:
                order.append(index)
    return order


def _plan(model: CompiledModel, policy: InterviewPolicy | None) -> _Plan:
    """The plan for this model and policy (the knowledge base's own policy when None), built once."""
    entry = _PLANS.get(id(model))
    if entry is None or entry[0] is not model:
        if len(_PLANS) >= _PLAN_CACHE_SIZE:
            _PLANS.pop(next(iter(_PLANS)))
        entry = (model, {})
        _PLANS[id(model)] = entry
    plans = entry[1]
    if None not in plans:
        plans[None] = _build_plan(model, load_interview_policy(model.kb.root))
    if policy is None or policy == plans[None].policy:
        return plans[None]
    key = policy.model_dump_json()
    if key not in plans:
        if len(plans) > _PLAN_CACHE_SIZE:
            plans.clear()
            return _plan(model, policy)
        plans[key] = _build_plan(model, policy)
    return plans[key]


def _build_plan(model: CompiledModel, policy: InterviewPolicy) -> _Plan:
    if policy.source not in model.kb.sources:
        raise KnowledgeBaseError([KnowledgeBaseProblem(POLICY_FILE, "source", f"unknown source '{policy.source}'")])
    questions = _build_questions(model, policy)
    question_of = {finding: index for index, question in enumerate(questions) for finding in question.findings}
    screen = _screen_order(model, policy, question_of)
    on_screen = {f for q in questions if q.kind == "checklist" and q.screen for f in q.findings}
    screen_rank = np.full(len(questions), -1, dtype=np.intp)
    screen_rank[screen] = np.arange(len(screen))

    # Every possible answer that changes the evidence ("don't know" does not): a yes and a no per
    # finding, one option per member of a choice plus "none of these".
    outcome_question: list[int] = []
    outcome_negative: list[bool] = []
    assignments: list[tuple[int, int, int]] = []
    log_likelihood: list[FloatArray] = []
    for index, question in enumerate(questions):
        columns = [model.finding_index[f] for f in question.findings]
        choices: list[list[tuple[int, int]]]
        if question.kind in ("boolean", "scale"):
            choices = [[(columns[0], TRUE)], [(columns[0], FALSE)]]
        elif question.kind == "choice" or question.unticked == NO:
            # A choice, and a checklist whose unticked items mean "no": one item yes, the rest no.
            choices = [[(c, TRUE if c == ticked else FALSE) for c in columns] for ticked in columns]
        else:
            # Any other checklist's replies are planned as one item ticked (the others left unknown) or none.
            choices = [[(c, TRUE)] for c in columns]
        if question.kind not in ("boolean", "scale"):
            choices.append([(c, FALSE) for c in columns])
        for values in choices:
            outcome = len(outcome_question)
            outcome_question.append(index)
            outcome_negative.append(all(value == FALSE for _, value in values))
            total = np.zeros(len(model.condition_ids))
            for column, value in values:
                assignments.append((outcome, column, value))
                total += model.log_present[:, column] if value == TRUE else model.log_absent[:, column]
            log_likelihood.append(total)
    outcome_q = np.array(outcome_question, dtype=np.intp)
    outcome_log = np.array(log_likelihood).reshape(len(outcome_question), len(model.condition_ids))
    likelihood = np.exp(outcome_log)
    # Within one question the answers' probabilities sum to one for every condition.
    sums = np.zeros((len(questions), likelihood.shape[1]))
    np.add.at(sums, outcome_q, likelihood)
    likelihood = likelihood / sums[outcome_q]
    assign = np.array(assignments, dtype=np.intp).reshape(-1, 3)

    def touches(expr: Expression) -> npt.NDArray[np.bool_]:
        """Which outcomes set a finding this expression reads (only those can change its value)."""
        columns = np.array(sorted(model.finding_index[f] for f in expression_findings(expr)), dtype=np.intp)
        hit = np.zeros(outcome_q.size, dtype=bool)
        hit[assign[np.isin(assign[:, 1], columns), 0]] = True
        return hit

    thresholds = model.kb.policy.thresholds
    urgencies = [model.kb.conditions[c].urgency for c in model.condition_ids]
    return _Plan(
        policy=policy,
        questions=tuple(questions),
        question_of=question_of,
        question_size=np.array([len(q.findings) for q in questions], dtype=np.intp),
        checklist=np.array([q.kind == "checklist" for q in questions], dtype=bool),
        opening=(
            *(index for question_id in policy.opening for index, q in enumerate(questions) if q.id == question_id),
            *(i for i, q in enumerate(questions) if q.kind == "checklist" and q.screen),
        ),
        conditions=tuple(
            (index, compile_expression(rule.when, model.finding_index))
            for rule in policy.ask_only_when
            for index, q in enumerate(questions) if q.id == rule.question
        ),
        screen_rank=screen_rank,
        outcome_question=outcome_q,
        outcome_negative=np.array(outcome_negative, dtype=bool),
        outcome_likelihood=likelihood,
        outcome_log_likelihood=outcome_log,
        assign_outcome=assign[:, 0],
        assign_column=assign[:, 1],
        assign_value=assign[:, 2].astype(np.int8),
        condition_threshold=np.array([thresholds.get(u, np.inf) for u in urgencies], dtype=np.float64),
        condition_rank=np.array([u.rank for u in urgencies], dtype=np.int8),
        screen_rules=tuple(
            (rule.when, tuple(sorted(f for f in expression_findings(rule.when) if f in on_screen)))
            for rule in model.kb.red_flags
            if rule.level.rank >= policy.screen_min_level.rank
        ),
        rules=tuple(
            (compile_expression(rule.when, model.finding_index), rule.level.rank, touches(rule.when))
            for rule in model.kb.red_flags
        ),
        modifiers=tuple(
            (compile_expression(term.when, model.finding_index), term.condition, term.log_multiplier,
             touches(term.when))
            for term in model.modifiers
        ),
        log_present_t=np.ascontiguousarray(model.log_present.T),
        log_absent_t=np.ascontiguousarray(model.log_absent.T),
    )


def interview_policy(model: CompiledModel) -> InterviewPolicy:
    """The policy the interview uses with this model."""
    return _plan(model, None).policy


# ---------------------------------------------------------------------------
# Reading a state
# ---------------------------------------------------------------------------


def state_evidence(model: CompiledModel, state: InterviewState) -> Evidence:
    """The answers as evidence ("don't know" leaves a finding unknown); unknown ids are an error."""
    unknown = frozenset(state.answers) - model.finding_index.keys()
    if unknown:
        model.check_evidence(Evidence(present=unknown))  # raises, naming the ids and close matches
    present = frozenset(f for f, reply in state.answers.items() if reply == YES)
    absent = frozenset(f for f, reply in state.answers.items() if reply == NO)
    return model.check_evidence(Evidence(present=present, absent=absent, age=state.age, sex=state.sex))


def _answered(plan: _Plan, state: InterviewState) -> npt.NDArray[np.bool_]:
    """Which questions are answered: a checklist once every item is, any other once any finding is."""
    count = np.zeros(len(plan.questions), dtype=np.intp)
    for finding in state.answers:
        index = plan.question_of.get(finding)
        if index is not None:
            count[index] += 1
    answered: npt.NDArray[np.bool_] = np.where(plan.checklist, count >= plan.question_size, count > 0)
    return answered


def _askable(plan: _Plan, base: Int8Array, age: FloatArray, sex: Int8Array) -> npt.NDArray[np.bool_]:
    """Which questions may be asked of this person (`ask_only_when` is not false for them).

    `base` is the state vector as a one-row matrix, `age` and `sex` one-element arrays.
    """
    askable = np.ones(len(plan.questions), dtype=bool)
    for index, condition in plan.conditions:
        askable[index] = condition(base, age, sex)[0] != FALSE
    return askable


def _yes_needed(expr: Expression, case: Case) -> float:
    """How many more "yes" answers would make `expr` true at the least (inf: it cannot be any more).

    A finding not yet answered counts one; a part that needs a "no" or an unknown age or sex
    counts one too.
    """
    if isinstance(expr, str):
        state = case.states.get(expr, UNKNOWN)
        return 0.0 if state == TRUE else math.inf if state == FALSE else 1.0
    if isinstance(expr, AllOf):
        return sum(_yes_needed(part, case) for part in expr.all)
    if isinstance(expr, AnyOf):
        return min(_yes_needed(part, case) for part in expr.any)
    if isinstance(expr, AtLeast):
        return sum(sorted(_yes_needed(part, case) for part in expr.of)[: expr.at_least])
    value = evaluate(expr, case)
    return 0.0 if value == TRUE else math.inf if value == FALSE else 1.0


def _follow_ups(model: CompiledModel, plan: _Plan, state: InterviewState, evidence: Evidence) -> list[int]:
    """Open questions that follow up a "yes" on the red-flag screen.

    A screen-level rule that reads such a "yes" and is at most `follow_up_depth` further "yes"
    answers from firing makes every question asking one of those missing findings a follow-up.
    """
    case = evidence.case()
    depth = plan.policy.follow_up_depth
    questions: set[int] = set()
    for expr, screen_findings in plan.screen_rules:
        if not any(state.answers.get(f) == YES for f in screen_findings):
            continue
        needed = _yes_needed(expr, case)
        if needed == 0.0 or needed > depth:
            continue
        for finding in expression_findings(expr):
            if finding in state.answers or finding not in plan.question_of:
                continue
            forced = Case(states={**case.states, finding: TRUE}, age=case.age, sex=case.sex)
            if _yes_needed(expr, forced) < needed:
                questions.add(plan.question_of[finding])
    return sorted(questions)


def _still_open(question: Question, state: InterviewState) -> Question:
    """A checklist with the items already answered (for example from a description) left out."""
    if question.kind != "checklist" or not any(f in state.answers for f in question.findings):
        return question
    findings = tuple(f for f in question.findings if f not in state.answers)
    options = tuple(o for o in question.options if o.id not in state.answers)
    return question.model_copy(update={"findings": findings, "options": options})


def questions_asked(model: CompiledModel, state: InterviewState) -> int:
    """How many questions the answers so far stand for (a choice question counts once)."""
    return int(_answered(_plan(model, None), state).sum())


def question_by_id(model: CompiledModel, question_id: str) -> Question:
    """The question with this id (a finding id, or the group id of a choice question)."""
    plan = _plan(model, None)
    for question in plan.questions:
        if question.id == question_id:
            return question
    raise InterviewError(f"no question '{question_id}' can be asked")


# ---------------------------------------------------------------------------
# Choosing the next question
# ---------------------------------------------------------------------------


def _entropy(probabilities: FloatArray) -> FloatArray:
    safe = np.clip(probabilities, 1e-300, 1.0)
    entropy: FloatArray = -(probabilities * np.log2(safe)).sum(axis=-1)
    return entropy


def _posteriors(
    model: CompiledModel,
    plan: _Plan,
    states: Int8Array,
    outcomes: IntArray,
    outcome_log: FloatArray,
    age: FloatArray,
    sex: Int8Array,
) -> FloatArray:
    """Posterior per row (row 0 the state as it is, row i + 1 with outcome `outcomes[i]` added).

    Equal to `inference.score_batch`: the open findings are unknown in row 0, so each further
    row adds its outcome's log-likelihood to row 0's scores; a prior modifier is re-evaluated
    only on the rows whose answer sets a finding it reads.
    """
    base = states[:1]
    base_scores = (base == TRUE).astype(np.float64) @ plan.log_present_t
    base_scores += (base == FALSE).astype(np.float64) @ plan.log_absent_t
    base_scores += model.log_prior
    scores = np.concatenate([base_scores, base_scores + outcome_log])
    for evaluator, condition, log_multiplier, touched in plan.modifiers:
        rows = np.concatenate([[0], 1 + np.flatnonzero(touched[outcomes])])
        hits = evaluator(states[rows], age[rows], sex[rows]) == TRUE
        if hits[0]:
            scores[:, condition] += log_multiplier
        scores[rows, condition] += np.where(hits, log_multiplier, 0.0) - (log_multiplier if hits[0] else 0.0)
    return normalise(scores, model.leak)


def _levels(
    plan: _Plan, states: Int8Array, outcomes: IntArray, probabilities: FloatArray, age: FloatArray, sex: Int8Array
) -> Int8Array:
    """Triage rank per row from the red-flag rules and the condition floors (no set-aside pass).

    A rule is evaluated on row 0 and on the rows whose answer sets a finding it reads; every
    other row keeps row 0's value.
    """
    level = np.zeros(states.shape[0], dtype=np.int8)
    for evaluator, rank, touched in plan.rules:
        rows = np.concatenate([[0], 1 + np.flatnonzero(touched[outcomes])])
        fired = evaluator(states[rows], age[rows], sex[rows]) == TRUE
        if fired[0]:
            level = np.maximum(level, rank).astype(np.int8)
        else:
            level[rows[fired]] = np.maximum(level[rows[fired]], rank)
    over = probabilities >= plan.condition_threshold[None, :]
    floors = np.where(over, plan.condition_rank[None, :], 0).max(axis=1, initial=0).astype(np.int8)
    return np.maximum(level, floors)


@dataclass(frozen=True)
class QuestionValues:
    """The value of every open question, as arrays aligned with `questions`."""

    level: TriageLevel
    questions: IntArray
    question_ids: tuple[str, ...]
    information_gain: FloatArray
    expected_gain: FloatArray
    level_shift: FloatArray
    change_probability: FloatArray
    screen_probability: FloatArray
    escalation_probability: FloatArray
    screen_escalation: FloatArray
    settled_gain: FloatArray
    highest_level: npt.NDArray[np.int64]
    leader_change: FloatArray
    follow_up: npt.NDArray[np.bool_]
    value: FloatArray
    leader_probability: float


def question_values(
    model: CompiledModel, state: InterviewState, policy: InterviewPolicy | None = None
) -> QuestionValues:
    """The triage level now, and the expected information gain and triage shift of every open question.

    Row 0 of one stacked matrix is the state as it is; every further row is the state with
    one possible answer to one open question added. One pass of the engine over the matrix
    gives every posterior and every triage level at once.
    """
    evidence = state_evidence(model, state)
    plan = _plan(model, policy)
    base = model.state_vector(evidence)
    age_now = np.array([np.nan if evidence.age is None else float(evidence.age)])
    sex_now = np.array([SEX_CODES.get(evidence.sex or "", 0)], dtype=np.int8)
    open_questions = np.flatnonzero(~_answered(plan, state) & _askable(plan, base[None, :], age_now, sex_now))
    local_question = np.full(len(plan.questions), -1, dtype=np.intp)
    local_question[open_questions] = np.arange(open_questions.size)
    open_outcome = local_question[plan.outcome_question] >= 0
    # A checklist may be partly answered (from a description): its answered items are not asked again.
    settled_column = np.zeros(len(model.finding_ids), dtype=bool)
    settled_column[[model.finding_index[f] for f in state.answers]] = True
    settled_assignment = settled_column[plan.assign_column]
    open_outcome[plan.assign_outcome[settled_assignment & (plan.assign_value == TRUE)]] = False
    outcomes = np.flatnonzero(open_outcome)
    row_of_outcome = np.full(plan.outcome_question.size, -1, dtype=np.intp)
    row_of_outcome[outcomes] = np.arange(1, outcomes.size + 1)

    states = np.repeat(base[None, :], outcomes.size + 1, axis=0)
    rows = row_of_outcome[plan.assign_outcome]
    keep = (rows > 0) & ~settled_assignment
    states[rows[keep], plan.assign_column[keep]] = plan.assign_value[keep]
    outcome_log = plan.outcome_log_likelihood[outcomes]
    overlap = (rows > 0) & settled_assignment
    if overlap.any():
        # "None of these" on a partly answered checklist: its answered items add no evidence again.
        columns = plan.assign_column[overlap]
        values = plan.assign_value[overlap]
        counted = np.where((values == TRUE)[:, None], plan.log_present_t[columns], plan.log_absent_t[columns])
        outcome_log = outcome_log.copy()
        np.subtract.at(outcome_log, rows[overlap] - 1, counted)

    n = states.shape[0]
    age = np.repeat(age_now, n)
    sex = np.repeat(sex_now, n)
    probabilities = _posteriors(model, plan, states, outcomes, outcome_log, age, sex)
    now = probabilities[0]

    # For choosing questions only (never for the result): the base rates are flattened, so that
    # rare conditions are looked for too, and a finding the person cannot tell about is taken
    # as somewhat less likely there, so the questions that follow it move elsewhere.
    tilt = -plan.policy.prior_flattening * model.log_prior + plan.policy.urgency_tilt * plan.condition_rank
    dont_know = [model.finding_index[f] for f, r in state.answers.items() if r == UNKNOWN_REPLY]
    if dont_know and plan.policy.dont_know_weight > 0.0:
        tilt = tilt + plan.policy.dont_know_weight * model.log_absent[:, dont_know].sum(axis=1)
    planning = normalise(np.log(np.clip(now, 1e-300, 1.0)) + tilt, 0.0)
    likelihood = plan.outcome_likelihood[outcomes]
    predictive = likelihood @ now
    planned = likelihood @ planning
    # What the person is expected to reply: a "yes" whenever the finding is there, a "no" only
    # with `no_answer_probability` when it is not; the rest of the mass is "don't know", which
    # brings nothing.
    answered_no = np.where(plan.outcome_negative[outcomes], plan.policy.no_answer_probability, 1.0)
    reply = planned * answered_no  # as planned: what choosing a question looks at
    likely = predictive * answered_no  # as the evidence stands: what stopping looks at
    groups = local_question[plan.outcome_question[outcomes]]
    entropy = _entropy(probabilities)
    size = open_questions.size
    expected_entropy = np.bincount(groups, weights=predictive * entropy[1:], minlength=size)
    gain = np.maximum(entropy[0] - expected_entropy, 0.0)
    # How far each answer would move the differential: the divergence of its posterior from the
    # present one (never negative, so an answer that opens the differential up counts too).
    safe = np.clip(probabilities, 1e-300, 1.0)
    divergence = (probabilities[1:] * (np.log2(safe[1:]) - np.log2(safe[:1]))).sum(axis=1)
    expected_gain = np.bincount(groups, weights=reply * divergence, minlength=size).astype(np.float64)
    settled_gain = np.bincount(groups, weights=likely * divergence, minlength=size).astype(np.float64)

    levels = _levels(plan, states, outcomes, probabilities, age, sex).astype(np.int64)
    level_now = TriageLevel.from_rank(int(levels[0]))
    if red_flag_answers(model, evidence) and level_now != TriageLevel.EMERGENCY:
        # Red-flag answers never lower the level (triage.decide sets them aside in turn); take its level.
        level_now = decide(model, evidence, review_red_flags(model, evidence), now).level
    if level_now.rank > levels[0]:
        # The red-flag set-aside pass raised the level; a single further answer is not taken to undo that.
        levels = np.maximum(levels, level_now.rank)
    difference = levels[1:] - level_now.rank
    shift = np.where(difference > 0, plan.policy.upward_factor * difference, -difference).astype(np.float64)
    level_shift = np.bincount(groups, weights=reply * shift, minlength=size).astype(np.float64)
    change = np.bincount(groups, weights=likely * (difference != 0), minlength=size).astype(np.float64)
    screen_rank = plan.policy.screen_min_level.rank
    reaches_screen = (levels[1:] >= screen_rank) & (difference > 0)
    screen = np.bincount(groups, weights=reply * reaches_screen, minlength=size).astype(np.float64)
    reaches_open = (levels[1:] >= plan.policy.open_rule_min_level.rank) & (difference > 0)
    open_rule = np.bincount(groups, weights=reply * reaches_open, minlength=size).astype(np.float64)
    open_now = np.bincount(groups, weights=likely * reaches_open, minlength=size).astype(np.float64)
    highest = np.zeros(size, dtype=np.int64)
    np.maximum.at(highest, groups, levels[1:])
    follow_up = np.zeros(len(plan.questions), dtype=bool)
    follow_up[_follow_ups(model, plan, state, evidence)] = True
    # How likely each question's answer is to unseat the leading condition or drop it below the
    # leader probability: a lead that one likely answer would overturn is not yet clear.
    leader = int(np.argmax(now))
    unseated = (probabilities[1:].argmax(axis=1) != leader) | (
        probabilities[1:, leader] < plan.policy.leader_probability
    )
    leader_change = np.bincount(groups, weights=likely * unseated, minlength=size).astype(np.float64)
    return QuestionValues(
        level=level_now,
        questions=open_questions,
        question_ids=tuple(plan.questions[i].id for i in open_questions),
        information_gain=gain,
        expected_gain=expected_gain,
        level_shift=level_shift,
        change_probability=change,
        screen_probability=screen,
        escalation_probability=open_now,
        screen_escalation=open_rule,
        settled_gain=settled_gain,
        highest_level=highest,
        leader_change=leader_change,
        follow_up=follow_up[open_questions],
        value=expected_gain + plan.policy.triage_weight * level_shift,
        leader_probability=float(now.max()),
    )


def plan_next(model: CompiledModel, state: InterviewState, policy: InterviewPolicy | None = None) -> InterviewStep:
    """The next question for this state, or why the interview is over.

    The state alone decides: the same answers always give the same question.
    """
    plan = _plan(model, policy)
    limit = plan.policy.max_questions
    asked = int(_answered(plan, state).sum())
    values = question_values(model, state, plan.policy)
    level = values.level

    def stop(reason: StopReason) -> InterviewStep:
        return InterviewStep(question=None, stopped=reason, asked=asked, max_questions=limit, level=level)

    def ask(index: int, screen: bool) -> InterviewStep:
        question = _still_open(plan.questions[index], state).model_copy(update={"screen": screen})
        return InterviewStep(question=question, stopped=None, asked=asked, max_questions=limit, level=level)

    if level == TriageLevel.EMERGENCY:
        return stop(StopReason.EMERGENCY)
    if asked >= limit:
        return stop(StopReason.MAX_QUESTIONS)
    if values.questions.size == 0:
        return stop(StopReason.NO_QUESTIONS_LEFT)
    screen_score = values.screen_probability + plan.policy.screen_escalation_weight * values.screen_escalation
    if values.follow_up.any():
        # Follow a red-flag "yes" up first: what could complete its rule, likeliest rise first.
        follow_up_value = screen_score + 1e-3 * values.value
        return ask(_best(follow_up_value, values.questions, values.follow_up, plan.screen_rank), True)
    open_now = set(values.questions.tolist())
    for index in plan.opening:
        if index in open_now:
            # The opening questions (the main complaint, where, how bad), then the knowledge base's own
            # red-flag screen, in their order.
            return ask(index, plan.questions[index].screen)

    if asked < plan.policy.screen_size:
        in_screen = values.screen_probability > 0.0
    else:
        in_screen = screen_score > plan.policy.screen_floor
    screening = bool(in_screen.any())
    if screening:
        # The screen asks first what is likeliest to raise the level to the screen level (or,
        # counted less, to the escalation level on the way there).
        screen_value = screen_score + 1e-3 * values.value
        choice = _best(screen_value, values.questions, in_screen, plan.screen_rank)
    else:
        triage_settled = (
            float(values.change_probability.max()) < plan.policy.level_change_floor
            and float(values.escalation_probability.max()) < plan.policy.open_rule_floor
        )
        differential_settled = (
            values.leader_probability >= plan.policy.leader_probability
            and float(values.leader_change.max()) < plan.policy.leader_change_floor
        ) or float(values.settled_gain.max()) < plan.policy.min_information_gain
        if triage_settled and differential_settled:
            return stop(StopReason.SETTLED)
        choice = _best(values.value, values.questions, np.ones_like(in_screen), plan.screen_rank)
    return ask(choice, screening)


def _best(value: FloatArray, questions: IntArray, allowed: npt.NDArray[np.bool_], screen_rank: IntArray) -> int:
    """The allowed question of greatest value; ties go to the screen order, then the question order."""
    candidates = np.flatnonzero(allowed)
    ranks = np.where(screen_rank[questions[candidates]] >= 0, screen_rank[questions[candidates]], np.iinfo(np.intp).max)
    rounded = np.round(value[candidates], 9)
    order = np.lexsort((questions[candidates], ranks, -rounded))
    return int(questions[candidates[order[0]]])


def next_question(
    model: CompiledModel, state: InterviewState, policy: InterviewPolicy | None = None
) -> Question | None:
    """The question to ask now, or None when the interview is over (see `plan_next` for why)."""
    return plan_next(model, state, policy).question


# ---------------------------------------------------------------------------
# Answering
# ---------------------------------------------------------------------------


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
    "AskOnlyWhen",
    "Checklist",
    "ChecklistItem",
    "InterviewError",
    "InterviewPolicy",
    "InterviewState",
    "InterviewStep",
    "Option",
    "Question",
    "QuestionValues",
    "Scale",
    "StopReason",
    "answer",
    "interview_policy",
    "load_interview_policy",
    "next_question",
    "plan_next",
    "question_by_id",
    "question_values",
    "questions_asked",
    "state_evidence",
    "take_back",
]
