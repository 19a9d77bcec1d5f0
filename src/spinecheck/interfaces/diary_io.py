"""What the CLI, the API and the web pages share for the diary's outputs: charts, the report, FHIR.

The services gather the person's record; the adapters draw it (SVG, HTML, PDF) or map it (FHIR).
This module only puts the two together, so every interface gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from spinecheck.adapters.fhir import FhirError, export_bundle, read_bundle
from spinecheck.adapters.reports.charts import diary_charts
from spinecheck.adapters.reports.html import render_report
from spinecheck.adapters.reports.pdf import html_to_pdf
from spinecheck.core.accounts import Account
from spinecheck.core.diary import DiaryEntry, EntryError, chart_series
from spinecheck.core.model import CompiledModel, EvidenceError
from spinecheck.services import diary
from spinecheck.services import export as export_service
from spinecheck.services.diary import DiaryStore


class ImportFailedError(ValueError):
    """An import that cannot be stored; nothing was stored. The message says why."""


def charts(model: CompiledModel, entries: list[DiaryEntry]) -> dict[str, str]:
    """The three SVG charts (pain, weak and numb places, walking distance) of these entries."""
    mapping = diary.knowledge(model).mapping
    return diary_charts(chart_series(entries, mapping), diary.score_labels(model))


def report_html(model: CompiledModel, store: DiaryStore, account: Account) -> str:
    report = export_service.report(model, store, account)
    entries = store.entries(account.id)
    policy = model.kb.policy
    return render_report(report, charts(model, entries), policy.disclaimer, policy.emergency_services)


def report_pdf(model: CompiledModel, store: DiaryStore, account: Account) -> bytes:
    return html_to_pdf(report_html(model, store, account))


def fhir_bundle(model: CompiledModel, store: DiaryStore, account: Account) -> dict[str, Any]:
    record = export_service.gather(model, store, account)
    known = diary.knowledge(model)
    return export_bundle(model.kb, known.mapping, known.body_map, record,
                         export_service.latest_assessment(model, record))


def import_fhir(model: CompiledModel, store: DiaryStore, account: Account, raw: bytes | str) -> export_service.Restored:
    """Restore a Bundle made by `fhir_bundle` into this person's diary (all of it, or nothing)."""
    try:
        imported = read_bundle(raw)
        return export_service.restore(model, store, account, imported)
    except (FhirError, EntryError, EvidenceError) as error:
        raise ImportFailedError(str(error)) from None
    except ValueError as error:  # a questionnaire that cannot be scored
        raise ImportFailedError(str(error)) from None
