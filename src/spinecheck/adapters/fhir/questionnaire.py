"""One QuestionnaireResponse <-> one set of answers, and <-> one diary entry or questionnaire.

`answers_to_response` / `response_to_answers` are the mapping for a person's check answers
(finding id -> yes / no / unknown, age, sex, the side of one-sided findings): one item per
finding, `linkId` the finding id, the answer a Y / N coding (HL7 v2 table 0136) or the null
flavour UNK. Batch triage reads the same function for each line of an NDJSON file.
Each response is validated with the R4B model of fhir.resources before it is returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from spinecheck.adapters.fhir.coding import (
    CHECK_QUESTIONNAIRE,
    DIARY_QUESTIONNAIRE,
    ENTRY_ID_SYSTEM,
    GENDER,
    INSTRUMENT_QUESTIONNAIRE,
    NULL_FLAVOR,
    OPTION_SYSTEM,
    SPOT_SYSTEM,
    YES_NO,
    coding,
)
from spinecheck.core.diary import DiaryEntryIn, PersonAnswers, QuestionnaireAnswers
from spinecheck.core.localisation import Side

REPLY_CODES = {"yes": coding(YES_NO, "Y", "Yes"), "no": coding(YES_NO, "N", "No"),
               "unknown": coding(NULL_FLAVOR, "UNK", "unknown")}
SIDE_SUFFIX = ".side"
SIDES: tuple[Side, ...] = ("left", "right", "both")


class FhirError(ValueError):
    """A resource that is not what spinecheck can read; the message says what is wrong."""


def _validated(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as the R4B model writes it (raises FhirError when it is not valid)."""
    try:
        model = QuestionnaireResponse.model_validate(resource)
    except ValidationError as error:
        raise FhirError(f"not a valid QuestionnaireResponse: {error.errors()[0]['msg']}") from None
    data: dict[str, Any] = model.model_dump(mode="json", exclude_none=True, by_alias=True)
    return data


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _response(questionnaire: str, items: list[dict[str, Any]], subject: str | None, authored: datetime | None,
              identifier: dict[str, Any] | None = None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "questionnaire": questionnaire,
                                "status": "completed"}
    if identifier:
        resource["identifier"] = identifier
    if subject:
        resource["subject"] = {"reference": subject}
    if authored:
        resource["authored"] = _iso(authored)
    if items:
        resource["item"] = items
    return _validated(resource)


# ---------------------------------------------------------------------------
# Check answers
# ---------------------------------------------------------------------------


def answers_to_response(answers: PersonAnswers, subject: str | None = None,
                        labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A person's check answers as one QuestionnaireResponse (`labels` adds each finding's text)."""
    items: list[dict[str, Any]] = []
    if answers.age is not None:
        items.append({"linkId": "age", "text": "Age in years", "answer": [{"valueInteger": answers.age}]})
    if answers.sex is not None:
        items.append({"linkId": "sex", "text": "Sex", "answer": [{"valueCoding": coding(GENDER, answers.sex)}]})
    for finding, reply in sorted(answers.answers.items()):
        item: dict[str, Any] = {"linkId": finding, "answer": [{"valueCoding": REPLY_CODES[reply]}]}
        if labels and finding in labels:
            item["text"] = labels[finding]
        items.append(item)
    for finding, side in sorted(answers.sides.items()):
        items.append({"linkId": finding + SIDE_SUFFIX, "answer": [{"valueString": side}]})
    return _response(CHECK_QUESTIONNAIRE, items, subject, answers.updated_at)


def _first_answer(item: Mapping[str, Any]) -> Mapping[str, Any]:
    answers = item.get("answer") or []
    if not answers or not isinstance(answers[0], Mapping):
        raise FhirError(f"item '{item.get('linkId')}' has no answer")
    first: Mapping[str, Any] = answers[0]
    return first


def response_to_answers(resource: Mapping[str, Any]) -> PersonAnswers:
    """The check answers in a QuestionnaireResponse (the reverse of `answers_to_response`).

    Finding ids are not checked against a knowledge base here; the service that uses the answers does.
    """
    data = _validated(dict(resource))
    replies: dict[str, str] = {}
    sides: dict[str, Side] = {}
    age: int | None = None
    sex: str | None = None
    by_code = {(c["system"], c["code"]): reply for reply, c in REPLY_CODES.items()}
    for item in data.get("item", []):
        link = str(item.get("linkId", ""))
        answer = _first_answer(item)
        if link == "age":
            age = answer.get("valueInteger")
        elif link == "sex":
            sex = (answer.get("valueCoding") or {}).get("code")
        elif link.endswith(SIDE_SUFFIX):
            side = answer.get("valueString")
            if side not in SIDES:
                raise FhirError(f"item '{link}': the side must be left, right or both")
            sides[link.removesuffix(SIDE_SUFFIX)] = side
        else:
            value = answer.get("valueCoding") or {}
            reply = by_code.get((value.get("system"), value.get("code")))
            if reply is None:
                raise FhirError(f"item '{link}': the answer must be Y, N (v2-0136) or UNK (NullFlavor)")
            replies[link] = reply
    try:
        return PersonAnswers.model_validate({"answers": replies, "age": age, "sex": sex, "sides": sides,
                                             "updated_at": data.get("authored")})
    except ValidationError as error:
        raise FhirError(f"the answers cannot be read: {error.errors()[0]['msg']}") from None


# ---------------------------------------------------------------------------
# Diary entries and questionnaires
# ---------------------------------------------------------------------------

SCALAR_INTEGERS = ("back_pain", "leg_pain_left", "leg_pain_right", "walking_distance_m")
SCALAR_BOOLEANS = ("fever", "sleep_disturbed")
SPOT_LISTS = ("weakness", "numbness")
OPTION_LISTS = ("bladder", "bowel", "sexual_function")


def entry_to_response(entry_id: str, entry: DiaryEntryIn, subject: str | None = None,
                      spot_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One diary entry as a QuestionnaireResponse: `authored` is when it describes, every field an item."""
    items: list[dict[str, Any]] = []
    for field in SCALAR_INTEGERS:
        value = getattr(entry, field)
        if value is not None:
            items.append({"linkId": field, "answer": [{"valueInteger": value}]})
    for field in SCALAR_BOOLEANS:
        value = getattr(entry, field)
        if value is not None:
            items.append({"linkId": field, "answer": [{"valueBoolean": value}]})
    for field in SPOT_LISTS:
        spots = getattr(entry, field)
        if spots:
            labels = spot_labels or {}
            items.append({"linkId": field, "answer": [
                {"valueCoding": coding(SPOT_SYSTEM, spot, labels.get(spot))} for spot in spots
            ]})
    for field in OPTION_LISTS:
        options = entry.changes(field)
        if options is not None:
            item: dict[str, Any] = {"linkId": field}
            if options:
                item["answer"] = [{"valueCoding": coding(f"{OPTION_SYSTEM}:{field}", option)} for option in options]
            items.append(item)
    if entry.medicines:
        items.append({"linkId": "medicines", "answer": [{"valueString": name} for name in entry.medicines]})
    if entry.notes:
        items.append({"linkId": "notes", "answer": [{"valueString": entry.notes}]})
    return _response(DIARY_QUESTIONNAIRE, items, subject, entry.recorded_at,
                     identifier={"system": ENTRY_ID_SYSTEM, "value": entry_id})


def response_to_entry(resource: Mapping[str, Any]) -> tuple[str | None, DiaryEntryIn]:
    """The entry id (when the response carries one) and the entry (the reverse of `entry_to_response`)."""
    data = _validated(dict(resource))
    fields: dict[str, Any] = {"recorded_at": data.get("authored")}
    for item in data.get("item", []):
        link = str(item.get("linkId", ""))
        answers = [answer for answer in item.get("answer", []) if isinstance(answer, Mapping)]
        if link in SCALAR_INTEGERS:
            fields[link] = _first_answer(item).get("valueInteger")
        elif link in SCALAR_BOOLEANS:
            fields[link] = _first_answer(item).get("valueBoolean")
        elif link in SPOT_LISTS or link in OPTION_LISTS:
            fields[link] = [str((answer.get("valueCoding") or {}).get("code", "")) for answer in answers]
        elif link == "medicines":
            fields[link] = [str(answer.get("valueString", "")) for answer in answers]
        elif link == "notes":
            fields[link] = str(_first_answer(item).get("valueString", ""))
    identifier = data.get("identifier") or {}
    entry_id = identifier.get("value") if identifier.get("system") == ENTRY_ID_SYSTEM else None
    try:
        return entry_id, DiaryEntryIn.model_validate(fields)
    except ValidationError as error:
        detail = error.errors()[0]
        where = ".".join(str(part) for part in detail["loc"])
        raise FhirError(f"a diary entry cannot be read: {where}: {detail['msg']}") from None


def questionnaire_to_response(answers: QuestionnaireAnswers, subject: str | None = None) -> dict[str, Any]:
    """A filled-in STarT Back or Oswestry as a QuestionnaireResponse (skipped items have no answer)."""
    items = [
        {"linkId": item_id, **({"answer": [{"valueInteger": code}]} if code is not None else {})}
        for item_id, code in answers.answers.items()
    ]
    return _response(INSTRUMENT_QUESTIONNAIRE + answers.instrument, items, subject, answers.answered_at)


def response_to_questionnaire(resource: Mapping[str, Any]) -> QuestionnaireAnswers:
    data = _validated(dict(resource))
    instrument = str(data.get("questionnaire", "")).removeprefix(INSTRUMENT_QUESTIONNAIRE)
    codes: dict[str, int | None] = {}
    for item in data.get("item", []):
        answers = item.get("answer") or []
        codes[str(item.get("linkId"))] = answers[0].get("valueInteger") if answers else None
    try:
        return QuestionnaireAnswers(instrument=instrument, answers=codes, answered_at=data.get("authored"))
    except ValidationError as error:
        raise FhirError(f"a questionnaire cannot be read: {error.errors()[0]['msg']}") from None
