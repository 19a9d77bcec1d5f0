"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from spinecheck.core.model import CompiledModel


async def get_model(request: Request) -> CompiledModel:
    """The compiled knowledge base the app was built with (loaded once, at start-up)."""
    model: CompiledModel = request.app.state.model
    return model


ModelDep = Annotated[CompiledModel, Depends(get_model)]
