"""The diary on the web: a quick entry form, the list with charts and alerts, the report, questionnaires.

Every page needs a signed-in person and shows only their records: an entry id that is not theirs
gets the same "not found" page as one that does not exist. Every form carries a CSRF token.
After a new entry the browser is sent to the diary page, which puts the entry's alerts first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from spinecheck.adapters.reports.html import content_security_policy
from spinecheck.core.accounts import Account
from spinecheck.core.diary import (
    NUMB_MODE,
    WEAK_MODE,
    DiaryEntry,
    DiaryEntryIn,
    EntryError,
    PersonAnswers,
    QuestionnaireAnswers,
)
from spinecheck.core.instruments import load_instrument
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.interfaces import diary_io
from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.http import auth
from spinecheck.interfaces.http.auth import StorageDep
from spinecheck.interfaces.web.pages import render
from spinecheck.interfaces.web.routes.account import gate
from spinecheck.interfaces.web.routes.check import StateError, read_state
from spinecheck.services import diary
from spinecheck.services.diary import INSTRUMENTS, EntryNotFoundError

router = APIRouter(prefix="/diary", include_in_schema=False)

MAX_FORM_FIELDS = 200
SCORE_FIELDS = ("back_pain", "leg_pain_left", "leg_pain_right")
PDF_NAME = "spinecheck-report.pdf"


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number(form: FormData, name: str) -> int | str | None:
    raw = _text(form.get(name))
    if not raw:
        return None
    return int(raw) if raw.isdigit() else raw


def entry_from_form(form: FormData, mapping_groups: list[str]) -> dict[str, Any]:
    """The form's fields as the entry model's input (checked by the same model the API uses)."""
    data: dict[str, Any] = {field: _number(form, field) for field in (*SCORE_FIELDS, "walking_distance_m")}
    when = _text(form.get("recorded_at"))
    data["recorded_at"] = when or None
    data["weakness"] = [v for v in form.getlist("weak") if isinstance(v, str)][:50]
    data["numbness"] = [v for v in form.getlist("numb") if isinstance(v, str)][:50]
    for group in mapping_groups:
        ticked = [v for v in form.getlist(group) if isinstance(v, str)][:20]
        data[group] = ticked or None
    data["fever"] = True if form.get("fever") else None
    data["sleep_disturbed"] = True if form.get("sleep_disturbed") else None
    medicines = _text(form.get("medicines"))
    data["medicines"] = [name.strip() for name in medicines.split(",") if name.strip()][:30]
    data["notes"] = _text(form.get("notes"))[:5000]
    return data


def _form_errors(error: ValidationError) -> dict[str, str]:
    messages: dict[str, str] = {}
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else "form"
        messages.setdefault(field, str(detail["msg"]).removeprefix("Value error, "))
    return messages


def _form_page(request: Request, model: CompiledModel, values: dict[str, Any], errors: dict[str, str],
               entry_id: str | None = None, status_code: int = 200) -> Response:
    known = diary.knowledge(model)
    return render(
        request, "diary_entry.html", status_code=status_code, values=values, errors=errors, entry_id=entry_id,
        weak_spots=known.body_map.spots_for(WEAK_MODE), numb_spots=known.body_map.spots_for(NUMB_MODE),
        changes=known.mapping.changes, flags=known.mapping.flags, scores=known.mapping.scores,
    )


def _values(entry: DiaryEntryIn | None) -> dict[str, Any]:
    if entry is None:
        now = datetime.now(UTC)
        return {"recorded_at": now.strftime("%Y-%m-%dT%H:%M"), "weakness": [], "numbness": []}
    values = entry.model_dump()
    if entry.recorded_at is not None:
        values["recorded_at"] = entry.recorded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    values["medicines"] = ", ".join(entry.medicines)
    return values


async def _posted(request: Request) -> tuple[FormData, Account | Response]:
    """The posted form, and the signed-in person (or the response to send instead)."""
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    return form, gate(request, form.get(auth.CSRF_FIELD))


def _not_found(request: Request) -> Response:
    return render(request, "error.html", status_code=404, status=404, title="No such diary entry",
                  detail="There is no entry with this address in your diary.")


async def _save(request: Request, model: CompiledModel, entry_id: str | None) -> Response:
    form, account = await _posted(request)
    if isinstance(account, Response):
        return account
    store = request.app.state.storage
    groups = [group.id for group in diary.knowledge(model).mapping.changes]
    raw = entry_from_form(form, groups)
    try:
        entry = DiaryEntryIn.model_validate(raw)
        if entry_id is None:
            saved = diary.add_entry(model, store, account.id, entry)
        else:
            saved = diary.change_entry(model, store, account.id, entry_id, entry)
    except ValidationError as error:
        return _form_page(request, model, raw, _form_errors(error), entry_id, status_code=422)
    except EntryError as error:
        return _form_page(request, model, raw, {error.field.split("[")[0]: str(error)}, entry_id, status_code=422)
    except EntryNotFoundError:
        return _not_found(request)
    return RedirectResponse(f"/diary?saved={saved.id}", status_code=303)


@router.get("")
def diary_page(request: Request, store: StorageDep, model: ModelDep, saved: str | None = None) -> Response:
    account = auth.web_account(request)
    if account is None:
        return render(request, "diary_welcome.html")
    entries = diary.list_entries(store, account.id)
    just_saved: DiaryEntry | None = next((e for e in entries if e.id == saved), None) if saved else None
    return render(
        request, "diary.html", entries=list(reversed(entries)), saved=just_saved,
        charts=diary_io.charts(model, entries), answers=store.answers(account.id),
        scores=diary.latest_scores(store, account.id),
    )


@router.get("/new")
def new_entry(request: Request, model: ModelDep) -> Response:
    account = gate(request)
    if isinstance(account, Response):
        return account
    return _form_page(request, model, _values(None), {})


@router.post("/entries")
async def add_entry(request: Request, model: ModelDep) -> Response:
    return await _save(request, model, None)


@router.get("/entries/{entry_id}")
def show_entry(request: Request, store: StorageDep, model: ModelDep, entry_id: str) -> Response:
    account = gate(request)
    if isinstance(account, Response):
        return account
    found = store.entry(account.id, entry_id[:100])
    if found is None:
        return _not_found(request)
    return _form_page(request, model, _values(found), {}, entry_id=found.id)


@router.post("/entries/{entry_id}")
async def change_entry(request: Request, model: ModelDep, entry_id: str) -> Response:
    return await _save(request, model, entry_id[:100])


@router.post("/entries/{entry_id}/delete")
async def delete_entry(request: Request, store: StorageDep, entry_id: str) -> Response:
    _, account = await _posted(request)
    if isinstance(account, Response):
        return account
    try:
        diary.delete_entry(store, account.id, entry_id[:100])
    except EntryNotFoundError:
        return _not_found(request)
    return RedirectResponse("/diary", status_code=303)


@router.get("/report")
def report(request: Request, store: StorageDep, model: ModelDep) -> Response:
    """The report for the doctor as a page of its own (it carries its own stylesheet, allowed by hash)."""
    account = gate(request)
    if isinstance(account, Response):
        return account
    return Response(diary_io.report_html(model, store, account), media_type="text/html",
                    headers={"Content-Security-Policy": content_security_policy()})


@router.get("/report.pdf")
def report_pdf(request: Request, store: StorageDep, model: ModelDep) -> Response:
    account = gate(request)
    if isinstance(account, Response):
        return account
    return Response(diary_io.report_pdf(model, store, account), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{PDF_NAME}"'})


@router.get("/charts/{name}.svg")
def chart(request: Request, store: StorageDep, model: ModelDep, name: str) -> Response:
    account = gate(request)
    if isinstance(account, Response):
        return account
    charts = diary_io.charts(model, diary.list_entries(store, account.id))
    if name not in charts:
        return render(request, "error.html", status_code=404, status=404, title="No such chart",
                      detail=f"The charts are: {', '.join(charts)}.")
    return Response(charts[name], media_type="image/svg+xml")


@router.post("/answers")
async def save_answers(request: Request, model: ModelDep) -> Response:
    """Keep the answers of a finished check, so every diary entry is assessed with them."""
    form, account = await _posted(request)
    if isinstance(account, Response):
        return account
    try:
        check = read_state(model, _text(form.get("state")) or None)
    except StateError:
        return render(request, "error.html", status_code=400, status=400, title="Your answers could not be read",
                      detail="The page did not carry your answers; nothing was saved.")
    answers = PersonAnswers(answers=dict(check.answers), age=check.age, sex=check.sex, sides=dict(check.sides))
    try:
        diary.save_answers(model, request.app.state.storage, account.id, answers)
    except EvidenceError:
        return render(request, "error.html", status_code=422, status=422, title="Your answers could not be saved",
                      detail="Some answers are not known to this version of spinecheck.")
    return RedirectResponse("/diary?answers=saved", status_code=303)


@router.get("/questionnaires/{instrument}")
def questionnaire_page(request: Request, instrument: str) -> Response:
    account = gate(request)
    if isinstance(account, Response):
        return account
    if instrument not in INSTRUMENTS:
        return render(request, "error.html", status_code=404, status=404, title="No such questionnaire",
                      detail=f"The questionnaires are: {', '.join(INSTRUMENTS)}.")
    return render(request, "questionnaire.html", instrument=load_instrument(instrument), values={}, error="",
                  result=None)


@router.post("/questionnaires/{instrument}")
async def questionnaire_answers(request: Request, instrument: str) -> Response:
    form, account = await _posted(request)
    if isinstance(account, Response):
        return account
    if instrument not in INSTRUMENTS:
        return render(request, "error.html", status_code=404, status=404, title="No such questionnaire",
                      detail=f"The questionnaires are: {', '.join(INSTRUMENTS)}.")
    spec = load_instrument(instrument)
    values: dict[str, int | None] = {}
    for item in spec.items:
        raw = _text(form.get(item.id))
        values[item.id] = int(raw) if raw.isdigit() else None
    try:
        result = diary.save_questionnaire(request.app.state.storage, account.id,
                                          QuestionnaireAnswers(instrument=instrument, answers=values))
    except ValueError as error:
        return render(request, "questionnaire.html", status_code=422, instrument=spec, values=values,
                      error=str(error), result=None)
    return render(request, "questionnaire.html", instrument=spec, values=values, error="", result=result)
