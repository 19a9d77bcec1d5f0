"""The API: every resource router under /v1, each declaring the problem responses."""

from __future__ import annotations

from fastapi import APIRouter

from spinecheck.interfaces.api.routers import accounts, assess, diary, health, interview, knowledge, me, parse
from spinecheck.interfaces.http.errors import API_PREFIX, PROBLEM_RESPONSES


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX, responses=PROBLEM_RESPONSES)
    for module in (assess, parse, interview, knowledge, accounts, me, diary):
        router.include_router(module.router)
    return router


def health_router() -> APIRouter:
    router = APIRouter(responses=PROBLEM_RESPONSES)
    router.include_router(health.router)
    return router
