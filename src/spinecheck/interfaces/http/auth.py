"""Who is asking: the API's bearer tokens, the web pages' session cookie, and CSRF tokens for forms.

- API: `Authorization: Bearer sc_...`; a missing or unknown token is a 401 problem document.
- Web: the `spinecheck_session` cookie holds a random secret (HttpOnly, SameSite=Lax, Secure over
  HTTPS); the database keeps only its SHA-256.
- CSRF: every browser gets a random `spinecheck_csrf` cookie; each form carries that value signed
  with the server's key (itsdangerous, with an age limit). A form whose token does not match the
  cookie is refused, so another site cannot post a form in the person's name.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from spinecheck.adapters.storage import SqlStorage
from spinecheck.core.accounts import Account
from spinecheck.services import accounts

SESSION_COOKIE = "spinecheck_session"
CSRF_COOKIE = "spinecheck_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE = accounts.SESSION_DAYS * 24 * 3600


async def storage(request: Request) -> SqlStorage:
    store: SqlStorage = request.app.state.storage
    return store


StorageDep = Annotated[SqlStorage, Depends(storage)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def api_account(request: Request, store: StorageDep) -> Account:
    """The account an API request is made for; 401 without a valid token."""
    account = accounts.token_account(store, _bearer(request))
    if account is None:
        raise HTTPException(
            status_code=401, detail="Send a valid API token: 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": 'Bearer realm="spinecheck"'},
        )
    return account


ApiAccount = Annotated[Account, Depends(api_account)]


# ---------------------------------------------------------------------------
# Web pages
# ---------------------------------------------------------------------------


def secure_cookies(request: Request) -> bool:
    forced: bool | None = getattr(request.app.state.settings, "cookie_secure", None)
    return forced if forced is not None else request.url.scheme == "https"


def web_account(request: Request) -> Account | None:
    """The signed-in person, or None; looked up once per request."""
    if hasattr(request.state, "account"):
        found: Account | None = request.state.account
        return found
    store: SqlStorage = request.app.state.storage
    account = accounts.session_account(store, request.cookies.get(SESSION_COOKIE))
    request.state.account = account
    return account


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, secret, max_age=accounts.SESSION_DAYS * 24 * 3600, httponly=True, samesite="lax",
        secure=secure_cookies(request), path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="spinecheck-csrf")


def _nonce(request: Request) -> str:
    """The browser's CSRF nonce: from its cookie, or a new one this response will set."""
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and 16 <= len(existing) <= 100:
        return existing
    if not hasattr(request.state, "new_csrf_nonce"):
        request.state.new_csrf_nonce = secrets.token_urlsafe(24)
    nonce: str = request.state.new_csrf_nonce
    return nonce


def csrf_token(request: Request) -> str:
    """The token a form on this page carries."""
    token: str = _serializer(request).dumps(_nonce(request))
    return token


def remember_csrf_cookie(request: Request, response: Response) -> None:
    """Set the CSRF cookie when this request made a new nonce."""
    nonce = getattr(request.state, "new_csrf_nonce", None)
    if nonce:
        response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=secure_cookies(request),
                            path="/", max_age=CSRF_MAX_AGE)


def csrf_ok(request: Request, token: object) -> bool:
    """True when the posted token was signed by this server for the nonce in the browser's cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not isinstance(token, str) or len(token) > 300:
        return False
    try:
        nonce = _serializer(request).loads(token, max_age=CSRF_MAX_AGE)
    except BadSignature:
        return False
    return isinstance(nonce, str) and hmac.compare_digest(nonce, cookie)
