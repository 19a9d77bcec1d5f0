"""The API: every resource router under /v1, each declaring the problem responses.

The routes are added to the application's own router rather than included as routers: the
framework resolves an included router at every request (its candidates, their version, the
scope's bookkeeping), which cost about a fifth of the framework's time per API request. The
routes are the same (paths, tags, responses, dependencies, OpenAPI document).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from spinecheck.interfaces.api.routers import accounts, assess, diary, health, interview, knowledge, me, parse
from spinecheck.interfaces.http.errors import API_PREFIX, PROBLEM_RESPONSES

API_ROUTERS = (
    assess.router, parse.router, interview.router, knowledge.router, accounts.router, me.router, diary.router,
)


def add_api_routes(app: FastAPI) -> None:
    """Every API route under /v1 (each resource router's routes, in order), then /healthz, added to
    `app`'s own router with the problem responses, as including the routers would serve them."""
    for module_router in API_ROUTERS:
        _add_routes(app, module_router, API_PREFIX)
    _add_routes(app, health.router, "")


def _add_routes(app: FastAPI, router: APIRouter, prefix: str) -> None:
    for route in router.routes:
        assert isinstance(route, APIRoute), route
        app.router.add_api_route(
            prefix + route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=route.tags,
            dependencies=route.dependencies,
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses={**PROBLEM_RESPONSES, **route.responses},
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema,
            response_class=route.response_class,
            name=route.name,
            callbacks=route.callbacks,
            openapi_extra=route.openapi_extra,
            generate_unique_id_function=route.generate_unique_id_function,
        )
