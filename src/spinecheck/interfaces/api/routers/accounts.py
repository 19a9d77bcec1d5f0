"""Accounts for API clients: sign up, get and revoke API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response

from spinecheck.core.accounts import Account, ApiToken
from spinecheck.interfaces.api.schemas import SignUpRequest, TokenIssued, TokenRequest
from spinecheck.interfaces.http.auth import ApiAccount, StorageDep
from spinecheck.services import accounts

router = APIRouter(tags=["accounts"])

TokenId = Annotated[str, Path(max_length=100)]


@router.post("/accounts", response_model=Account, status_code=201)
def sign_up(body: SignUpRequest, store: StorageDep) -> Account:
    """Create an account (email and a password of at least 10 characters). 409 when the email is taken."""
    return accounts.sign_up(store, body.email, body.password)


@router.post("/tokens", response_model=TokenIssued, status_code=201)
def new_token(body: TokenRequest, store: StorageDep) -> TokenIssued:
    """Sign in with email and password and get a new API token. The token is shown only in this response."""
    account = accounts.sign_in(store, body.email, body.password)
    if account is None:
        raise HTTPException(status_code=401, detail="The email or the password is not right.")
    issued = accounts.issue_token(store, account, body.name)
    return TokenIssued(id=issued.info.id, name=issued.info.name, token=issued.secret,
                       created_at=issued.info.created_at)


@router.get("/tokens", response_model=list[ApiToken])
def list_tokens(account: ApiAccount, store: StorageDep) -> list[ApiToken]:
    """Your API tokens (names and dates, never the secrets)."""
    return store.tokens(account.id)


@router.delete("/tokens/{token_id}", status_code=204, response_class=Response)
def revoke_token(account: ApiAccount, store: StorageDep, token_id: TokenId) -> Response:
    """Revoke one of your tokens; 404 when you have no token with this id."""
    if not store.delete_token(account.id, token_id):
        raise HTTPException(status_code=404, detail="You have no API token with this id.")
    return Response(status_code=204)
