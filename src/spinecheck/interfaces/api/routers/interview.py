"""POST /v1/interview: the adaptive interview, stateless — the client sends the state back each time."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from pydantic import TypeAdapter

from spinecheck.core.model import CompiledModel
from spinecheck.interfaces.api.schemas import InterviewRequest, InterviewResponse
from spinecheck.interfaces.http.guard import server_timing
from spinecheck.services import interview as interview_service
from spinecheck.services import knowledge
from spinecheck.services import narrative as narrative_service

router = APIRouter(tags=["interview"])

INTERVIEW_JSON = TypeAdapter(InterviewResponse)
"""Writes the answer's JSON straight to bytes (`model_dump_json` makes a str, which the response encodes again)."""


@router.post("/interview", response_model=InterviewResponse)
async def interview(body: InterviewRequest, request: Request) -> Response:
    """Apply the reply (if any) to the state and return the next question, or the result when it is over.

    Questions are yes / no, a choice, a checklist (tick all that apply) or a number on a scale;
    every question also takes "unknown" (don't know), and choices and checklists "none" (all but the checklist
    of test results, which has no "none of these").
    """
    parsed = time.perf_counter()
    model: CompiledModel = request.app.state.model  # as `deps.get_model`, without a dependency to resolve
    state = body.state.core()
    knowledge.check_finding_ids(model, {f"state.answers.{finding}": finding for finding in state.answers})
    notes: list[str] = []
    if body.text is not None and body.text.strip():
        state, reading = narrative_service.interview_state_with_text(body.text, model, state)
        notes = reading.notes()
    answered: tuple[str, ...] = ()
    if body.reply is not None:
        state, answered = interview_service.reply_to(model, state, body.reply.question, body.reply.answer)
    progress = interview_service.progress(model, state)
    decided = time.perf_counter()
    step = progress.step
    content = INTERVIEW_JSON.dump_json(InterviewResponse(
        state=progress.state, question=step.question, stopped=step.stopped, asked=step.asked,
        max_questions=step.max_questions, level=step.level, answered=list(answered), notes=notes,
        result=progress.result,
    ), by_alias=True)
    serialised = time.perf_counter()
    timing = server_timing(request.scope, parse=parsed, engine=decided, serialise=serialised)
    return Response(content=content, media_type="application/json", headers={"Server-Timing": timing})
