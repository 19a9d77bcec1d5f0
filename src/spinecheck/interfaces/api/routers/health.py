"""GET /healthz: the server is up and its knowledge base is loaded."""

from __future__ import annotations

from fastapi import APIRouter

from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(model: ModelDep) -> Health:
    """Always 200 once the server has started; names the knowledge base it serves."""
    return Health(status="ok", kb_version=model.kb.version, kb_hash=model.kb.content_hash)
