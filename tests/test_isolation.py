"""One person can never read, change or delete another's records, through any endpoint or page.

Ann and Bob each have a diary. Bob tries every API endpoint and every page that reads, changes or
deletes a record, with Ann's real ids; each attempt is answered as if the record did not exist,
and Ann's records are unchanged afterwards. A last test fails when an endpoint or page is added
that this file does not try. Runs on SQLite and PostgreSQL. The two diaries are made once per
database; attempts that delete or import use people of their own, so no attempt depends on another.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from db_support import empty_shared_database
from diary_support import api_person, csrf_token, post_form, web_person
from spinecheck.adapters.storage import sqlite_url
from spinecheck.interfaces.http.app import AppSettings, create_app
from spinecheck.interfaces.web.routes import account as account_pages
from spinecheck.interfaces.web.routes import diary as diary_pages

SECRET = "Ann private note about her bladder 8842"


@dataclass
class Two:
    app: FastAPI
    api: TestClient
    ann: dict[str, str]
    bob: dict[str, str]
    ann_web: TestClient
    bob_web: TestClient
    entry_id: str
    token_id: str

    def ann_entry(self) -> dict[str, Any]:
        response = self.api.get(f"/v1/diary/entries/{self.entry_id}", headers=self.ann)
        assert response.status_code == 200
        data: dict[str, Any] = response.json()
        return data


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def two(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Two]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("isolation") / "spinecheck.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = sqlite_url(path)
    else:
        url = empty_shared_database(request.getfixturevalue("postgres"))
    diary_app = create_app(AppSettings(database_url=url, secret_key="test-secret-key"))
    with TestClient(diary_app, raise_server_exceptions=False) as api:
        yield make_two(diary_app, api)


def make_two(diary_app: FastAPI, api: TestClient) -> Two:
    ann = api_person(api, "ann@example.org")
    bob = api_person(api, "bob@example.org")
    api.put("/v1/me/answers", headers=ann, json={"answers": {"low_back_pain": "yes"}, "age": 61})
    entry = api.post("/v1/diary/entries", headers=ann,
                     json={"back_pain": 7, "leg_pain_left": 8, "notes": SECRET, "walking_distance_m": 4321})
    token_id = api.get("/v1/tokens", headers=ann).json()[0]["id"]
    ann_web = TestClient(diary_app, raise_server_exceptions=False)
    token = csrf_token(ann_web, "/account/sign-in")
    ann_web.post("/account/sign-in", data={"email": "ann@example.org", "password": "correct horse battery staple",
                                           "csrf_token": token})
    return Two(diary_app, api, ann, bob, ann_web, web_person(diary_app, "bob.web@example.org"),
               entry.json()["entry"]["id"], token_id)


def someone_new(two: Two) -> dict[str, str]:
    return api_person(two.api, f"{uuid.uuid4().hex[:8]}@example.org")


def not_there(text: str) -> None:
    # Ann's walking distance as a number of its own: "4321" inside a random id ("38043210-...") is not hers.
    assert SECRET not in text and not re.search(r"(?<![\w-])4321(?![\w-])", text) and "ann@example.org" not in text


# ---------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------


API_ATTEMPTS: dict[tuple[str, str], Callable[[Two], None]] = {}


def api_attempt(method: str, path: str) -> Callable[[Callable[[Two], None]], Callable[[Two], None]]:
    def register(check: Callable[[Two], None]) -> Callable[[Two], None]:
        API_ATTEMPTS[(method, path)] = check
        return check
    return register


@api_attempt("GET", "/v1/diary/entries/{entry_id}")
def _get_entry(two: Two) -> None:
    assert two.api.get(f"/v1/diary/entries/{two.entry_id}", headers=two.bob).status_code == 404


@api_attempt("PUT", "/v1/diary/entries/{entry_id}")
def _put_entry(two: Two) -> None:
    response = two.api.put(f"/v1/diary/entries/{two.entry_id}", headers=two.bob, json={"notes": "Bob was here"})
    assert response.status_code == 404
    assert two.ann_entry()["notes"] == SECRET


@api_attempt("DELETE", "/v1/diary/entries/{entry_id}")
def _delete_entry(two: Two) -> None:
    assert two.api.delete(f"/v1/diary/entries/{two.entry_id}", headers=two.bob).status_code == 404
    two.ann_entry()


@api_attempt("GET", "/v1/diary/entries")
def _list_entries(two: Two) -> None:
    listed = two.api.get("/v1/diary/entries", headers=two.bob)
    assert two.entry_id not in [entry["id"] for entry in listed.json()]
    not_there(listed.text)


@api_attempt("POST", "/v1/diary/entries")
def _add_entry(two: Two) -> None:
    added = two.api.post("/v1/diary/entries", headers=two.bob, json={"back_pain": 1, "notes": "Bob's"})
    assert added.status_code == 201
    assert [e["notes"] for e in two.api.get("/v1/diary/entries", headers=two.ann).json()] == [SECRET]


@api_attempt("GET", "/v1/diary/charts/{name}")
def _chart(two: Two) -> None:
    for name in ("pain", "weakness", "walking"):
        not_there(two.api.get(f"/v1/diary/charts/{name}", headers=two.bob).text)


@api_attempt("GET", "/v1/diary/report")
def _report(two: Two) -> None:
    not_there(two.api.get("/v1/diary/report", headers=two.bob).text)


@api_attempt("GET", "/v1/me")
def _me(two: Two) -> None:
    assert two.api.get("/v1/me", headers=two.bob).json()["email"] == "bob@example.org"


@api_attempt("GET", "/v1/me/answers")
def _get_answers(two: Two) -> None:
    assert "low_back_pain" not in two.api.get("/v1/me/answers", headers=two.bob).text


@api_attempt("PUT", "/v1/me/answers")
def _put_answers(two: Two) -> None:
    assert two.api.put("/v1/me/answers", headers=two.bob, json={"answers": {"fever": "yes"}}).status_code == 200
    assert two.api.get("/v1/me/answers", headers=two.ann).json()["answers"] == {"low_back_pain": "yes"}


@api_attempt("POST", "/v1/me/questionnaires")
def _questionnaire(two: Two) -> None:
    answers = {item: 0 for item in ("pain_intensity", "personal_care", "lifting", "walking", "sitting", "standing",
                                    "sleeping", "sex_life", "social_life", "travelling")}
    response = two.api.post("/v1/me/questionnaires", headers=two.bob, json={"instrument": "oswestry",
                                                                            "answers": answers})
    assert response.status_code == 201
    assert two.api.get("/v1/me/export", headers=two.ann).json()["questionnaires"] == []


@api_attempt("GET", "/v1/me/export")
def _export(two: Two) -> None:
    exported = two.api.get("/v1/me/export", headers=two.bob)
    not_there(exported.text)
    assert two.entry_id not in [entry["id"] for entry in exported.json()["entries"]]


@api_attempt("GET", "/v1/me/export/fhir")
def _export_fhir(two: Two) -> None:
    not_there(two.api.get("/v1/me/export/fhir", headers=two.bob).text)


@api_attempt("POST", "/v1/me/import/fhir")
def _import(two: Two) -> None:
    ann_bundle = two.api.get("/v1/me/export/fhir", headers=two.ann).content
    carol = someone_new(two)  # a copy of Ann's file given to Carol: Carol's own entries, never Ann's
    assert two.api.post("/v1/me/import/fhir", headers=carol, content=ann_bundle).status_code == 200
    assert two.ann_entry()["notes"] == SECRET
    carol_ids = [entry["id"] for entry in two.api.get("/v1/diary/entries", headers=carol).json()]
    assert len(carol_ids) == 1 and two.entry_id not in carol_ids
    two.api.put(f"/v1/diary/entries/{carol_ids[0]}", headers=carol, json={"notes": "Carol's now"})
    assert two.ann_entry()["notes"] == SECRET


@api_attempt("DELETE", "/v1/me")
def _delete_me(two: Two) -> None:
    assert two.api.delete("/v1/me", headers=someone_new(two)).status_code == 204
    assert two.ann_entry()["notes"] == SECRET


@api_attempt("GET", "/v1/tokens")
def _list_tokens(two: Two) -> None:
    assert [token["name"] for token in two.api.get("/v1/tokens", headers=two.bob).json()] == ["test"]


@api_attempt("DELETE", "/v1/tokens/{token_id}")
def _revoke_token(two: Two) -> None:
    assert two.api.delete(f"/v1/tokens/{two.token_id}", headers=two.bob).status_code == 404
    assert two.api.get("/v1/me", headers=two.ann).status_code == 200


@api_attempt("POST", "/v1/tokens")
def _new_token(two: Two) -> None:
    response = two.api.post("/v1/tokens", json={"email": "ann@example.org", "password": "Bob guesses wrong"})
    assert response.status_code == 401


@api_attempt("POST", "/v1/accounts")
def _new_account(two: Two) -> None:
    response = two.api.post("/v1/accounts", json={"email": "ann@example.org", "password": "Bob takes Ann's email"})
    assert response.status_code == 409
    assert two.api.get("/v1/me", headers=two.ann).status_code == 200


@pytest.mark.parametrize("attempt", sorted(API_ATTEMPTS), ids=lambda key: f"{key[0]} {key[1]}")
def test_the_api_never_gives_one_person_another_persons_records(two: Two, attempt: tuple[str, str]) -> None:
    API_ATTEMPTS[attempt](two)


# ---------------------------------------------------------------------------
# The web pages
# ---------------------------------------------------------------------------


PAGE_ATTEMPTS: dict[tuple[str, str], Callable[[Two], None]] = {}


def page_attempt(method: str, path: str) -> Callable[[Callable[[Two], None]], Callable[[Two], None]]:
    def register(check: Callable[[Two], None]) -> Callable[[Two], None]:
        PAGE_ATTEMPTS[(method, path)] = check
        return check
    return register


@page_attempt("GET", "/diary/entries/{entry_id}")
def _page_entry(two: Two) -> None:
    page = two.bob_web.get(f"/diary/entries/{two.entry_id}")
    assert page.status_code == 404
    not_there(page.text)


@page_attempt("POST", "/diary/entries/{entry_id}")
def _page_change(two: Two) -> None:
    response = post_form(two.bob_web, "/diary/new", f"/diary/entries/{two.entry_id}", {"notes": "Bob was here"})
    assert response.status_code == 404
    assert two.ann_entry()["notes"] == SECRET


@page_attempt("POST", "/diary/entries/{entry_id}/delete")
def _page_delete(two: Two) -> None:
    response = post_form(two.bob_web, "/diary/new", f"/diary/entries/{two.entry_id}/delete", {})
    assert response.status_code == 404
    two.ann_entry()


@page_attempt("GET", "/diary")
def _page_diary(two: Two) -> None:
    page = two.bob_web.get("/diary")
    not_there(page.text)
    assert two.entry_id not in page.text
    not_there(two.bob_web.get(f"/diary?saved={two.entry_id}").text)


@page_attempt("GET", "/diary/new")
def _page_new(two: Two) -> None:
    not_there(two.bob_web.get("/diary/new").text)


@page_attempt("POST", "/diary/entries")
def _page_add(two: Two) -> None:
    assert post_form(two.bob_web, "/diary/new", "/diary/entries", {"back_pain": "2"}).status_code == 303
    assert len(two.api.get("/v1/diary/entries", headers=two.ann).json()) == 1


@page_attempt("GET", "/diary/report")
def _page_report(two: Two) -> None:
    not_there(two.bob_web.get("/diary/report").text)


@page_attempt("GET", "/diary/report.pdf")
def _page_pdf(two: Two) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    pdf = PdfReader(BytesIO(two.bob_web.get("/diary/report.pdf").content))
    not_there("\n".join(page.extract_text() for page in pdf.pages))


@page_attempt("GET", "/diary/charts/{name}.svg")
def _page_chart(two: Two) -> None:
    for name in ("pain", "weakness", "walking"):
        not_there(two.bob_web.get(f"/diary/charts/{name}.svg").text)


@page_attempt("POST", "/diary/answers")
def _page_answers(two: Two) -> None:
    state = '{"answers": {"fever": "yes"}}'
    assert post_form(two.bob_web, "/diary/new", "/diary/answers", {"state": state}).status_code == 303
    assert two.api.get("/v1/me/answers", headers=two.ann).json()["answers"] == {"low_back_pain": "yes"}


@page_attempt("GET", "/diary/questionnaires/{instrument}")
def _page_questionnaire(two: Two) -> None:
    not_there(two.bob_web.get("/diary/questionnaires/oswestry").text)


@page_attempt("POST", "/diary/questionnaires/{instrument}")
def _page_questionnaire_answers(two: Two) -> None:
    post_form(two.bob_web, "/diary/questionnaires/oswestry", "/diary/questionnaires/oswestry", {"walking": "1"})
    assert two.api.get("/v1/me/export", headers=two.ann).json()["questionnaires"] == []


@page_attempt("GET", "/account")
def _page_account(two: Two) -> None:
    page = two.bob_web.get("/account")
    not_there(page.text)
    assert "bob.web@example.org" in page.text


@page_attempt("GET", "/account/export.json")
def _page_export(two: Two) -> None:
    not_there(two.bob_web.get("/account/export.json").text)


@page_attempt("GET", "/account/export.fhir.json")
def _page_export_fhir(two: Two) -> None:
    not_there(two.bob_web.get("/account/export.fhir.json").text)


@page_attempt("POST", "/account/import")
def _page_import(two: Two) -> None:
    bundle = two.api.get("/v1/me/export/fhir", headers=two.ann).content
    dave = web_person(two.app, f"{uuid.uuid4().hex[:8]}@example.org")
    token = csrf_token(dave, "/account")
    response = dave.post("/account/import", data={"csrf_token": token},
                         files={"bundle": ("ann.json", bundle, "application/json")})
    assert response.status_code == 200, response.text[-800:]
    assert two.entry_id not in dave.get("/diary").text
    assert two.ann_entry()["notes"] == SECRET


@page_attempt("POST", "/account/tokens")
def _page_new_token(two: Two) -> None:
    post_form(two.bob_web, "/account", "/account/tokens", {"name": "Bob's"})
    assert [t["name"] for t in two.api.get("/v1/tokens", headers=two.ann).json()] == ["test"]


@page_attempt("POST", "/account/tokens/{token_id}/delete")
def _page_revoke(two: Two) -> None:
    response = post_form(two.bob_web, "/account", f"/account/tokens/{two.token_id}/delete", {})
    assert response.status_code == 404
    assert two.api.get("/v1/me", headers=two.ann).status_code == 200


@page_attempt("POST", "/account/delete")
def _page_delete_everything(two: Two) -> None:
    someone = web_person(two.app, f"{uuid.uuid4().hex[:8]}@example.org")
    assert post_form(someone, "/account", "/account/delete", {"confirm": "DELETE"}).status_code == 200
    assert two.ann_entry()["notes"] == SECRET
    assert two.bob_web.get("/account").status_code == 200


@page_attempt("POST", "/account/sign-in")
def _page_sign_in(two: Two) -> None:
    response = post_form(two.bob_web, "/account/sign-in", "/account/sign-in",
                         {"email": "ann@example.org", "password": "Bob guesses wrong"})
    assert response.status_code == 401
    not_there(two.bob_web.get("/diary").text)


@page_attempt("POST", "/account/sign-up")
def _page_sign_up(two: Two) -> None:
    response = post_form(two.bob_web, "/account/sign-up", "/account/sign-up",
                         {"email": "ann@example.org", "password": "Bob takes Ann's email"})
    assert response.status_code == 422
    not_there(two.bob_web.get("/diary").text.replace("ann@example.org", ""))


@page_attempt("POST", "/account/sign-out")
def _page_sign_out(two: Two) -> None:
    someone = web_person(two.app, f"{uuid.uuid4().hex[:8]}@example.org")
    post_form(someone, "/account", "/account/sign-out", {})
    assert two.ann_web.get("/diary").status_code == 200
    assert SECRET in two.ann_web.get(f"/diary/entries/{two.entry_id}").text  # Ann's session is hers alone


NO_RECORD_PAGES = {("GET", "/account/sign-up"), ("GET", "/account/sign-in")}
"""Pages that show no one's records: nothing to protect."""


@pytest.mark.parametrize("attempt", sorted(PAGE_ATTEMPTS), ids=lambda key: f"{key[0]} {key[1]}")
def test_the_pages_never_give_one_person_another_persons_records(two: Two, attempt: tuple[str, str]) -> None:
    PAGE_ATTEMPTS[attempt](two)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_endpoint_and_page_with_records_is_tried(diary_app: FastAPI) -> None:
    openapi = diary_app.openapi()["paths"]
    personal = ("/v1/diary", "/v1/me", "/v1/tokens", "/v1/accounts")
    api_routes = {(method.upper(), path) for path, methods in openapi.items() if path.startswith(personal)
                  for method in methods}
    assert api_routes == set(API_ATTEMPTS)
    pages = {(method, route.path) for router in (diary_pages.router, account_pages.router)
             for route in router.routes for method in getattr(route, "methods", ())}
    assert pages - NO_RECORD_PAGES == set(PAGE_ATTEMPTS)
