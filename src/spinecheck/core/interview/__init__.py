"""The adaptive interview: which question to ask next, and when to stop asking.

The interview keeps no memory of its own. Its whole state is plain data — the answers so
far, age and sex — and `plan_next(model, state)` works out the next question from that
alone, so a web page or the REST API can run an interview without server sessions, and the
same state always gives the same question. Its numbers live in `knowledge/interview.yaml`.

The modules, in the order a question is made:

- `policy`: the policy file's schema and the vocabulary of replies;
- `state`: the state, questions and steps as plain data, and `answer()`;
- `compile`: the questions and every possible reply compiled once per model and policy;
- `score`: the value of every open question, from the engine's one posterior and one triage
  decision over every possible reply at once;
- `stop`: when the triage level and the differential are settled;
- `plan`: the red-flag screen first, then the question worth most, or why the interview is over.

Findings marked `clinician_only`, and silence findings (`silence_about`, what a text leaves out),
are never asked. Findings sharing an `exclusive_group` are
asked as one choice question. "Don't know" is always an allowed answer; it counts as asked and
leaves the finding unknown.
"""

from spinecheck.core.interview.compile import question_by_id, questions_asked
from spinecheck.core.interview.plan import next_question, plan_next
from spinecheck.core.interview.policy import (
    NO,
    NONE_OPTION,
    UNKNOWN_REPLY,
    YES,
    AskOnlyWhen,
    Checklist,
    ChecklistItem,
    InterviewError,
    InterviewPolicy,
    Reply,
    Scale,
    interview_policy,
    load_interview_policy,
)
from spinecheck.core.interview.score import QuestionValues, question_values
from spinecheck.core.interview.state import (
    InterviewState,
    InterviewStep,
    Option,
    Question,
    StopReason,
    answer,
    state_evidence,
    take_back,
)

__all__ = [
    "NO",
    "NONE_OPTION",
    "UNKNOWN_REPLY",
    "YES",
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
    "Reply",
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
