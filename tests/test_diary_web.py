"""The diary's web pages without a browser: sign-up and sign-in, cookies, CSRF, the entry form, saved answers."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from diary_support import PASSWORD, csrf_token, post_form, web_person

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_signing_up_sets_an_httponly_samesite_session_cookie(diary_app: FastAPI) -> None:
    client = TestClient(diary_app)
    token = csrf_token(client, "/account/sign-up")
    response = client.post("/account/sign-up", data={"email": "ann@example.org", "password": PASSWORD,
                                                     "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/diary"
    cookie = next(value for name, value in response.headers.multi_items()
                  if name == "set-cookie" and value.startswith("spinecheck_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # plain http in tests
    assert client.get("/diary").text.count("My diary") >= 1


def test_cookies_are_secure_when_served_over_https(diary_app: FastAPI) -> None:
    client = TestClient(diary_app, base_url="https://testserver")
    token = csrf_token(client, "/account/sign-up")
    response = client.post("/account/sign-up", data={"email": "ann@example.org", "password": PASSWORD,
                                                     "csrf_token": token}, follow_redirects=False)
    cookies = [value for name, value in response.headers.multi_items() if name == "set-cookie"]
    assert cookies and all("Secure" in value for value in cookies)


def test_a_form_without_the_right_token_is_refused_and_changes_nothing(diary_app: FastAPI) -> None:
    ann = web_person(diary_app, "ann@example.org")
    for token in ("", "forged", csrf_token(TestClient(diary_app), "/account/sign-up")):  # the last: another browser's
        response = ann.post("/diary/entries", data={"back_pain": "3", "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403
    assert "No entries yet" in ann.get("/diary").text
    stranger = TestClient(diary_app)
    response = stranger.post("/account/sign-up", data={"email": "eve@example.org", "password": PASSWORD})
    assert response.status_code in (403, 422)


def test_the_diary_asks_a_stranger_to_sign_in(diary_app: FastAPI) -> None:
    client = TestClient(diary_app)
    assert "Create an account" in client.get("/diary").text
    for path in ("/diary/new", "/diary/report", "/diary/report.pdf", "/account", "/account/export.json"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/account/sign-in")


def test_a_wrong_password_does_not_sign_in(diary_app: FastAPI) -> None:
    web_person(diary_app, "ann@example.org")
    client = TestClient(diary_app)
    response = post_form(client, "/account/sign-in", "/account/sign-in",
                         {"email": "ann@example.org", "password": "not the password"})
    assert response.status_code == 401 and "not right" in response.text
    signed_in = post_form(client, "/account/sign-in", "/account/sign-in",
                          {"email": "ann@example.org", "password": PASSWORD, "next": "//evil.example/"})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/diary"


def test_the_quick_form_saves_an_entry_and_an_alert_comes_first(diary_app: FastAPI) -> None:
    ann = web_person(diary_app, "ann@example.org")
    saved = post_form(ann, "/diary/new", "/diary/entries", {
        "recorded_at": "2026-03-01T08:30", "back_pain": "5", "leg_pain_left": "6", "leg_pain_right": "0",
        "walking_distance_m": "400", "weak": "left_foot_top", "medicines": "ibuprofen, paracetamol",
    })
    assert saved.status_code == 303
    page = ann.get(saved.headers["location"])
    assert page.text.count('class="point"') >= 3  # the pain chart has the entry's three scores
    emergency = post_form(ann, "/diary/new", "/diary/entries", {"recorded_at": "2026-03-02T08:30",
                                                                 "bladder": "hard_to_pass"})
    page = ann.get(emergency.headers["location"])
    first = re.search(r"<body>\s*<a class=\"skip\"[^>]*>[^<]*</a>\s*<section class=\"([^\"]+)\"", page.text)
    assert first and first.group(1) == "emergency-banner"
    assert "Cauda equina" in page.text


def test_a_bad_value_comes_back_to_the_form_with_the_field_named(diary_app: FastAPI) -> None:
    ann = web_person(diary_app, "ann@example.org")
    response = post_form(ann, "/diary/new", "/diary/entries", {"back_pain": "12", "notes": "keep me"})
    assert response.status_code == 422
    assert 'href="#back_pain"' in response.text and "keep me" in response.text
    assert "No entries yet" in ann.get("/diary").text


def test_the_answers_of_a_finished_check_can_be_kept(diary_app: FastAPI) -> None:
    ann = web_person(diary_app, "ann@example.org")
    state = '{"age": 70, "answers": {"history_of_cancer": "yes", "low_back_pain": "yes"}}'
    response = post_form(ann, "/diary/new", "/diary/answers", {"state": state})
    assert response.status_code == 303
    saved = post_form(ann, "/diary/new", "/diary/entries", {"back_pain": "6", "weak": "left_foot_top"})
    page = ann.get(saved.headers["location"])
    assert "cancer" in page.text.lower()  # the entry was assessed with the kept answers


def test_questionnaires_are_answered_on_a_page_of_their_own(diary_app: FastAPI) -> None:
    ann = web_person(diary_app, "ann@example.org")
    answers = {item: "2" for item in ("pain_intensity", "personal_care", "lifting", "walking", "sitting", "standing",
                                      "sleeping", "sex_life", "social_life", "travelling")}
    response = post_form(ann, "/diary/questionnaires/oswestry", "/diary/questionnaires/oswestry", answers)
    assert response.status_code == 200 and "40.0%" in response.text
    assert "Oswestry</a> (done)" in ann.get("/diary").text


def test_the_report_page_allows_exactly_its_own_stylesheet(diary_app: FastAPI) -> None:
    ann = web_person(diary_app, "ann@example.org")
    report = ann.get("/diary/report")
    policy = report.headers["content-security-policy"]
    assert "style-src 'sha256-" in policy and "script-src" not in policy and "default-src 'none'" in policy
