"""The diary over the API: entries (each re-triaged, with an `alert` flag), charts and the report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Response

from spinecheck.adapters.reports.html import content_security_policy
from spinecheck.core.diary import DiaryEntry, DiaryEntryIn
from spinecheck.interfaces import diary_io
from spinecheck.interfaces.api.deps import ModelDep
from spinecheck.interfaces.api.schemas import SavedEntry
from spinecheck.interfaces.http.auth import ApiAccount, StorageDep
from spinecheck.services import diary

router = APIRouter(prefix="/diary", tags=["diary"])

EntryId = Annotated[str, Path(max_length=100)]
NOT_YOURS = "There is no diary entry with this id in your diary."


def _saved(entry: DiaryEntry) -> SavedEntry:
    return SavedEntry(alert=entry.alert, level=entry.assessment.level, entry=entry)


@router.post("/entries", response_model=SavedEntry, status_code=201)
def add_entry(body: DiaryEntryIn, account: ApiAccount, store: StorageDep, model: ModelDep) -> SavedEntry:
    """Record an entry. It is assessed at once with your latest answers; `alert` is true when it raised a new
    red flag, weakness in new places or a sharp worsening (`entry.alerts` says what and what to do).
    The response comes only after the entry is stored."""
    return _saved(diary.add_entry(model, store, account.id, body))


@router.get("/entries", response_model=list[DiaryEntry])
def list_entries(account: ApiAccount, store: StorageDep) -> list[DiaryEntry]:
    """All your entries, oldest first."""
    return diary.list_entries(store, account.id)


@router.get("/entries/{entry_id}", response_model=DiaryEntry)
def get_entry(account: ApiAccount, store: StorageDep, entry_id: EntryId) -> DiaryEntry:
    found = store.entry(account.id, entry_id)
    if found is None:
        raise HTTPException(status_code=404, detail=NOT_YOURS)
    return found


@router.put("/entries/{entry_id}", response_model=SavedEntry)
def change_entry(body: DiaryEntryIn, account: ApiAccount, store: StorageDep, model: ModelDep,
                 entry_id: EntryId) -> SavedEntry:
    """Replace an entry's contents; it is re-triaged against the entry before it."""
    return _saved(diary.change_entry(model, store, account.id, entry_id, body))


@router.delete("/entries/{entry_id}", status_code=204, response_class=Response)
def delete_entry(account: ApiAccount, store: StorageDep, entry_id: EntryId) -> Response:
    diary.delete_entry(store, account.id, entry_id)
    return Response(status_code=204)


@router.get("/charts/{name}", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}, "description": "An SVG chart."}})
def chart(account: ApiAccount, store: StorageDep, model: ModelDep,
          name: Literal["pain", "weakness", "walking"]) -> Response:
    """A chart of your entries over time as SVG: pain, weak and numb places, or walking distance."""
    return Response(diary_io.charts(model, diary.list_entries(store, account.id))[name], media_type="image/svg+xml")


@router.get("/report", response_class=Response,
            responses={200: {"content": {"text/html": {}, "application/pdf": {}}, "description": "The report."}})
def report(account: ApiAccount, store: StorageDep, model: ModelDep,
           format: Literal["html", "pdf"] = "html") -> Response:
    """The report for the doctor: a first page to read in two minutes, then the detail (HTML or PDF)."""
    if format == "pdf":
        return Response(diary_io.report_pdf(model, store, account), media_type="application/pdf",
                        headers={"Content-Disposition": 'attachment; filename="spinecheck-report.pdf"'})
    return Response(diary_io.report_html(model, store, account), media_type="text/html",
                    headers={"Content-Security-Policy": content_security_policy()})
