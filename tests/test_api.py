"""The REST API: the contract, problem documents naming the field at fault, limits and headers."""

from __future__ import annotations

from typing import Any

import pytest

from spinecheck.core.assessment import Assessment
from spinecheck.core.model import CompiledModel
from spinecheck.services.assessment import assess_evidence, make_evidence

SCIATICA = {
    "present": [
        "low_back_pain", "leg_pain", "leg_pain_below_knee", "leg_pain_unilateral", "weakness_big_toe_extension",
    ],
    "absent": ["saddle_numbness", "bladder_retention", "fever"],
    "age": 42,
    "sex": "male",
}


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_assess_returns_the_same_assessment_as_the_service(client: Any, model: CompiledModel) -> None:
    response = client.post("/v1/assess", json=SCIATICA)
    assert response.status_code == 200
    served = Assessment.model_validate(response.json())
    args = (SCIATICA["present"], SCIATICA["absent"], SCIATICA["age"], SCIATICA["sex"])
    direct = assess_evidence(make_evidence(*args), model)  # type: ignore[arg-type]
    assert served == direct
    assert served.triage.level == "routine"
    assert served.conditions[0].id == "lumbar_disc_herniation"


def test_assess_accepts_the_vignette_findings_map(client: Any) -> None:
    mapped = {"findings": {f: True for f in SCIATICA["present"]} | {f: False for f in SCIATICA["absent"]},
              "age": 42, "sex": "male"}
    assert client.post("/v1/assess", json=mapped).json() == client.post("/v1/assess", json=SCIATICA).json()


def test_assess_reports_where_the_server_spent_its_time(client: Any) -> None:
    timing = client.post("/v1/assess", json=SCIATICA).headers["server-timing"]
    assert [part.split(";")[0] for part in timing.split(", ")] == ["parse", "engine", "serialise"]


def test_lost_bladder_control_is_an_emergency(client: Any) -> None:
    body = client.post("/v1/assess", json={"present": ["low_back_pain", "urinary_incontinence", "saddle_numbness"]})
    assert body.json()["triage"]["level"] == "emergency"


def test_an_unknown_finding_names_its_field_and_the_nearest_ids(client: Any) -> None:
    body = problem(client.post("/v1/assess", json={"present": ["low_back_pain", "low_back_pan"]}), 422)
    assert body["errors"][0]["field"] == "present[1]"
    assert "low_back_pain" in body["suggestions"]


def test_an_unknown_condition_is_a_404_with_suggestions(client: Any) -> None:
    body = problem(client.get("/v1/conditions/lumbar_disc_hernation"), 404)
    assert body["suggestions"][0] == "lumbar_disc_herniation"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"age": -3}, "age"),
        ({"age": 10**30}, "age"),
        ({"age": "forty"}, "age"),
        ({"sex": "other"}, "sex"),
        ({"present": "low_back_pain"}, "present"),
        ({"findings": {"fever": "yes"}}, "findings.fever"),
        ({"colour": "red"}, "colour"),
    ],
    ids=["negative-age", "huge-age", "age-as-text", "unknown-sex", "list-as-string", "wrong-map-value", "extra-field"],
)
def test_bad_input_names_the_field_at_fault(client: Any, payload: dict[str, Any], field: str) -> None:
    body = problem(client.post("/v1/assess", json=payload), 422)
    assert body["errors"][0]["field"].startswith(field)


def test_malformed_json_is_a_400(client: Any) -> None:
    problem(client.post("/v1/assess", content=b"{not json", headers={"content-type": "application/json"}), 400)


def test_contradictory_findings_are_refused(client: Any) -> None:
    body = problem(client.post("/v1/assess", json={"present": ["fever"], "absent": ["fever"]}), 422)
    assert "fever" in body["detail"]


def test_html_in_input_is_never_echoed_as_html(client: Any) -> None:
    response = client.post("/v1/assess", json={"present": ["<script>alert(1)</script>"]})
    problem(response, 422)
    assert response.headers["x-content-type-options"] == "nosniff"
    page = client.get("/conditions/<script>alert(1)<%2Fscript>")
    assert "<script>alert(1)" not in page.text


def test_bodies_over_64_kib_are_refused(client: Any) -> None:
    big = {"text": "my back hurts " * 6000}
    problem(client.post("/v1/assess", json=big), 413)


def test_every_response_carries_the_security_headers(client: Any) -> None:
    for path in ("/", "/v1/kb", "/v1/nowhere", "/static/style.css"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_wrong_method_is_a_problem_document(client: Any) -> None:
    problem(client.get("/v1/assess"), 405)


def test_parse_reads_a_description(client: Any) -> None:
    body = client.post("/v1/parse", json={"text": "My lower back hurts and I am 45."}).json()
    assert "low_back_pain" in [finding["id"] for finding in body["present"]]
    assert body["age"] == 45


def test_assess_reads_text_and_stated_findings_together(client: Any) -> None:
    body = client.post("/v1/assess", json={"text": "My back hurts", "absent": ["fever"], "age": 45}).json()
    assert "fever" in body["findings"]["absent"] and "low_back_pain" in body["findings"]["present"]
    assert body["age"] == 45


def test_assess_reports_text_and_stated_findings_that_disagree_and_reads_them_the_safer_way(client: Any) -> None:
    body = client.post("/v1/assess", json={"text": "I have a fever and back pain", "absent": ["fever"]}).json()
    assert [item["findings"] for item in body["contradictions"]] == [["fever"]]
    assert "fever" in body["findings"]["present"]
    assert body["triage"]["level"] in ("urgent", "emergency")


def test_assess_returns_the_open_warning_sign_questions_and_the_care(client: Any) -> None:
    body = client.post("/v1/assess", json={"present": ["low_back_pain"], "age": 40}).json()
    assert body["status"] == "incomplete" and body["triage"]["level"] != "self_care"
    assert body["open_questions"] and all(question["items"] for question in body["open_questions"])
    assert body["care"]["condition"] == body["conditions"][0]["id"] and body["care"]["specialist"]
    assert body["conditions"][0]["summary"]


def test_interview_is_stateless_and_ends_in_a_result(client: Any) -> None:
    payload: dict[str, Any] = {"state": {"age": 40, "sex": "male"}}
    for _ in range(60):
        step = client.post("/v1/interview", json=payload).json()
        if step["result"] is not None:
            break
        question = step["question"]
        assert question["kind"] in ("boolean", "choice", "checklist", "scale")
        # "no", "none of these", or the bottom of a scale (no pain at all); test results not had: don't know
        offers_none = any(option["id"] == "none" for option in question["options"])
        reply = {"boolean": "no", "scale": question["options"][0]["id"]}.get(
            question["kind"], "none" if offers_none else "unknown"
        )
        payload = {"state": step["state"], "reply": {"question": question["id"], "answer": reply}}
        assert client.post("/v1/interview", json=payload).json() == client.post("/v1/interview", json=payload).json()
    assert step["result"]["triage"]["level"] in ("self_care", "routine")
    assert step["stopped"] is not None


def test_interview_ticks_checklist_items_and_reports_what_the_reply_answered(client: Any) -> None:
    first = client.post("/v1/interview", json={"state": {"age": 50, "sex": "male"}}).json()
    question = first["question"]
    item = question["findings"][0]
    step = client.post(
        "/v1/interview", json={"state": first["state"], "reply": {"question": question["id"], "answer": [item]}}
    ).json()
    assert step["state"]["answers"][item] == "yes"
    assert set(step["answered"]) == set(question["findings"])


def test_interview_refuses_an_answer_that_does_not_fit(client: Any) -> None:
    first = client.post("/v1/interview", json={}).json()
    reply = {"question": first["question"]["id"], "answer": "maybe"}
    body = problem(client.post("/v1/interview", json={"state": first["state"], "reply": reply}), 422)
    assert body["errors"][0]["field"] == "reply"


def test_interview_refuses_unknown_findings_in_the_state(client: Any) -> None:
    body = problem(client.post("/v1/interview", json={"state": {"answers": {"fevr": "yes"}}}), 422)
    assert body["errors"][0]["field"] == "state.answers.fevr"
    assert "fever" in body["suggestions"]


def test_interview_starts_from_a_description(client: Any) -> None:
    step = client.post("/v1/interview", json={"text": "I have had a fever for two days and my back hurts"}).json()
    assert step["state"]["answers"].get("fever") == "yes"


def test_the_knowledge_base_resources(client: Any, model: CompiledModel) -> None:
    kb = client.get("/v1/kb").json()
    assert kb["version"] == model.kb.version and kb["hash"] == model.kb.content_hash
    assert len(kb["sources"]) == len(model.kb.sources)
    assert len(client.get("/v1/conditions").json()) == len(model.kb.conditions)
    assert len(client.get("/v1/findings").json()) == len(model.kb.findings)
    card = client.get("/v1/conditions/sciatica").json()  # an alias finds the card too
    assert card["id"] == "lumbar_disc_herniation" and card["top_symptoms"] and card["sources"]
    assert client.get("/healthz").json()["status"] == "ok"


def test_body_map_marks_become_findings(client: Any) -> None:
    marks = [{"mode": "pain", "spot": "lower_back"}, {"mode": "weak", "spot": "left_foot_top"}]
    body = client.post("/v1/body-map", json={"marks": marks}).json()
    assert {"low_back_pain", "weakness_big_toe_extension", "leg_weakness_unilateral"} <= set(body["present"])
    assert body["sides"]["weakness_big_toe_extension"] == "left"
    wrong = problem(client.post("/v1/body-map", json={"marks": [{"mode": "pain", "spot": "left_kne"}]}), 422)
    assert wrong["errors"][0]["field"] == "marks[0].spot" and "left_knee" in wrong["suggestions"]


def test_openapi_document_describes_every_route_and_the_problem(client: Any) -> None:
    document = client.get("/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert {"/v1/assess", "/v1/parse", "/v1/interview", "/v1/conditions", "/v1/conditions/{condition_id}",
            "/v1/findings", "/v1/kb", "/healthz"} <= set(document["paths"])
    assert "Problem" in document["components"]["schemas"]
    assert not any(path.startswith("/check") for path in document["paths"])
