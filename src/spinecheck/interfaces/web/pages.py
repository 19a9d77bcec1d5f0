"""The web pages' shared parts: templates, static files, the error page and the list of routers.

Templates extend `base.html`; a new group of pages is one more router in `routers()` and its
templates beside the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from spinecheck.core.assessment import format_probability
from spinecheck.core.model import CompiledModel
from spinecheck.interfaces.http import auth

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters["percent"] = format_probability
templates.env.filters["words"] = lambda value: str(value).replace("_", " ")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A page; every template sees the knowledge base's policy texts (disclaimer, emergency numbers),
    the signed-in person (if any) and the CSRF token its forms carry."""
    model: CompiledModel = request.app.state.model
    response = templates.TemplateResponse(
        request, template,
        {"policy": model.kb.policy, "kb": model.kb, "account": auth.web_account(request),
         "csrf_token": auth.csrf_token(request), **context},
        status_code=status_code,
    )
    auth.remember_csrf_cookie(request, response)
    return response


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    """The page people see for any error: what happened, in plain words, and a way on."""
    return render(request, "error.html", status_code=status, title=title, detail=detail, status=status)


def routers() -> list[APIRouter]:
    from spinecheck.interfaces.web.routes import account, check, conditions, home
    from spinecheck.interfaces.web.routes import diary as diary_pages

    return [home.router, check.router, conditions.router, account.router, diary_pages.router]
