"""The guided check: about you -> (your own words) -> body map -> one question per screen -> result.

The server keeps nothing between pages. Each form carries the check so far in a hidden field
(`state`, JSON checked on every request), so every step works with JavaScript off, and going
back drops exactly the answers the last question gave.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from spinecheck.core.assessment import Assessment
from spinecheck.core.body_map import Mark
from spinecheck.core.interview import NONE_OPTION, UNKNOWN_REPLY, InterviewError, InterviewState, Reply
from spinecheck.core.localisation import Side
from spinecheck.core.model import CompiledModel, EvidenceError, Sex
from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.web import body_figure
from spinecheck.interfaces.web.pages import render
from spinecheck.services import interview as interview_service
from spinecheck.services import knowledge
from spinecheck.services import narrative as narrative_service

router = APIRouter(prefix="/check", include_in_schema=False)

MAX_STATE = 60_000
MAX_TEXT = 5_000
PICKED = "picked"
SHOWN_CONDITIONS = 6


class CheckState(BaseModel):
    """Everything the check knows so far, carried from page to page in a hidden field."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age: int | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None
    answers: dict[Annotated[str, Field(max_length=100)], Reply] = Field(default_factory=dict, max_length=400)
    turns: list[list[Annotated[str, Field(max_length=100)]]] = Field(default_factory=list, max_length=200)
    sides: dict[Annotated[str, Field(max_length=100)], Side] = Field(default_factory=dict, max_length=400)
    marks: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=200)

    def interview(self) -> InterviewState:
        return InterviewState(answers=self.answers, age=self.age, sex=self.sex)

    def with_interview(self, state: InterviewState, **changes: Any) -> CheckState:
        return self.model_copy(update={"answers": state.answers, "age": state.age, "sex": state.sex, **changes})


class StateError(ValueError):
    """The hidden state is missing or was changed into something unreadable."""


def read_state(model: CompiledModel, raw: str | None) -> CheckState:
    if not raw or len(raw) > MAX_STATE:
        raise StateError
    try:
        state = CheckState.model_validate_json(raw)
    except ValidationError:
        raise StateError from None
    if any(finding not in model.finding_index for finding in state.answers):
        raise StateError
    return state


def lost_state(request: Request) -> Response:
    return render(
        request, "error.html", status_code=400, status=400, title="Your answers could not be read",
        detail="The page did not carry your answers back to us. Nothing was kept; please start again.",
    )


# ---------------------------------------------------------------------------
# About you
# ---------------------------------------------------------------------------


@router.get("")
def about_you(request: Request) -> Response:
    return render(request, "about_you.html", errors={}, values={})


@router.post("/start")
def start(
    request: Request,
    age: Annotated[str | None, Form(max_length=100)] = None,
    sex: Annotated[str | None, Form(max_length=100)] = None,
    how: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    errors: dict[str, str] = {}
    age_value: int | None = None
    age_text = (age or "").strip()
    if age_text:
        if not age_text.isdigit() or not 0 <= int(age_text) <= 130:
            errors["age"] = "Please enter your age in whole years, between 0 and 130, or leave it empty."
        else:
            age_value = int(age_text)
    if sex not in (None, "", "female", "male", "unsaid"):
        errors["sex"] = "Please choose female, male or 'prefer not to say'."
    if how not in ("describe", "questions"):
        errors["how"] = "Please choose how you would like to start."
    if errors:
        values = {"age": age_text[:100], "sex": sex, "how": how}
        return render(request, "about_you.html", status_code=422, errors=errors, values=values)
    state = CheckState(age=age_value, sex="female" if sex == "female" else "male" if sex == "male" else None)
    if how == "describe":
        return render(request, "describe.html", state=state, errors={}, text="")
    return _body_map_page(request, state)


# ---------------------------------------------------------------------------
# Your own words, and the body map
# ---------------------------------------------------------------------------


@router.post("/describe")
def describe(
    request: Request,
    model: ModelDep,
    state: Annotated[str | None, Form(max_length=MAX_STATE)] = None,
    text: Annotated[str | None, Form(max_length=100_000)] = None,
) -> Response:
    try:
        check = read_state(model, state)
    except StateError:
        return lost_state(request)
    words = (text or "").strip()
    error = ""
    if not words:
        error = "Please describe what you feel in a few words, or go back and choose to answer questions."
    elif len(words) > MAX_TEXT:
        error = f"Please keep it under {MAX_TEXT:,} characters: the main symptoms are enough."
    if error:
        return render(
            request, "describe.html", status_code=422, state=check, errors={"text": error}, text=words[:MAX_TEXT]
        )
    try:
        interview, parsed = narrative_service.interview_state_with_text(words, model, check.interview())
    except EvidenceError as problem:
        return render(request, "describe.html", status_code=422, state=check, errors={"text": str(problem)}, text=words)
    understood = [finding.label for finding in parsed.present]
    understood_absent = [finding.label for finding in parsed.absent]
    return _body_map_page(
        request, check.with_interview(interview), notes=parsed.notes(), understood=understood,
        understood_absent=understood_absent,
    )


def _body_map_page(request: Request, state: CheckState, **context: Any) -> Response:
    model: CompiledModel = request.app.state.model
    loaded = knowledge.body_map(model)
    sections = [
        {
            "mode": mode, "views": body_figure.views(loaded, mode.id), "spots": loaded.spots_for(mode.id),
            "on": [mark.partition(":")[2] for mark in state.marks if mark.partition(":")[0] == mode.id],
        }
        for mode in loaded.modes
    ]
    return render(request, "body_map.html", state=state, sections=sections, marked=set(state.marks), **context)


@router.post("/body-map")
async def body_map(request: Request, model: ModelDep) -> Response:
    form, check = await _posted(request, model)
    if check is None:
        return lost_state(request)
    raw_marks = [value for value in form.getlist("mark") if isinstance(value, str)][:200]
    marks = []
    for value in raw_marks:
        mode, _, spot = value.partition(":")
        marks.append(Mark(mode, spot))
    try:
        reading = knowledge.read_body_map(model, marks)
    except ValueError:
        return render(
            request, "error.html", status_code=422, status=422, title="That place is not on the body map",
            detail="One of the places sent is not on the body map. Please go back and mark them again.",
        )
    answers = {**check.answers, **{finding: "yes" for finding in sorted(reading.present)}}
    check = check.model_copy(update={
        "answers": answers, "sides": {**check.sides, **reading.sides}, "marks": [f"{m.mode}:{m.spot}" for m in marks],
    })
    return _next(request, model, check)


# ---------------------------------------------------------------------------
# One question per screen
# ---------------------------------------------------------------------------


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


async def _posted(request: Request, model: CompiledModel) -> tuple[FormData, CheckState | None]:
    """The posted form and the check it carries (None when the state is missing or unreadable)."""
    form = await request.form(max_fields=400)
    try:
        return form, read_state(model, _text(form.get("state")))
    except StateError:
        return form, None


def _next(request: Request, model: CompiledModel, check: CheckState, error: str = "") -> Response:
    progress = interview_service.progress(model, check.interview(), sides=check.sides)
    if progress.result is not None:
        return _result_page(request, model, check, progress.result)
    return render(
        request, "question.html", status_code=422 if error else 200, state=check, step=progress.step,
        question=progress.step.question, error=error, can_go_back=bool(check.turns),
        none_option=NONE_OPTION, unknown_option=UNKNOWN_REPLY,
    )


@router.post("/answer")
async def answer(request: Request, model: ModelDep) -> Response:
    form, check = await _posted(request, model)
    if check is None:
        return lost_state(request)
    question_id = _text(form.get("question")) or ""
    reply = _text(form.get("reply")) or ""
    picks = [value for value in form.getlist("pick") if isinstance(value, str)][:40]
    # One pick is the answer to a choice or a scale (radio buttons), or one ticked checklist item.
    chosen: str | list[str] = (picks[0] if len(picks) == 1 else picks) if reply == PICKED else reply
    if not chosen:
        return _next(request, model, check, "Please choose an answer, or press \u201cDon't know\u201d.")
    try:
        interview, answered = interview_service.reply_to(model, check.interview(), question_id[:100], chosen)
    except InterviewError:
        return _next(request, model, check, "That answer does not fit this question; please choose again.")
    return _next(request, model, check.with_interview(interview, turns=[*check.turns, list(answered)]))


@router.post("/back")
async def back(request: Request, model: ModelDep) -> Response:
    _, check = await _posted(request, model)
    if check is None:
        return lost_state(request)
    if not check.turns:
        return _next(request, model, check)
    interview = interview_service.take_back_findings(check.interview(), check.turns[-1])
    return _next(request, model, check.with_interview(interview, turns=check.turns[:-1]))


@router.post("/result")
async def result(request: Request, model: ModelDep) -> Response:
    """The result for the answers so far (also where a finished check lands)."""
    _, check = await _posted(request, model)
    if check is None:
        return lost_state(request)
    try:
        assessment = interview_service.result(model, check.interview(), sides=check.sides)
    except EvidenceError:
        return lost_state(request)
    return _result_page(request, model, check, assessment)


def _result_page(request: Request, model: CompiledModel, check: CheckState, assessment: Assessment) -> Response:
    cards = [(item, knowledge.condition_card(model, item.id)) for item in assessment.conditions[:SHOWN_CONDITIONS]]
    loaded = knowledge.body_map(model)
    return render(
        request, "result.html", result=assessment, cards=cards, care=assessment.care,
        headline=model.kb.policy.levels[assessment.triage.level].headline,
        views=body_figure.views(loaded), located=set(knowledge.localisation_spots(model, assessment.localisation)),
        marked={mark.partition(":")[2] for mark in check.marks}, state=check,
    )
