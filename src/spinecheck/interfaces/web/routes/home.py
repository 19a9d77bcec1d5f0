"""The start page and the about page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.web.pages import render
from spinecheck.services import knowledge

router = APIRouter(include_in_schema=False)


@router.get("/")
def start(request: Request) -> Response:
    """What spinecheck is and is not, the emergency numbers, and the way in."""
    return render(request, "start.html")


@router.get("/about")
def about(request: Request, model: ModelDep) -> Response:
    """How spinecheck works, its limits, and every source the knowledge base cites."""
    return render(request, "about.html", info=knowledge.knowledge_base_info(model))
