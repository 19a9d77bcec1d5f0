"""Export, import and deletion: the FHIR R4 bundle (checked with fhir.resources' R4B models), its round
trip, the report for the doctor as PDF, and deletion that leaves nothing behind."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from diary_support import api_person
from spinecheck.adapters.fhir import answers_to_response, response_to_answers
from spinecheck.adapters.storage import sqlite_url
from spinecheck.core.diary import PersonAnswers
from spinecheck.interfaces.http.app import AppSettings, create_app

ANSWERS = {"answers": {"low_back_pain": "yes", "leg_pain": "yes", "onset_sudden": "yes", "fever": "no",
                       "trigger_lifting_twisting": "yes", "history_of_cancer": "unknown"},
           "age": 52, "sex": "male", "sides": {"leg_pain": "left"}}
OSWESTRY = {item: 2 for item in ("pain_intensity", "personal_care", "lifting", "walking", "sitting", "standing",
                                 "sleeping", "sex_life", "social_life", "travelling")}
ENTRIES: list[dict[str, Any]] = [
    {"recorded_at": "2026-03-01T08:00:00Z", "back_pain": 4, "leg_pain_left": 6, "leg_pain_right": 0,
     "walking_distance_m": 900, "medicines": ["ibuprofen 400 mg"], "notes": "stiff in the morning"},
    {"recorded_at": "2026-03-03T08:00:00Z", "back_pain": 5, "leg_pain_left": 7, "weakness": ["left_foot_top"],
     "numbness": ["left_outer_shin"], "walking_distance_m": 400, "sleep_disturbed": True, "bladder": []},
    {"recorded_at": "2026-03-05T08:00:00Z", "back_pain": 6, "leg_pain_left": 7, "weakness": ["left_foot_top"],
     "bladder": ["hard_to_pass"], "fever": False, "notes": "trouble peeing since last night"},
]


def fill(api: TestClient) -> dict[str, str]:
    me = api_person(api, "ann@example.org")
    assert api.put("/v1/me/answers", headers=me, json=ANSWERS).status_code == 200
    api.post("/v1/me/questionnaires", headers=me, json={"instrument": "oswestry", "answers": OSWESTRY})
    for entry in ENTRIES:
        assert api.post("/v1/diary/entries", headers=me, json=entry).status_code == 201
    return me


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [item["resource"] for item in bundle["entry"] if item["resource"]["resourceType"] == kind]


def test_the_fhir_bundle_validates_as_r4_and_carries_every_part(api: TestClient) -> None:
    me = fill(api)
    response = api.get("/v1/me/export/fhir", headers=me)
    assert response.headers["content-type"] == "application/fhir+json"
    bundle = response.json()
    Bundle.model_validate(bundle)
    assert {item["resource"]["resourceType"] for item in bundle["entry"]} == {
        "Patient", "QuestionnaireResponse", "Observation", "Condition", "RiskAssessment"}
    pain = [o for o in resources(bundle, "Observation")
            if any(c["code"] == "72514-3" for c in o["code"]["coding"])]
    assert len(pain) == 7 and all(o["valueQuantity"]["value"] in range(11) for o in pain)
    statuses = [c["verificationStatus"]["coding"][0]["code"] for c in resources(bundle, "Condition")]
    assert statuses[0] == "provisional" and set(statuses[1:]) == {"differential"}
    assert all(any(code["system"] == "http://snomed.info/sct" for code in c["code"]["coding"])
               for c in resources(bundle, "Condition"))
    risk = resources(bundle, "RiskAssessment")[0]
    assert risk["prediction"][0]["outcome"]["coding"][0]["code"] == "emergency"
    assert risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == "high"
    findings = {c["code"] for o in resources(bundle, "Observation") for c in o["code"]["coding"]
                if c["system"] == "urn:spinecheck:fhir:finding"}
    assert {"bladder_retention", "weakness_big_toe_extension"} <= findings


def test_importing_the_bundle_restores_the_diary(api: TestClient) -> None:
    me = fill(api)
    bundle = api.get("/v1/me/export/fhir", headers=me).content
    original = api.get("/v1/me/export", headers=me).json()
    other = api_person(api, "ann.again@example.org")
    restored = api.post("/v1/me/import/fhir", headers=other, content=bundle)
    assert restored.json() == {"entries": 3, "questionnaires": 1, "answers": True}
    copy = api.get("/v1/me/export", headers=other).json()
    recorded = ("recorded_at", "back_pain", "leg_pain_left", "leg_pain_right", "walking_distance_m", "weakness",
                "numbness", "bladder", "bowel", "sexual_function", "fever", "medicines", "sleep_disturbed", "notes")

    def contents(record: dict[str, Any]) -> list[dict[str, Any]]:
        return [{key: entry[key] for key in recorded} for entry in record["entries"]]

    assert contents(copy) == contents(original)
    levels = [entry["assessment"]["level"] for entry in original["entries"]]
    assert [entry["assessment"]["level"] for entry in copy["entries"]] == levels
    assert copy["answers"]["answers"] == original["answers"]["answers"]
    assert copy["questionnaires"][0]["answers"] == OSWESTRY
    again = api.post("/v1/me/import/fhir", headers=other, content=bundle)
    assert again.json()["entries"] == 0  # importing twice adds nothing


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("body", "reason"), [
    (b"not json", "not JSON"), (b'{"resourceType": "Patient"}', "not a FHIR Bundle"),
    (b'{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": '
     b'"QuestionnaireResponse", "status": "completed", "questionnaire": "urn:spinecheck:fhir:Questionnaire:'
     b'diary-entry", "item": [{"linkId": "back_pain", "answer": [{"valueInteger": 42}]}]}}]}', "back_pain"),
])
def test_a_bad_import_is_refused_and_stores_nothing(api: TestClient, body: bytes, reason: str) -> None:
    me = api_person(api, "ann@example.org")
    response = api.post("/v1/me/import/fhir", headers=me, content=body)
    assert response.status_code == 422 and reason in response.json()["detail"]
    assert api.get("/v1/diary/entries", headers=me).json() == []


@settings(max_examples=40, deadline=None)
@given(
    replies=st.dictionaries(st.sampled_from(["low_back_pain", "fever", "leg_pain", "saddle_numbness", "night_pain"]),
                            st.sampled_from(["yes", "no", "unknown"])),
    age=st.none() | st.integers(0, 130), sex=st.none() | st.sampled_from(["female", "male"]),
)
def test_one_questionnaire_response_round_trips_any_answers(replies: dict[str, str], age: int | None,
                                                            sex: str | None) -> None:
    answers = PersonAnswers.model_validate({"answers": replies, "age": age, "sex": sex})
    assert response_to_answers(answers_to_response(answers)) == answers


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_pdf_report_puts_the_summary_on_its_first_page(api: TestClient) -> None:
    me = fill(api)
    response = api.get("/v1/diary/report?format=pdf", headers=me)
    assert response.headers["content-type"] == "application/pdf"
    pages = PdfReader(BytesIO(response.content)).pages
    first = pages[0].extract_text()
    for expected in ("summary for the doctor", "EMERGENCY", "Cauda equina", "How it started", "Sudden onset",
                     "Oswestry Disability Index", "40%", "Pain over time", "Spread since to"):
        assert expected in first, expected
    rest = " ".join(" ".join(page.extract_text() for page in pages[1:]).split())
    assert "Every entry" in rest and "trouble peeing since last night" in rest


def test_deleting_everything_leaves_no_row_behind(api: TestClient) -> None:
    me = fill(api)
    bob = api_person(api, "bob@example.org")
    api.post("/v1/diary/entries", headers=bob, json={"back_pain": 1})
    store = api.app.state.storage  # type: ignore[attr-defined]
    ann_id = api.get("/v1/me", headers=me).json()["id"]
    assert store.rows_owned(ann_id) > 5
    assert api.delete("/v1/me", headers=me).status_code == 204
    assert store.rows_owned(ann_id) == 0
    assert api.get("/v1/me", headers=me).status_code == 401
    assert len(api.get("/v1/diary/entries", headers=bob).json()) == 1


def test_deleting_everything_leaves_no_byte_of_it_in_the_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "spinecheck.db"
    app = create_app(AppSettings(database_url=sqlite_url(path), secret_key="k"))
    marker = "UNIQUE-MARKER-7f3a9c"
    with TestClient(app) as client:
        me = api_person(client, f"{marker.lower()}@example.org")
        for day in range(1, 21):
            client.post("/v1/diary/entries", headers=me,
                        json={"recorded_at": f"2026-03-{day:02d}T08:00:00Z", "notes": f"{marker} day {day}"})
        assert marker.encode() in b"".join(p.read_bytes() for p in tmp_path.glob("spinecheck.db*"))
        assert client.delete("/v1/me", headers=me).status_code == 204
        for leftover in tmp_path.glob("spinecheck.db*"):
            data = leftover.read_bytes()
            assert marker.encode() not in data and marker.lower().encode() not in data, leftover.name
