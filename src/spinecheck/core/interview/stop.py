"""When the interview has asked enough: the triage level and the differential are both settled.

The triage level is settled when, on the evidence as it stands, no single open question
changes it (or raises it to the escalation level) with more than a small probability; the
differential when the leading condition is clear and no likely answer would overturn it, or
when nothing more is to be learned. The interview also stops at once at `emergency` and at
the policy's maximum number of questions (`plan.plan_next`).
"""

from __future__ import annotations

from spinecheck.core.interview.score import QuestionValues
from spinecheck.core.kb.interview import InterviewPolicy


def settled(values: QuestionValues, policy: InterviewPolicy) -> bool:
    """Whether neither the triage level nor the differential is likely to move with another question."""
    triage_settled = (
        float(values.change_probability.max()) < policy.level_change_floor
        and float(values.escalation_probability.max()) < policy.open_rule_floor
    )
    differential_settled = (
        values.leader_probability >= policy.leader_probability
        and float(values.leader_change.max()) < policy.leader_change_floor
    ) or float(values.settled_gain.max()) < policy.min_information_gain
    return triage_settled and differential_settled


__all__ = ["settled"]
