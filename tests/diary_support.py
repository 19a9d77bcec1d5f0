"""Fixtures for the diary over HTTP: an app on each database, people signed up by API and by the web forms."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

from spinecheck.interfaces.http.app import AppSettings, create_app

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def diary_app(database_url: str) -> FastAPI:
    """The whole app with its diary in this test's database (SQLite, then PostgreSQL)."""
    return create_app(AppSettings(database_url=database_url, secret_key="test-secret-key"))


@pytest.fixture
def api(diary_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(diary_app, raise_server_exceptions=False) as client:
        yield client


def api_person(client: TestClient, email: str) -> dict[str, str]:
    """Sign up by API and return the headers that carry a fresh token."""
    assert client.post("/v1/accounts", json={"email": email, "password": PASSWORD}).status_code == 201
    issued = client.post("/v1/tokens", json={"email": email, "password": PASSWORD, "name": "test"})
    assert issued.status_code == 201
    return {"Authorization": f"Bearer {issued.json()['token']}"}


def csrf_token(client: TestClient, path: str) -> str:
    page = client.get(path)
    match = CSRF.search(page.text)
    assert match, f"{path} has no form token"
    return match.group(1)


def web_person(app: FastAPI, email: str) -> TestClient:
    """A browser-like client signed up through the web form (cookies kept)."""
    client = TestClient(app, raise_server_exceptions=False)
    token = csrf_token(client, "/account/sign-up")
    response = client.post("/account/sign-up", data={"email": email, "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return client


def post_form(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    """Post a form as a browser would: with the token of the page it is on."""
    return client.post(action, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=False)
