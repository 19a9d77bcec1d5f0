"""POST /v1/parse: the findings read from a description, with the words behind each."""

from __future__ import annotations

from fastapi import APIRouter

from spinecheck.core.text import ParseResult
from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.api.schemas import ParseRequest
from spinecheck.services import narrative as narrative_service

router = APIRouter(tags=["assessment"])


@router.post("/parse", response_model=ParseResult)
def parse(body: ParseRequest, model: ModelDep) -> ParseResult:
    """Read a description: findings present, absent and uncertain, age, sex, and what was not understood."""
    return narrative_service.parse_text(body.text, model)
