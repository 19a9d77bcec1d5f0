"""When the interview has asked enough: the triage level and the differential are both settled.

The triage level is settled when, on the evidence as it stands, no single open question
changes it (or raises it to the escalation level) with more than a small probability; the
differential when the leading condition is clear and no likely answer would overturn it, or
when nothing more is to be learned. The interview also stops at once at `emergency` and at
the policy's maximum number of questions (`plan.plan_next`).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from spinecheck.core.interview.score import QuestionValues
from spinecheck.core.kb.interview import InterviewPolicy


def settled(values: QuestionValues, policy: InterviewPolicy, waiting: npt.NDArray[np.bool_] | None = None) -> bool:
    """Whether neither the triage level nor the differential is likely to move with another question
    (`waiting`: the open questions that count; by default all; a checklist of test results, which most
    people cannot answer, does not keep the interview going)."""
    count = np.ones(values.questions.size, dtype=bool) if waiting is None else waiting
    if not count.any():
        return True
    triage_settled = (
        float(values.change_probability[count].max()) < policy.level_change_floor
        and float(values.escalation_probability[count].max()) < policy.open_rule_floor
    )
    differential_settled = (
        values.leader_probability >= policy.leader_probability
        and float(values.leader_change[count].max()) < policy.leader_change_floor
    ) or float(values.settled_gain[count].max()) < policy.min_information_gain
    return triage_settled and differential_settled


__all__ = ["settled"]
