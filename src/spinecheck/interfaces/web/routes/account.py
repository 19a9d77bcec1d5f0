"""Accounts on the web: sign up, sign in and out, API tokens, export everything, delete everything."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from spinecheck.core.accounts import Account
from spinecheck.interfaces import diary_io
from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.http import auth
from spinecheck.interfaces.http.auth import StorageDep
from spinecheck.interfaces.web.pages import render
from spinecheck.services import accounts
from spinecheck.services import export as export_service
from spinecheck.services.accounts import AccountError

router = APIRouter(prefix="/account", include_in_schema=False)

Text = Annotated[str, Form(max_length=400)]
Token = Annotated[str, Form(alias=auth.CSRF_FIELD, max_length=300)]
DELETE_WORD = "DELETE"


def _safe_next(target: str | None) -> str:
    """Only paths on this site, so a link cannot send the person elsewhere after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target[:200]
    return "/diary"


def refused(request: Request) -> Response:
    """The answer to a form without a valid CSRF token: nothing was done."""
    return render(
        request, "error.html", status_code=403, status=403, title="This form has expired",
        detail="For your safety the form could not be accepted. Please go back, reload the page and try again.",
    )


def signed_in(request: Request, account: Account, target: str) -> Response:
    store = request.app.state.storage
    response = RedirectResponse(_safe_next(target), status_code=303)
    auth.set_session_cookie(request, response, accounts.start_session(store, account))
    return response


def need_sign_in(request: Request) -> Response:
    return RedirectResponse(f"/account/sign-in?next={request.url.path}", status_code=303)


NO_FORM = object()


def gate(request: Request, csrf: object = NO_FORM) -> Account | Response:
    """The signed-in person; else the response to send instead (sign in first, or a refused form)."""
    account = auth.web_account(request)
    if account is None:
        return need_sign_in(request)
    if csrf is not NO_FORM and not auth.csrf_ok(request, csrf):
        return refused(request)
    return account


@router.get("/sign-up")
def sign_up_page(request: Request) -> Response:
    return render(request, "sign_up.html", errors={}, email="")


@router.post("/sign-up")
def sign_up(request: Request, store: StorageDep, email: Text, password: Text, csrf: Token) -> Response:
    if not auth.csrf_ok(request, csrf):
        return refused(request)
    try:
        account = accounts.sign_up(store, email, password)
    except AccountError as error:
        return render(request, "sign_up.html", status_code=422, errors={error.field: str(error)}, email=email[:320])
    return signed_in(request, account, "/diary")


@router.get("/sign-in")
def sign_in_page(request: Request, next: str | None = None) -> Response:
    return render(request, "sign_in.html", error="", email="", next=_safe_next(next))


@router.post("/sign-in")
def sign_in(
    request: Request, store: StorageDep, email: Text, password: Text, csrf: Token,
    next: Annotated[str, Form(max_length=200)] = "/diary",
) -> Response:
    if not auth.csrf_ok(request, csrf):
        return refused(request)
    account = accounts.sign_in(store, email, password)
    if account is None:
        return render(request, "sign_in.html", status_code=401, error="The email or the password is not right.",
                      email=email[:320], next=_safe_next(next))
    return signed_in(request, account, next)


@router.post("/sign-out")
def sign_out(request: Request, store: StorageDep, csrf: Token) -> Response:
    if not auth.csrf_ok(request, csrf):
        return refused(request)
    accounts.end_session(store, request.cookies.get(auth.SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    auth.clear_session_cookie(response)
    return response


@router.get("")
def account_page(request: Request, store: StorageDep) -> Response:
    account = gate(request)
    if isinstance(account, Response):
        return account
    return render(request, "account.html", tokens=store.tokens(account.id), new_token=None, message="")


@router.post("/tokens")
def new_token(request: Request, store: StorageDep, csrf: Token, name: Text = "API token") -> Response:
    account = gate(request, csrf)
    if isinstance(account, Response):
        return account
    issued = accounts.issue_token(store, account, name)
    return render(request, "account.html", tokens=store.tokens(account.id), new_token=issued, message="")


@router.post("/tokens/{token_id}/delete")
def delete_token(request: Request, store: StorageDep, token_id: str, csrf: Token) -> Response:
    account = gate(request, csrf)
    if isinstance(account, Response):
        return account
    if not store.delete_token(account.id, token_id[:100]):
        return render(request, "error.html", status_code=404, status=404, title="No such token",
                      detail="You have no API token with this id.")
    return RedirectResponse("/account", status_code=303)


@router.get("/export.json")
def export_json(request: Request, store: StorageDep, model: ModelDep) -> Response:
    account = gate(request)
    if isinstance(account, Response):
        return account
    record = export_service.gather(model, store, account)
    return Response(
        export_service.record_json(record), media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="spinecheck-diary.json"'},
    )


@router.get("/export.fhir.json")
def export_fhir(request: Request, store: StorageDep, model: ModelDep) -> Response:
    account = gate(request)
    if isinstance(account, Response):
        return account
    bundle = diary_io.fhir_bundle(model, store, account)
    return Response(
        json.dumps(bundle, indent=1), media_type="application/fhir+json",
        headers={"Content-Disposition": 'attachment; filename="spinecheck-diary.fhir.json"'},
    )


@router.post("/import")
async def import_fhir(request: Request, store: StorageDep, model: ModelDep) -> Response:
    form = await request.form(max_files=1, max_fields=5, max_part_size=16 * 1024 * 1024)
    account = gate(request, form.get(auth.CSRF_FIELD))
    if isinstance(account, Response):
        return account
    upload = form.get("bundle")
    if not isinstance(upload, UploadFile):
        message = "Please choose a FHIR bundle file (.json) to import."
        return render(request, "account.html", status_code=422, tokens=store.tokens(account.id), new_token=None,
                      message=message)
    raw = await upload.read()
    try:
        imported = diary_io.import_fhir(model, store, account, raw)
    except diary_io.ImportFailedError as problem:
        return render(request, "account.html", status_code=422, tokens=store.tokens(account.id), new_token=None,
                      message=f"Nothing was imported: {problem}")
    message = f"Imported {imported.entries} diary entries and {imported.questionnaires} questionnaires."
    return render(request, "account.html", tokens=store.tokens(account.id), new_token=None, message=message)


@router.post("/delete")
def delete_everything(request: Request, store: StorageDep, csrf: Token, confirm: Text = "") -> Response:
    account = gate(request, csrf)
    if isinstance(account, Response):
        return account
    if confirm.strip() != DELETE_WORD:
        return render(request, "account.html", status_code=422, tokens=store.tokens(account.id), new_token=None,
                      message=f"Nothing was deleted: type {DELETE_WORD} in the box to confirm.")
    accounts.delete_everything(store, account)
    request.state.account = None
    response = render(request, "deleted.html")
    auth.clear_session_cookie(response)
    return response
