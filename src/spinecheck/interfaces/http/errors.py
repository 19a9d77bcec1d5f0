"""Every error, in one place: RFC 9457 problem documents for the API, an error page for people.

No traceback and no raw input ever reaches the client. A problem names the field at fault
(`errors[].field`, for example `present[2]` or `age`) and, for an unknown id, the nearest known
ids (`suggestions`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from spinecheck.adapters.reports.pdf import PdfUnavailableError
from spinecheck.adapters.storage import StorageError
from spinecheck.core.diary import EntryError
from spinecheck.core.interview import InterviewError
from spinecheck.core.kb.loader import KnowledgeBaseError
from spinecheck.core.model import EvidenceError
from spinecheck.interfaces.diary_io import ImportFailedError
from spinecheck.services.accounts import AccountError, DuplicateAccountError
from spinecheck.services.diary import EntryNotFoundError, QuestionnaireError
from spinecheck.services.knowledge import UnknownIdError

API_PREFIX = "/v1"
PROBLEM_MEDIA_TYPE = "application/problem+json"
LOG = logging.getLogger("spinecheck.http")

HtmlRenderer = Callable[[Request, int, str, str], Response]
"""Renders an error page for people: (request, status, title, detail) -> response."""


class ProblemField(BaseModel):
    """One field at fault: where it is in the request, and what is wrong with it."""

    field: str = Field(description="Where in the request, for example 'age', 'present[2]' or 'state.answers.xyz'.")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(description="A URI naming the kind of problem; 'about:blank' for plain HTTP errors.")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str
    instance: str | None = None
    errors: list[ProblemField] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list, description="Known ids close to an unknown one.")


INVALID = "urn:spinecheck:problem:invalid-input"
UNKNOWN_ID = "urn:spinecheck:problem:unknown-id"
INVALID_ANSWER = "urn:spinecheck:problem:invalid-answer"


def problem_response(problem: Problem) -> Response:
    return Response(
        content=problem.model_dump_json(exclude_none=True), status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE
    )


def field_name(location: Sequence[str | int]) -> str:
    """('body', 'present', 2) -> 'present[2]'; ('path', 'condition_id') -> 'condition_id'."""
    parts = list(location)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not str(part).startswith("function-"):
            text += ("." if text else "") + str(part)
    return text or "body"


def _validation_problem(request: Request, error: RequestValidationError) -> Problem:
    details: list[dict[str, Any]] = list(error.errors())
    if any(detail.get("type") == "json_invalid" for detail in details):
        return Problem(
            type=INVALID, title="Malformed JSON", status=400,
            detail="The request body is not valid JSON.", instance=request.url.path,
        )
    fields = [
        ProblemField(field=field_name(d.get("loc", ())), message=str(d.get("msg", "is not valid"))) for d in details
    ]
    first = fields[0] if fields else ProblemField(field="body", message="is not valid")
    more = f" (and {len(fields) - 1} more)" if len(fields) > 1 else ""
    return Problem(
        type=INVALID, title="Invalid input", status=422,
        detail=f"{first.field}: {first.message}{more}", instance=request.url.path, errors=fields[:20],
    )


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/") or path == "/healthz"


def install_error_handlers(app: FastAPI, html: HtmlRenderer | None = None) -> None:
    """Problem documents under /v1, error pages elsewhere (when a renderer is given)."""

    def respond(request: Request, problem: Problem) -> Response:
        if html is not None and not _is_api(request):
            return html(request, problem.status, problem.title, problem.detail)
        return problem_response(problem)

    async def on_validation(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        return respond(request, _validation_problem(request, error))

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        titles = {404: "Not found", 405: "Method not allowed", 413: "Request too large", 415: "Unsupported media type"}
        title = titles.get(error.status_code, "Request refused")
        detail = error.detail if isinstance(error.detail, str) else title
        if error.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
        response = respond(request, Problem(
            type="about:blank", title=title, status=error.status_code, detail=detail, instance=request.url.path,
        ))
        if error.headers:
            response.headers.update(error.headers)
        return response

    async def on_unknown_id(request: Request, error: Exception) -> Response:
        assert isinstance(error, UnknownIdError)
        status = 404 if error.field == "" else 422
        return respond(request, Problem(
            type=UNKNOWN_ID, title=f"Unknown {error.kind}", status=status, detail=str(error),
            instance=request.url.path, suggestions=error.suggestions,
            errors=[ProblemField(field=error.field, message=str(error))] if error.field else [],
        ))

    async def on_evidence(request: Request, error: Exception) -> Response:
        return respond(request, Problem(
            type=INVALID, title="Invalid input", status=422, detail=str(error), instance=request.url.path,
        ))

    async def on_answer(request: Request, error: Exception) -> Response:
        return respond(request, Problem(
            type=INVALID_ANSWER, title="Invalid answer", status=422, detail=str(error), instance=request.url.path,
            errors=[ProblemField(field="reply", message=str(error))],
        ))

    async def on_broken_kb(request: Request, error: Exception) -> Response:
        LOG.error("knowledge base error: %s", error)
        return respond(request, Problem(
            type="about:blank", title="Service unavailable", status=503,
            detail="The knowledge base could not be loaded.", instance=request.url.path,
        ))

    async def on_anything(request: Request, error: Exception) -> Response:
        LOG.exception("unexpected error on %s", request.url.path, exc_info=error)
        return respond(request, Problem(
            type="about:blank", title="Internal error", status=500,
            detail="Something went wrong on our side. Nothing you sent was kept.", instance=request.url.path,
        ))

    async def on_missing_entry(request: Request, error: Exception) -> Response:
        return respond(request, Problem(
            type="about:blank", title="Not found", status=404,
            detail="There is no diary entry with this id in your diary.", instance=request.url.path,
        ))

    async def on_bad_entry(request: Request, error: Exception) -> Response:
        assert isinstance(error, EntryError)
        return respond(request, Problem(
            type=INVALID, title="Invalid input", status=422, detail=str(error), instance=request.url.path,
            errors=[ProblemField(field=error.field, message=str(error))],
        ))

    async def on_account(request: Request, error: Exception) -> Response:
        assert isinstance(error, AccountError)
        status = 409 if isinstance(error, DuplicateAccountError) else 422
        return respond(request, Problem(
            type=INVALID, title="Account refused" if status == 409 else "Invalid input", status=status,
            detail=str(error), instance=request.url.path, errors=[ProblemField(field=error.field, message=str(error))],
        ))

    async def on_refused_input(request: Request, error: Exception) -> Response:
        return respond(request, Problem(
            type=INVALID, title="Invalid input", status=422, detail=str(error), instance=request.url.path,
        ))

    async def on_unavailable(request: Request, error: Exception) -> Response:
        LOG.error("unavailable: %s", error)
        return respond(request, Problem(
            type="about:blank", title="Service unavailable", status=503, detail=str(error), instance=request.url.path,
        ))

    app.add_exception_handler(EntryNotFoundError, on_missing_entry)
    app.add_exception_handler(EntryError, on_bad_entry)
    app.add_exception_handler(AccountError, on_account)
    app.add_exception_handler(QuestionnaireError, on_refused_input)
    app.add_exception_handler(ImportFailedError, on_refused_input)
    app.add_exception_handler(PdfUnavailableError, on_unavailable)
    app.add_exception_handler(StorageError, on_unavailable)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(UnknownIdError, on_unknown_id)
    app.add_exception_handler(EvidenceError, on_evidence)
    app.add_exception_handler(InterviewError, on_answer)
    app.add_exception_handler(KnowledgeBaseError, on_broken_kb)
    app.add_exception_handler(Exception, on_anything)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "default": {
        "description": "A problem: invalid input (400, 422), an unknown id (404, 422), too large (413), and so on.",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    422: {
        "description": "Invalid input; `errors` names each field at fault.",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
}
"""Declared on every API route, so the OpenAPI document describes the problem responses."""
