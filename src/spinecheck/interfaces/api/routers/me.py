"""Everything about you: your account, your latest answers, questionnaires, export, import and deletion."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from spinecheck.core.accounts import Account
from spinecheck.core.diary import PersonAnswers, QuestionnaireAnswers
from spinecheck.core.record import PersonRecord
from spinecheck.interfaces import diary_io
from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.api.schemas import ImportResult, QuestionnaireRequest
from spinecheck.interfaces.http.auth import ApiAccount, StorageDep
from spinecheck.services import accounts, diary
from spinecheck.services import export as export_service
from spinecheck.services.diary import QuestionnaireScore

router = APIRouter(prefix="/me", tags=["you"])


@router.get("", response_model=Account)
def me(account: ApiAccount) -> Account:
    return account


@router.get("/answers", response_model=PersonAnswers | None)
def get_answers(account: ApiAccount, store: StorageDep) -> PersonAnswers | None:
    """Your latest check answers (null when none are saved)."""
    return store.answers(account.id)


@router.put("/answers", response_model=PersonAnswers)
def put_answers(body: PersonAnswers, account: ApiAccount, store: StorageDep, model: ModelDep) -> PersonAnswers:
    """Save your latest check answers (finding id -> yes / no / unknown); every diary entry is assessed with them."""
    return diary.save_answers(model, store, account.id, body)


@router.post("/questionnaires", response_model=QuestionnaireScore, status_code=201)
def questionnaire(body: QuestionnaireRequest, account: ApiAccount, store: StorageDep) -> QuestionnaireScore:
    """Save and score a filled-in STarT Back or Oswestry."""
    answers = QuestionnaireAnswers(instrument=body.instrument, answers=body.answers)
    return diary.save_questionnaire(store, account.id, answers)


@router.get("/export", response_model=PersonRecord)
def export(account: ApiAccount, store: StorageDep, model: ModelDep) -> PersonRecord:
    """Everything stored about you, as JSON."""
    return export_service.gather(model, store, account)


@router.get("/export/fhir", response_class=Response,
            responses={200: {"content": {"application/fhir+json": {}}, "description": "A FHIR R4 Bundle."}})
def export_fhir(account: ApiAccount, store: StorageDep, model: ModelDep) -> Response:
    """Everything stored about you as a FHIR R4 Bundle (Patient, QuestionnaireResponses, Observations,
    Conditions for the differential, a RiskAssessment for the triage)."""
    return Response(json.dumps(diary_io.fhir_bundle(model, store, account)), media_type="application/fhir+json")


@router.post("/import/fhir", response_model=ImportResult)
async def import_fhir(request: Request, account: ApiAccount, store: StorageDep, model: ModelDep) -> ImportResult:
    """Restore a Bundle made by `GET /v1/me/export/fhir` into your diary (all of it or nothing; entries you
    already have are skipped). The body is the Bundle itself (up to 16 MiB)."""
    raw = await request.body()
    restored = diary_io.import_fhir(model, store, account, raw)
    return ImportResult(entries=restored.entries, questionnaires=restored.questionnaires, answers=restored.answers)


@router.delete("", status_code=204, response_class=Response)
def delete_me(account: ApiAccount, store: StorageDep) -> Response:
    """Delete your account and everything stored about you. Nothing is left in the database."""
    accounts.delete_everything(store, account)
    return Response(status_code=204)
