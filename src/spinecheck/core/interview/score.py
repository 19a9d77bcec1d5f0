"""What each open question is worth: expected information gain on the differential and expected triage shift.

Row 0 of one stacked matrix of cases is the state as it is; every further row is the state
with one possible reply to one open question added. The engine's one posterior
(`inference.posteriors`) and one triage decision (`triage.triage`, the set-aside of red-flag
answers included) are computed for every row at once; the value of a question is read off
its rows, weighted by how likely each reply is.

The policy's expected replies: a person answers "yes" when a finding is there, and "no" only
with some probability when it is not; otherwise "don't know", which brings nothing. Questions
are chosen on the differential with the base rates flattened (rare, serious conditions are
looked for too) and with each "don't know" taken as weak evidence of absence, so the next
questions move to other ground. The result itself uses the answers only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spinecheck.core.inference import normalise
from spinecheck.core.interview.compile import QuestionPlan, answered, askable, compiled
from spinecheck.core.interview.policy import UNKNOWN_REPLY, YES
from spinecheck.core.interview.state import InterviewState, state_evidence
from spinecheck.core.kb.interview import InterviewPolicy
from spinecheck.core.logic import TRUE, Cases, RuleSet
from spinecheck.core.model import CompiledModel
from spinecheck.core.triage import posteriors_and_triage
from spinecheck.core.triage_levels import TriageLevel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


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
    lowest_level: npt.NDArray[np.int64]
    leader_change: FloatArray
    follow_up: npt.NDArray[np.bool_]
    escalation_follow_up: npt.NDArray[np.bool_]
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
    plan = compiled(model, policy)
    now_case = model.encode(evidence)
    base = now_case.states[0]
    open_questions = np.flatnonzero(~answered(plan, state) & askable(plan, now_case))
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
    # Each reply completed as the assessment completes it (what it implies, a list answered in part,
    # what the age answers).
    age = np.nan if evidence.age is None else float(evidence.age)
    states = model.complete_states(states, np.full(states.shape[0], age))

    # The one posterior and the one triage decision of the engine, for every row at once (the
    # set-aside of red-flag answers included, row by row). Every row differs from row 0 only in
    # the answers its reply changes, so the answers' log-likelihoods are summed by difference.
    cases = now_case.with_states(states, np.zeros(states.shape[0], dtype=np.intp))
    probabilities, decided = posteriors_and_triage(model, cases, near_first=True)
    levels = decided.level.astype(np.int64)
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
    answered_no = answered_no * plan.outcome_weight[outcomes]  # a test result is known only to some
    reply = planned * answered_no  # as planned: what choosing a question looks at
    likely = predictive * answered_no  # as the evidence stands: what stopping looks at
    groups = local_question[plan.outcome_question[outcomes]]
    log2 = np.log2(np.clip(probabilities, 1e-300, 1.0))
    entropy = -(probabilities * log2).sum(axis=-1)
    size = open_questions.size
    expected_entropy = np.bincount(groups, weights=predictive * entropy[1:], minlength=size)
    gain = np.maximum(entropy[0] - expected_entropy, 0.0)
    # How far each answer would move the differential: the divergence of its posterior from the
    # present one (never negative, so an answer that opens the differential up counts too).
    divergence = (probabilities[1:] * (log2[1:] - log2[:1])).sum(axis=1)
    expected_gain = np.bincount(groups, weights=reply * divergence, minlength=size).astype(np.float64)
    settled_gain = np.bincount(groups, weights=likely * divergence, minlength=size).astype(np.float64)

    level_now = TriageLevel.from_rank(int(levels[0]))
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
    lowest = np.full(size, TriageLevel.EMERGENCY.rank, dtype=np.int64)
    np.minimum.at(lowest, groups, levels[1:])
    follow_up = np.zeros(len(plan.questions), dtype=bool)
    follow_up[follow_ups(model, plan, state, now_case)] = True
    escalation = np.zeros(len(plan.questions), dtype=bool)
    escalation[escalation_follow_ups(model, plan, state, now_case, int(levels[0]))] = True
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
        lowest_level=lowest,
        leader_change=leader_change,
        follow_up=follow_up[open_questions],
        escalation_follow_up=escalation[open_questions],
        value=expected_gain + plan.policy.triage_weight * level_shift,
        leader_probability=float(now.max()),
    )


def follow_ups(model: CompiledModel, plan: QuestionPlan, state: InterviewState, now: Cases) -> list[int]:
    """Open questions that follow up a "yes" on the red-flag screen.

    A screen-level rule that reads such a "yes" and is at most `follow_up_depth` further "yes"
    answers from firing makes every question asking one of those missing findings, whose "yes"
    would bring the rule closer, a follow-up.
    """
    return _follow_ups(
        model, plan.screen_rules, plan.screen_rule_findings, plan.policy.follow_up_depth, plan, state, now,
    )


def escalation_follow_ups(
    model: CompiledModel, plan: QuestionPlan, state: InterviewState, now: Cases, level: int
) -> list[int]:
    """While the level (a rank) is below `open_rule_min_level`: the follow-ups, as in `follow_ups`, of
    the rules from that level up to the screen's that a "yes" (on the screen or not) leaves at most
    `escalation_follow_up_depth` answers from firing (after "pregnant" and a painful leg: is the
    leg swollen? after diabetes and a painful leg: any sores that will not heal?). They are asked
    once the screen is done."""
    if level >= plan.policy.open_rule_min_level.rank:
        return []
    return _follow_ups(
        model, plan.escalation_rules, plan.escalation_rule_findings, plan.policy.escalation_follow_up_depth,
        plan, state, now,
    )


def _follow_ups(
    model: CompiledModel, rules: RuleSet, rule_findings: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
    depth: int, plan: QuestionPlan, state: InterviewState, now: Cases,
) -> list[int]:
    """The follow-up questions of one set of rules (see `follow_ups`)."""
    yes = {finding for finding, reply in state.answers.items() if reply == YES}
    reading_yes = [rule for rule, (screen_findings, _) in enumerate(rule_findings)
                   if not yes.isdisjoint(screen_findings)]
    if not reading_yes or depth == 0:
        return []
    table = rules.table(now)[:, 0]
    candidates: list[tuple[int, float, str]] = []  # (rule, "yes" answers it needs, finding to ask)
    for rule in reading_yes:
        read = rule_findings[rule][1]
        needed = rules.yes_needed(table, rule)
        if needed == 0.0 or needed > depth:
            continue
        candidates += [
            (rule, needed, finding) for finding in read
            if finding not in state.answers and finding in plan.question_of
        ]
    if not candidates:
        return []
    # each missing finding answered "yes", all in one evaluation
    findings = sorted({finding for _, _, finding in candidates})
    column = {finding: row for row, finding in enumerate(findings)}
    forced = np.repeat(now.states, len(findings), axis=0)
    forced[np.arange(len(findings)), [model.finding_index[f] for f in findings]] = TRUE
    tables = rules.table(now.with_states(forced, np.zeros(len(findings), dtype=np.intp)))
    questions = {
        plan.question_of[finding]
        for rule, needed, finding in candidates
        if rules.yes_needed(tables[:, column[finding]], rule) < needed
    }
    return sorted(questions)


__all__ = ["QuestionValues", "escalation_follow_ups", "follow_ups", "question_values"]
