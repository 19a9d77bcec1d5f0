"""The web pages without a browser: every step works as plain HTML forms, and bad input gets a clear message."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spinecheck.core.interview import question_by_id
from spinecheck.core.model import CompiledModel
from spinecheck.services.interview import patient_reply
from web_support import hidden_state


@pytest.mark.parametrize("path", ["/", "/check", "/conditions", "/about", "/conditions/cauda_equina_syndrome"])
def test_pages_render(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "<main" in response.text and "999" in response.text


def test_the_library_lists_every_condition_of_the_knowledge_base(client: Any, model: CompiledModel) -> None:
    page = client.get("/conditions").text
    assert all(f'href="/conditions/{condition}"' in page for condition in model.kb.conditions)


def test_the_about_page_lists_every_source(client: Any, model: CompiledModel) -> None:
    page = client.get("/about").text
    assert all(f'id="source-{source}"' in page for source in model.kb.sources)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"age": "-4", "how": "questions"}, "whole years"),
        ({"age": "99999999999999999999", "how": "questions"}, "whole years"),
        ({"age": "forty", "how": "questions"}, "whole years"),
        ({"age": "40", "sex": "<b>x</b>", "how": "questions"}, "female, male"),
        ({"age": "40"}, "how you would like to start"),
    ],
    ids=["negative-age", "huge-age", "age-as-words", "unknown-sex", "no-choice"],
)
def test_about_you_explains_what_is_wrong(client: Any, form: dict[str, str], message: str) -> None:
    response = client.post("/check/start", data=form)
    assert response.status_code == 422
    assert message in response.text
    assert "<b>x</b>" not in response.text


def test_a_description_is_read_and_never_echoed_as_html(client: Any) -> None:
    start = client.post("/check/start", data={"age": "40", "how": "describe"})
    text = "My lower back hurts <script>alert(1)</script> and I have a fever"
    page = client.post("/check/describe", data={"state": json.dumps(hidden_state(start.text)), "text": text})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert hidden_state(page.text)["answers"].get("fever") == "yes"


def test_an_empty_description_is_refused(client: Any) -> None:
    start = client.post("/check/start", data={"how": "describe"})
    page = client.post("/check/describe", data={"state": json.dumps(hidden_state(start.text)), "text": "  "})
    assert page.status_code == 422 and "a few words" in page.text


@pytest.mark.parametrize(
    "state", ["", "{not json", json.dumps({"answers": {"fevr": "yes"}}), json.dumps({"age": -1}), "x" * 70_000]
)
def test_a_tampered_state_is_a_clear_error(client: Any, state: str) -> None:
    for path in ("/check/answer", "/check/back", "/check/result", "/check/body-map", "/check/describe"):
        response = client.post(path, data={"state": state, "question": "x", "reply": "yes"})
        assert response.status_code in (400, 413), path
        assert "<main" in response.text or response.headers["content-type"] == "application/problem+json"


def test_body_map_marks_become_answers_with_their_side(client: Any) -> None:
    start = client.post("/check/start", data={"age": "40", "sex": "male", "how": "questions"})
    marks = ["pain:lower_back", "pain:left_calf", "numb:left_foot_top", "weak:left_foot_top"]
    page = client.post("/check/body-map", data={"state": json.dumps(hidden_state(start.text)), "mark": marks})
    state = hidden_state(page.text)
    for finding in ("low_back_pain", "leg_pain_below_knee", "numbness_foot_top_big_toe", "weakness_big_toe_extension"):
        assert state["answers"][finding] == "yes"
    assert state["sides"]["weakness_big_toe_extension"] == "left"


def test_an_unknown_body_map_place_is_refused(client: Any) -> None:
    start = client.post("/check/start", data={"how": "questions"})
    page = client.post("/check/body-map", data={"state": json.dumps(hidden_state(start.text)), "mark": ["pain:tail"]})
    assert page.status_code == 422


def test_questions_go_back_and_forth_without_javascript(client: Any) -> None:
    start = client.post("/check/start", data={"age": "40", "sex": "male", "how": "questions"})
    first = client.post("/check/body-map", data={"state": json.dumps(hidden_state(start.text))})
    question = first.text.split('name="question" value="')[1].split('"')[0]
    second = client.post(
        "/check/answer", data={"state": json.dumps(hidden_state(first.text)), "question": question, "reply": "none"}
    )
    assert len(hidden_state(second.text)["turns"]) == 1
    back = client.post("/check/back", data={"state": json.dumps(hidden_state(second.text))})
    assert hidden_state(back.text) == hidden_state(first.text)
    unanswered = client.post(
        "/check/answer", data={"state": json.dumps(hidden_state(first.text)), "question": question, "reply": "picked"}
    )
    assert unanswered.status_code == 422 and "choose an answer" in unanswered.text


def test_the_pain_scale_is_one_pick_from_0_to_10(client: Any) -> None:
    start = client.post("/check/start", data={"age": "40", "sex": "male", "how": "questions"})
    marks = {"state": json.dumps(hidden_state(start.text)), "mark": ["pain:lower_back"]}
    page = client.post("/check/body-map", data=marks)
    state = hidden_state(page.text)
    state["answers"].update({"leg_pain": "no", "buttock_pain": "no"})  # where it hurts is settled
    scale = client.post("/check/answer", data={"state": json.dumps(state), "question": "pain_where", "reply": "none"})
    assert 'name="question" value="pain_severity"' in scale.text
    assert all(f'id="pick-{number}"' in scale.text for number in range(11)) and 'value="none"' not in scale.text
    eight = {"state": json.dumps(hidden_state(scale.text)), "question": "pain_severity", "reply": "picked", "pick": "8"}
    answered = client.post("/check/answer", data=eight)
    assert hidden_state(answered.text)["answers"]["severe_pain"] == "yes"


def test_a_result_with_warning_signs_unanswered_lists_them_and_gives_the_care(client: Any) -> None:
    state = {"age": 40, "sex": "male", "answers": {"low_back_pain": "yes"}}
    page = client.post("/check/result", data={"state": json.dumps(state)}).text
    assert 'data-level="routine"' in page  # never self care while the warning signs are open
    assert "Questions still open" in page and "Losing control of your bladder" in page
    assert "Who can help:" in page


def test_the_checklist_of_test_results_has_no_none_of_these_button(client: Any, model: CompiledModel) -> None:
    """Answered as a person with back pain, severe, diabetes and months of it, the check comes to the test results
    (ADR 0024): having had no test is "don't know", never "none of these"."""
    knows = {"low_back_pain": True, "severe_pain": True, "diabetes": True, "duration_chronic": True}
    start = client.post("/check/start", data={"age": "75", "sex": "male", "how": "questions"})
    page = client.post("/check/body-map", data={"state": json.dumps(hidden_state(start.text))})
    for _ in range(25):
        if 'name="question"' not in page.text:
            break
        question_id = page.text.split('name="question" value="')[1].split('"')[0]
        if question_id == "test_results":
            assert 'value="none"' not in page.text and 'value="unknown"' in page.text
            return
        reply = patient_reply(question_by_id(model, question_id), knows)
        form: dict[str, Any] = {"state": json.dumps(hidden_state(page.text)), "question": question_id}
        kind = question_by_id(model, question_id).kind
        if kind in ("checklist", "choice", "scale") and reply not in ("none", "unknown"):
            form.update({"reply": "picked", "pick": reply.split(",")})
        else:
            form["reply"] = reply
        page = client.post("/check/answer", data=form)
        assert page.status_code == 200, page.text[:300]
    raise AssertionError("the check never came to the test results")
