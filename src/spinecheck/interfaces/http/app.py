"""The app factory: one FastAPI application serving the REST API (/v1) and the web pages.

`create_app()` is the composition root of the HTTP side: it loads the knowledge base once,
plugs in the text reader, adds the security layer and the error handlers, and mounts one
router per resource. New resources (and their templates) are added as routers here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from spinecheck import __version__
from spinecheck.interfaces import storage as diary_storage
from spinecheck.interfaces import wiring  # noqa: F401  (plugs the text reader into the services)
from spinecheck.interfaces.api.router import add_api_routes
from spinecheck.interfaces.http.errors import API_PREFIX, Problem, install_error_handlers
from spinecheck.interfaces.http.guard import MAX_BODY_BYTES, HttpGuard
from spinecheck.interfaces.web import pages
from spinecheck.services import assessment as assessment_service
from spinecheck.services import diary as diary_service
from spinecheck.services import knowledge

OPENAPI_URL = f"{API_PREFIX}/openapi.json"
MAX_IMPORT_BYTES = 16 * 1024 * 1024
"""A FHIR bundle of a long diary is larger than any other request; only the import routes take this much."""
IMPORT_PATHS = {f"{API_PREFIX}/me/import/fhir": MAX_IMPORT_BYTES, "/account/import": MAX_IMPORT_BYTES}


@dataclass(frozen=True)
class AppSettings:
    """What can change between deployments; the defaults serve the packaged knowledge base."""

    kb_root: Path | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    database_url: str | None = None
    """Where the diary is kept; by default `DATABASE_URL`, else SQLite in the data folder."""
    secret_key: str | None = None
    """Signs the forms' CSRF tokens; by default `SPINECHECK_SECRET_KEY`, else a key kept in the data folder."""
    cookie_secure: bool | None = None
    """Mark cookies Secure; by default whenever the request came over HTTPS."""
    larger_bodies: dict[str, int] = field(default_factory=lambda: dict(IMPORT_PATHS))


def create_app(settings: AppSettings | None = None) -> FastAPI:
    """Build the application. The knowledge base (and body map) are loaded and checked here, so a
    broken one stops the server at start rather than failing requests."""
    settings = settings or AppSettings()
    model = assessment_service.load_model(settings.kb_root)
    knowledge.body_map(model)
    diary_service.knowledge(model)
    store = diary_storage.open_storage(settings.database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="spinecheck",
        version=__version__,
        summary="Evidence-based symptom checker and triage for low back pain and leg weakness. Not a diagnosis.",
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
    )
    app.state.model = model
    app.state.settings = settings
    app.state.storage = store
    app.state.secret_key = settings.secret_key or diary_storage.secret_key()
    add_api_routes(app)
    for router in pages.routers():
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    install_error_handlers(app, pages.error_page)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(HttpGuard, max_body=settings.max_body_bytes, larger=settings.larger_bodies)
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of the API (pages are left out), with the problem schema every route refers to."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes,
            description="Every error is an RFC 9457 problem document (`application/problem+json`).",
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        app.openapi_schema = schema
    return app.openapi_schema
