"""The interview's policy (`knowledge/interview.yaml`) and the vocabulary of its replies.

The policy file is read and checked by the knowledge-base loader with every other knowledge
file; its schema lives in `spinecheck.core.kb.interview`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from spinecheck.core.kb.interview import POLICY_FILE, AskOnlyWhen, Checklist, ChecklistItem, InterviewPolicy, Scale
from spinecheck.core.kb.loader import DEFAULT_ROOT, load_knowledge_base
from spinecheck.core.kb.loader import interview_policy as knowledge_base_policy
from spinecheck.core.model import CompiledModel

Reply = Literal["yes", "no", "unknown"]
YES: Reply = "yes"
NO: Reply = "no"
UNKNOWN_REPLY: Reply = "unknown"
NONE_OPTION = "none"


class InterviewError(ValueError):
    """A reply or a question the interview cannot accept; the message says why."""


def interview_policy(model: CompiledModel) -> InterviewPolicy:
    """The policy the interview uses with this model: its knowledge base's, or the packaged one."""
    return knowledge_base_policy(model.kb)


def load_interview_policy(root: Path) -> InterviewPolicy:
    """The checked policy of the knowledge base in `root` (the packaged one when it has none)."""
    return knowledge_base_policy(load_knowledge_base(root if (root / "triage.yaml").exists() else DEFAULT_ROOT))


__all__ = [
    "NO",
    "NONE_OPTION",
    "POLICY_FILE",
    "UNKNOWN_REPLY",
    "YES",
    "AskOnlyWhen",
    "Checklist",
    "ChecklistItem",
    "InterviewError",
    "InterviewPolicy",
    "Reply",
    "Scale",
    "interview_policy",
    "load_interview_policy",
]
