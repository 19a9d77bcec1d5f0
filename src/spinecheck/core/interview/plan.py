"""Choosing the next question: the red-flag screen first, then the question worth most.

1. **Red-flag screen.** After the policy's `opening` questions (the main complaint, where it
   hurts, how bad), the knowledge base's screen checklists open the interview; the first
   `screen_size` questions ask about findings whose "yes" would, given the answers so far,
   raise the level to the screen level; later questions keep screening while some answer is
   likely enough (`screen_floor`) to raise it there or, counted less, to the escalation level
   on the way. The likeliest rise is asked first, and a "yes" on the screen is followed up
   first of all.
2. **Expected value.** Then the question whose answer is worth most: how far its expected
   replies move the differential, plus a bonus for how far they are expected to move the
   triage level (`score.question_values`).
3. **Stop** when `stop.settled` says so, at once at `emergency`, or at the maximum.

A checklist of test results (ADR 0024) is chosen for its value alone: it never screens, never follows
a "yes" up, and an open one does not keep a settled interview going.

The state alone decides: the same answers always give the same question.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from spinecheck.core.interview.compile import answered, compiled, still_open
from spinecheck.core.interview.score import question_values
from spinecheck.core.interview.state import InterviewState, InterviewStep, Question, StopReason
from spinecheck.core.interview.stop import settled
from spinecheck.core.kb.interview import InterviewPolicy
from spinecheck.core.model import CompiledModel
from spinecheck.core.triage_levels import TriageLevel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def plan_next(model: CompiledModel, state: InterviewState, policy: InterviewPolicy | None = None) -> InterviewStep:
    """The next question for this state, or why the interview is over.

    The state alone decides: the same answers always give the same question.
    """
    plan = compiled(model, policy)
    limit = plan.policy.max_questions
    asked = int(answered(plan, state).sum())
    values = question_values(model, state, plan.policy)
    level = values.level

    def stop(reason: StopReason) -> InterviewStep:
        return InterviewStep(question=None, stopped=reason, asked=asked, max_questions=limit, level=level)

    def ask(index: int, screen: bool) -> InterviewStep:
        question = still_open(plan.questions[index], state).model_copy(update={"screen": screen})
        return InterviewStep(question=question, stopped=None, asked=asked, max_questions=limit, level=level)

    if level == TriageLevel.EMERGENCY:
        return stop(StopReason.EMERGENCY)
    if asked >= limit:
        return stop(StopReason.MAX_QUESTIONS)
    if values.questions.size == 0:
        return stop(StopReason.NO_QUESTIONS_LEFT)
    screen_score = values.screen_probability + plan.policy.screen_escalation_weight * values.screen_escalation
    # A checklist of test results is asked for its value alone: most people have had no such test, so it
    # neither screens nor follows a "yes" up.
    results = plan.told_results[values.questions]
    follow_up = values.follow_up & ~results
    if follow_up.any():
        # Follow a red-flag "yes" up first: what could complete its rule, likeliest rise first.
        follow_up_value = screen_score + 1e-3 * values.value
        return ask(_best(follow_up_value, values.questions, follow_up, plan.screen_rank), True)
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
    in_screen &= ~results
    escalation_follow_up = values.escalation_follow_up & ~results
    screening = bool(in_screen.any())
    if screening:
        # The screen asks first what is likeliest to raise the level to the screen level (or,
        # counted less, to the escalation level on the way there).
        screen_value = screen_score + 1e-3 * values.value
        choice = _best(screen_value, values.questions, in_screen, plan.screen_rank)
    elif escalation_follow_up.any():
        # The screen done, what could complete a rule that would raise the level to the escalation
        # level, most valuable first.
        choice = _best(values.value, values.questions, escalation_follow_up, plan.screen_rank)
    else:
        if settled(values, plan.policy, waiting=~results):
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


__all__ = ["next_question", "plan_next"]
