"""The diary over the REST API, on SQLite and PostgreSQL: accounts, tokens, entries with alerts, questionnaires."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from diary_support import PASSWORD, api_person

SCIATICA = {"answers": {"low_back_pain": "yes", "leg_pain": "yes", "onset_sudden": "yes"}, "age": 40, "sex": "male"}


def add(client: TestClient, headers: dict[str, str], **entry: Any) -> Any:
    response = client.post("/v1/diary/entries", headers=headers, json=entry)
    assert response.status_code == 201, response.text
    return response.json()


def test_an_entry_comes_back_with_its_level_and_an_alert_flag(api: TestClient) -> None:
    me = api_person(api, "ann@example.org")
    assert api.put("/v1/me/answers", headers=me, json=SCIATICA).status_code == 200
    quiet = add(api, me, recorded_at="2026-03-01T08:00:00Z", back_pain=4, leg_pain_left=5)
    assert quiet["alert"] is False and quiet["entry"]["alerts"] == []
    loud = add(api, me, recorded_at="2026-03-02T08:00:00Z", back_pain=4, leg_pain_left=5,
               bladder=["hard_to_pass"], numbness=["saddle"])
    assert loud["alert"] is True and loud["level"] == "emergency"
    assert loud["entry"]["alerts"][0]["kind"] == "new_red_flag"
    listed = api.get("/v1/diary/entries", headers=me).json()
    assert [entry["id"] for entry in listed] == [quiet["entry"]["id"], loud["entry"]["id"]]


def test_bad_entries_are_refused_with_the_field_named_and_nothing_stored(api: TestClient) -> None:
    me = api_person(api, "ann@example.org")
    for body, field in (({"back_pain": 11}, "back_pain"), ({"back_pain": True}, "back_pain"),
                        ({"weakness": ["elbow"]}, "weakness[0]"), ({"mood": "fine"}, "mood"),
                        ({"fever": "yes"}, "fever"), ({"notes": "nul \u0000 in the middle"}, "notes")):
        response = api.post("/v1/diary/entries", headers=me, json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["field"] == field
    assert api.get("/v1/diary/entries", headers=me).json() == []


def test_without_a_valid_token_nothing_is_answered(api: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer sc_not-a-token"}, {"Authorization": "Basic abc"}):
        response = api.get("/v1/diary/entries", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_wrong_password_gets_no_token_and_an_email_makes_one_account(api: TestClient) -> None:
    api_person(api, "ann@example.org")
    assert api.post("/v1/tokens", json={"email": "ann@example.org", "password": "wrong password!"}).status_code == 401
    assert api.post("/v1/tokens", json={"email": "nobody@example.org", "password": PASSWORD}).status_code == 401
    again = api.post("/v1/accounts", json={"email": "ANN@example.org ", "password": PASSWORD})
    assert again.status_code == 409
    short = api.post("/v1/accounts", json={"email": "bo@example.org", "password": "short"})
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "password"


def test_a_revoked_token_stops_working(api: TestClient) -> None:
    me = api_person(api, "ann@example.org")
    token_id = api.get("/v1/tokens", headers=me).json()[0]["id"]
    assert api.delete(f"/v1/tokens/{token_id}", headers=me).status_code == 204
    assert api.get("/v1/me", headers=me).status_code == 401


def test_changing_and_deleting_an_entry(api: TestClient) -> None:
    me = api_person(api, "ann@example.org")
    entry = add(api, me, back_pain=2)["entry"]
    changed = api.put(f"/v1/diary/entries/{entry['id']}", headers=me, json={"back_pain": 3, "fever": True})
    assert changed.status_code == 200 and changed.json()["entry"]["fever"] is True
    assert changed.json()["entry"]["recorded_at"] == entry["recorded_at"]
    assert api.delete(f"/v1/diary/entries/{entry['id']}", headers=me).status_code == 204
    assert api.get(f"/v1/diary/entries/{entry['id']}", headers=me).status_code == 404


def test_questionnaires_are_scored_and_kept(api: TestClient) -> None:
    me = api_person(api, "ann@example.org")
    answers = {item: 1 for item in ("leg_pain", "shoulder_neck_pain", "short_walks", "slow_dressing",
                                    "activity_unsafe", "worrying_thoughts", "never_better", "no_enjoyment")}
    start_back = api.post("/v1/me/questionnaires", headers=me,
                          json={"instrument": "start_back", "answers": {**answers, "bothersomeness": 4}})
    assert start_back.status_code == 201, start_back.text and start_back.json()["risk_group"] == "high"
    bad = api.post("/v1/me/questionnaires", headers=me, json={"instrument": "oswestry", "answers": {"x": 1}})
    assert bad.status_code == 422


def test_charts_and_the_report_come_in_their_own_media_types(api: TestClient) -> None:
    me = api_person(api, "ann@example.org")
    add(api, me, recorded_at="2026-03-01T08:00:00Z", back_pain=4, walking_distance_m=500)
    add(api, me, recorded_at="2026-03-02T08:00:00Z", back_pain=6, walking_distance_m=200)
    chart = api.get("/v1/diary/charts/pain", headers=me)
    assert chart.headers["content-type"] == "image/svg+xml"
    assert chart.text.count('class="point"') == 2
    assert api.get("/v1/diary/charts/mood", headers=me).status_code == 422
    html = api.get("/v1/diary/report", headers=me)
    assert html.headers["content-type"].startswith("text/html") and "summary for the doctor" in html.text
