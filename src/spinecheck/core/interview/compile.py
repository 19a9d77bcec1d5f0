"""The interview's questions compiled once per model and policy: everything that does not depend on the answers.

The questions (yes / no findings, choices over an exclusive group, checklists, scales), every
possible reply to each as a change of finding states (an "outcome"), the likelihood of each
outcome under each condition, the red-flag screen order, and the rules that say when a
question may be asked or a red-flag "yes" followed up, compiled with the one rule evaluator
(`spinecheck.core.logic.RuleSet`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spinecheck.core.interview.policy import NO, NONE_OPTION, UNKNOWN_REPLY, YES, InterviewError, interview_policy
from spinecheck.core.interview.state import InterviewState, Option, Question
from spinecheck.core.kb.interview import InterviewPolicy
from spinecheck.core.kb.loader import KnowledgeBaseError, interview_policy_problems
from spinecheck.core.kb.schema import (
    AgeAtLeast,
    AgeBelow,
    AllOf,
    AnyOf,
    AtLeast,
    Expression,
    Not,
    RedFlagRule,
    SexIs,
    expression_findings,
)
from spinecheck.core.logic import FALSE, TRUE, Cases, RuleSet
from spinecheck.core.model import CompiledModel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class QuestionPlan:
    """Everything about the questions that does not depend on the answers."""

    policy: InterviewPolicy
    questions: tuple[Question, ...]
    question_of: dict[str, int]
    question_size: IntArray
    checklist: BoolArray
    # Checklists of test results (no "none of these"): asked for their value alone, never to screen or to
    # follow a "yes" up, since most people have had no such test
    told_results: BoolArray
    opening: tuple[int, ...]
    # `ask_only_when` conditions, and the question each one is about
    ask_rules: RuleSet
    ask_questions: IntArray
    screen_rank: IntArray
    outcome_question: IntArray
    outcome_negative: BoolArray
    # How much of an outcome's probability a person is expected to reply at all: 1, or for a tick on a
    # results checklist the chance of having been told a result (the rest is "don't know").
    outcome_weight: FloatArray
    outcome_likelihood: FloatArray
    assign_outcome: IntArray
    assign_column: IntArray
    assign_value: npt.NDArray[np.int8]
    condition_rank: npt.NDArray[np.int8]
    # Screen-level red-flag rules, and per rule (the screen-checklist findings it reads, all the findings it reads)
    screen_rules: RuleSet
    screen_rule_findings: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    # The same for the rules from `open_rule_min_level` up to the screen level, reading any answer
    # (followed up to `escalation_follow_up_depth` while the level is below theirs)
    escalation_rules: RuleSet
    escalation_rule_findings: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]



_PLAN_CACHE_SIZE = 8
"""Policies other than the knowledge base's own kept compiled per model (benchmarks and tests vary them)."""


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


def _build_questions(model: CompiledModel, policy: InterviewPolicy) -> list[Question]:
    kb = model.kb
    questions: list[Question] = []
    on_checklist: set[str] = set()
    for checklist in policy.checklists:
        options = (
            *(Option(id=item.finding, label=item.text) for item in checklist.items),
            *(() if checklist.results else (Option(id=NONE_OPTION, label=policy.none_option),)),
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
        if finding.clinician_only or finding.silence_about is not None or finding_id in on_checklist:
            continue  # a silence is what a text leaves out, never a question
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


def compiled(model: CompiledModel, policy: InterviewPolicy | None = None) -> QuestionPlan:
    """The interview for this model and policy (the knowledge base's own when None), compiled once per model."""
    plans: dict[str | None, QuestionPlan] = model.memo.setdefault("interview.plans", {})
    if None not in plans:
        plans[None] = _build_plan(model, interview_policy(model))
    if policy is None or policy == plans[None].policy:
        return plans[None]
    # a policy holds expressions with lists, so it cannot be a key itself
    key = policy.model_dump_json()
    if key not in plans:
        if len(plans) > _PLAN_CACHE_SIZE:
            for other in [other for other in plans if other is not None]:
                del plans[other]
        plans[key] = _build_plan(model, policy)
    return plans[key]


def _build_plan(model: CompiledModel, policy: InterviewPolicy) -> QuestionPlan:
    problems = interview_policy_problems(policy, model.kb.findings, model.kb.sources)
    if problems:
        raise KnowledgeBaseError(problems)
    questions = _build_questions(model, policy)
    question_of = {finding: index for index, question in enumerate(questions) for finding in question.findings}
    screen = _screen_order(model, policy, question_of)
    on_screen = {f for q in questions if q.kind == "checklist" and q.screen for f in q.findings}
    screen_rank = np.full(len(questions), -1, dtype=np.intp)
    screen_rank[screen] = np.arange(len(screen))

    # Every possible answer that changes the evidence ("don't know" does not): a yes and a no per
    # finding, one option per member of a choice plus "none of these". A results checklist has no
    # "none of these": its last outcome, nothing ticked, keeps its probability but changes nothing.
    outcome_question: list[int] = []
    outcome_negative: list[bool] = []
    outcome_weight: list[float] = []
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
        told = _asks_results(question)
        for values in choices:
            outcome = len(outcome_question)
            outcome_question.append(index)
            nothing = all(value == FALSE for _, value in values)
            outcome_negative.append(nothing)
            outcome_weight.append(policy.results_known_probability if told and not nothing else 1.0)
            if not (told and nothing):  # nothing ticked on a results checklist tells nothing
                assignments.extend((outcome, column, value) for column, value in values)
            total = np.zeros(len(model.condition_ids))
            for column, value in values:
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

    urgencies = [model.kb.conditions[c].urgency for c in model.condition_ids]
    asked_when = [
        (index, rule.when)
        for rule in policy.ask_only_when
        for index, q in enumerate(questions) if q.id == rule.question
    ]
    screen_level = [rule for rule in model.kb.red_flags if rule.level.rank >= policy.screen_min_level.rank]
    escalation_level = [
        rule for rule in model.kb.red_flags
        if policy.open_rule_min_level.rank <= rule.level.rank < policy.screen_min_level.rank
    ]

    def findings_read(
        rules: list[RedFlagRule], yes_counted_from: Set[str] | None
    ) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        """Per rule: the findings whose "yes" starts its follow-up (those of `yes_counted_from`, or
        all when None), and all the findings it reads."""
        return tuple(
            (tuple(sorted(f for f in expression_findings(rule.when)
                          if yes_counted_from is None or f in yes_counted_from)),
             tuple(sorted(expression_findings(rule.when))))
            for rule in rules
        )

    return QuestionPlan(
        policy=policy,
        questions=tuple(questions),
        question_of=question_of,
        question_size=np.array([len(q.findings) for q in questions], dtype=np.intp),
        checklist=np.array([q.kind == "checklist" for q in questions], dtype=bool),
        told_results=np.array([_asks_results(q) for q in questions], dtype=bool),
        opening=(
            *(index for question_id in policy.opening for index, q in enumerate(questions) if q.id == question_id),
            *(i for i, q in enumerate(questions) if q.kind == "checklist" and q.screen),
        ),
        ask_rules=RuleSet([when for _, when in asked_when], model.finding_index),
        ask_questions=np.array([index for index, _ in asked_when], dtype=np.intp),
        screen_rank=screen_rank,
        outcome_question=outcome_q,
        outcome_negative=np.array(outcome_negative, dtype=bool),
        outcome_weight=np.array(outcome_weight),
        outcome_likelihood=likelihood,
        assign_outcome=assign[:, 0],
        assign_column=assign[:, 1],
        assign_value=assign[:, 2].astype(np.int8),
        condition_rank=np.array([u.rank for u in urgencies], dtype=np.int8),
        screen_rules=RuleSet([rule.when for rule in screen_level], model.finding_index),
        screen_rule_findings=findings_read(screen_level, on_screen),
        escalation_rules=RuleSet([rule.when for rule in escalation_level], model.finding_index),
        escalation_rule_findings=findings_read(escalation_level, None),
    )


def _asks_results(question: Question) -> bool:
    """Whether a question is a checklist of test results: a checklist without "none of these"."""
    return question.kind == "checklist" and not question.offers_none


def answered(plan: QuestionPlan, state: InterviewState) -> npt.NDArray[np.bool_]:
    """Which questions are answered: a checklist once every item is, any other once any finding is."""
    count = np.zeros(len(plan.questions), dtype=np.intp)
    for finding in state.answers:
        index = plan.question_of.get(finding)
        if index is not None:
            count[index] += 1
    answered: npt.NDArray[np.bool_] = np.where(plan.checklist, count >= plan.question_size, count > 0)
    return answered


def askable(plan: QuestionPlan, now: Cases) -> BoolArray:
    """Which questions may be asked of this person (no `ask_only_when` condition of theirs is false)."""
    askable = np.ones(len(plan.questions), dtype=bool)
    if len(plan.ask_rules):
        askable[plan.ask_questions[plan.ask_rules.truth(now)[1][0]]] = False
    return askable


def still_open(question: Question, state: InterviewState) -> Question:
    """A checklist with the items already answered (for example from a description) left out."""
    if question.kind != "checklist" or not any(f in state.answers for f in question.findings):
        return question
    findings = tuple(f for f in question.findings if f not in state.answers)
    options = tuple(o for o in question.options if o.id not in state.answers)
    return question.model_copy(update={"findings": findings, "options": options})


def questions_asked(model: CompiledModel, state: InterviewState) -> int:
    """How many questions the answers so far stand for (a choice question counts once)."""
    return int(answered(compiled(model), state).sum())


def question_by_id(model: CompiledModel, question_id: str) -> Question:
    """The question with this id (a finding id, or the group id of a choice question)."""
    plan = compiled(model)
    for question in plan.questions:
        if question.id == question_id:
            return question
    raise InterviewError(f"no question '{question_id}' can be asked")


__all__ = [
    "QuestionPlan",
    "answered",
    "askable",
    "compiled",
    "question_by_id",
    "questions_asked",
    "still_open",
]
