"""The condition library: every condition, and one page each."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.web.pages import render
from spinecheck.services import knowledge
from spinecheck.services.knowledge import UnknownIdError

router = APIRouter(include_in_schema=False)


@router.get("/conditions")
def library(request: Request, model: ModelDep) -> Response:
    return render(request, "conditions.html", conditions=knowledge.condition_summaries(model))


@router.get("/conditions/{condition_id}")
def condition_page(request: Request, model: ModelDep, condition_id: str) -> Response:
    try:
        card = knowledge.condition_card(model, condition_id)
    except UnknownIdError as error:
        suggestions = [knowledge.condition_card(model, s) for s in error.suggestions]
        return render(
            request, "not_found.html", status_code=404, wanted=error.wanted[:80], suggestions=suggestions,
        )
    return render(request, "condition.html", card=card)
