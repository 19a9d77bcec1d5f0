"""POST /v1/assess: one assessment from a description, findings, or both."""

from __future__ import annotations

import time
from itertools import chain

from fastapi import APIRouter, Request, Response
from pydantic import TypeAdapter

from spinecheck.core.assessment import Assessment
from spinecheck.core.model import CompiledModel
from spinecheck.interfaces.api.schemas import AssessRequest
from spinecheck.interfaces.http.guard import server_timing
from spinecheck.services import knowledge
from spinecheck.services import narrative as narrative_service

router = APIRouter(tags=["assessment"])

ASSESSMENT_JSON = TypeAdapter(Assessment)
"""Writes the result's JSON straight to bytes (`model_dump_json` makes a str, which the response encodes again)."""


@router.post("/assess", response_model=Assessment, response_model_by_alias=True)
async def assess(body: AssessRequest, request: Request) -> Response:
    """Assess one person: triage level with reasons, red flags, ranked conditions, localisation."""
    parsed = time.perf_counter()
    model: CompiledModel = request.app.state.model  # as `deps.get_model`, without a dependency to resolve
    known = model.finding_index
    if not all(finding in known for finding in chain(body.present, body.absent, body.findings)):
        knowledge.check_finding_ids(model, body.ids_by_field())  # names the field of the first unknown id
    present, absent = body.split()
    result = narrative_service.assess_input(model, body.text, present, absent, body.age, body.sex)
    assessed = time.perf_counter()
    content = ASSESSMENT_JSON.dump_json(result, by_alias=True)
    serialised = time.perf_counter()
    timing = server_timing(request.scope, parse=parsed, engine=assessed, serialise=serialised)
    return Response(content=content, media_type="application/json", headers={"Server-Timing": timing})
