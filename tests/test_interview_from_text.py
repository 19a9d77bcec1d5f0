"""The interview can start from a description and asks only what is still missing."""

from __future__ import annotations

from spinecheck.core.interview import NO, YES
from spinecheck.core.model import CompiledModel
from spinecheck.interfaces import wiring  # noqa: F401  (plugs the text reader into the services)
from spinecheck.services import interview as interview_service
from spinecheck.services.narrative import interview_state_from_text

TEXT = "I'm a 52-year-old man, my lower back has hurt for 3 weeks, no fever, I can still pee fine"


def test_what_the_text_settles_becomes_answers(model: CompiledModel) -> None:
    state, _ = interview_state_from_text(TEXT, model)
    assert state.answers.get("low_back_pain") == YES
    assert state.answers.get("fever") == NO
    assert (state.age, state.sex) == (52, "male")


def test_the_interview_never_asks_again_what_the_text_answered(model: CompiledModel) -> None:
    state, _ = interview_state_from_text(TEXT, model)
    answered = set(state.answers)
    for _ in range(5):
        step = interview_service.step(model, state)
        if step.question is None:
            break
        assert step.question.id not in answered
        state = interview_service.answer(state, step.question, "unknown")
        answered = set(state.answers)
