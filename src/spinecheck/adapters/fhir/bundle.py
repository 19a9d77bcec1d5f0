"""Everything about one person as a FHIR R4 Bundle, and the same Bundle read back.

The Bundle (type `collection`) holds:
- Patient: the person's email and sex;
- QuestionnaireResponse: the check answers, each diary entry, each STarT Back / Oswestry;
- Observation: each pain score (LOINC 72514-3), the walking distance, and each finding an entry
  states (SNOMED CT where the knowledge base has a code), derived from the entry's response;
- Condition: the differential of the latest assessment, the first `provisional`, the rest
  `differential` (SNOMED CT and ICD-10 from the knowledge base);
- RiskAssessment: the triage level with its reasons and advice, and each condition's probability.
Every resource is built as a dict and validated by fhir.resources' R4B models (ADR 0010).
Import reads the QuestionnaireResponses back; everything else is recomputed from them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from spinecheck.adapters.fhir.coding import (
    CHECK_QUESTIONNAIRE,
    CONDITION_CLINICAL,
    CONDITION_SYSTEM,
    CONDITION_VERIFICATION,
    DIARY_QUESTIONNAIRE,
    DIARY_SYSTEM,
    FINDING_SYSTEM,
    ICD10,
    INSTRUMENT_QUESTIONNAIRE,
    LOINC,
    OBSERVATION_CATEGORY,
    PAIN_SCORE_LOINC,
    QUALITATIVE_RISK,
    RISK_PROBABILITY,
    SNOMED,
    TRIAGE_SYSTEM,
    UCUM,
    coding,
    concept,
)
from spinecheck.adapters.fhir.questionnaire import (
    FhirError,
    answers_to_response,
    entry_to_response,
    questionnaire_to_response,
    response_to_answers,
    response_to_entry,
    response_to_questionnaire,
)
from spinecheck.core.assessment import Assessment
from spinecheck.core.body_map import BodyMap
from spinecheck.core.diary import DiaryEntry, DiaryMapping, read_entry
from spinecheck.core.kb.loader import KnowledgeBase
from spinecheck.core.record import ImportedEntry, ImportedRecord, PersonRecord

MAX_CONDITIONS = 5
PAIN_SITES = {"back_pain": "Lower back", "leg_pain_left": "Left leg", "leg_pain_right": "Right leg"}


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _patient(record: PersonRecord) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient", "telecom": [{"system": "email", "value": record.account.email}],
    }
    if record.answers is not None and record.answers.sex is not None:
        patient["gender"] = record.answers.sex
    return patient


def _observation(subject: str, code: dict[str, Any], moment: datetime, derived: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "status": "final",
        "category": [concept(coding(OBSERVATION_CATEGORY, "survey", "Survey"))],
        "code": code, "subject": {"reference": subject}, "effectiveDateTime": moment.isoformat(),
        "derivedFrom": [{"reference": derived}], **value,
    }


def _entry_observations(kb: KnowledgeBase, mapping: DiaryMapping, body_map: BodyMap, entry: DiaryEntry,
                        subject: str, derived: str) -> list[dict[str, Any]]:
    observations: list[dict[str, Any]] = []
    labels = {score.id: score.label for score in mapping.scores}
    for field, site in PAIN_SITES.items():
        value = getattr(entry, field)
        if value is None:
            continue
        code = concept(coding(LOINC, PAIN_SCORE_LOINC, "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
                       coding(DIARY_SYSTEM, field, labels.get(field)), text=labels.get(field, field))
        observations.append(_observation(
            subject, code, entry.recorded_at, derived, bodySite={"text": site},
            valueQuantity={"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"},
        ))
    if entry.walking_distance_m is not None:
        observations.append(_observation(
            subject, concept(coding(DIARY_SYSTEM, "walking_distance_m", "Walking distance before pain stops"),
                             text="Walking distance before pain stops"),
            entry.recorded_at, derived,
            valueQuantity={"value": entry.walking_distance_m, "unit": "m", "system": UCUM, "code": "m"},
        ))
    reading = read_entry(mapping, body_map, entry)
    for finding in sorted(reading.present):
        spec = kb.findings[finding]
        codings = [coding(SNOMED, spec.snomed, spec.label)] if spec.snomed else []
        codings.append(coding(FINDING_SYSTEM, finding, spec.label))
        extra: dict[str, Any] = {"valueBoolean": True}
        if finding in reading.sides:
            extra["bodySite"] = {"text": f"{reading.sides[finding]} side"}
        observations.append(_observation(subject, concept(*codings, text=spec.label), entry.recorded_at, derived,
                                         **extra))
    return observations


def _conditions(kb: KnowledgeBase, assessment: Assessment, subject: str, moment: datetime) -> list[dict[str, Any]]:
    conditions: list[dict[str, Any]] = []
    for rank, item in enumerate(assessment.conditions[:MAX_CONDITIONS]):
        spec = kb.conditions[item.id]
        status = "provisional" if rank == 0 else "differential"
        conditions.append({
            "resourceType": "Condition",
            "clinicalStatus": concept(coding(CONDITION_CLINICAL, "active", "Active")),
            "verificationStatus": concept(coding(CONDITION_VERIFICATION, status, status.capitalize())),
            "code": concept(coding(SNOMED, spec.snomed, spec.name), coding(ICD10, spec.icd10),
                            coding(CONDITION_SYSTEM, spec.id, spec.name), text=spec.name),
            "subject": {"reference": subject}, "recordedDate": moment.isoformat(),
            "note": [{"text": f"Estimated probability {item.probability:.3f} from the person's answers and diary "
                              f"(spinecheck knowledge base {assessment.kb_version}); not a diagnosis."}],
        })
    return conditions


def _risk_assessment(kb: KnowledgeBase, assessment: Assessment, subject: str, moment: datetime,
                     basis: Sequence[str]) -> dict[str, Any]:
    level = assessment.triage.level
    predictions: list[dict[str, Any]] = [{
        "outcome": concept(coding(TRIAGE_SYSTEM, level.value, assessment.triage.headline),
                           text=f"Triage level: {level.value}"),
        "qualitativeRisk": concept(coding(RISK_PROBABILITY, QUALITATIVE_RISK[level])),
        "rationale": " ".join(assessment.triage.reasons)[:4000],
    }]
    for item in assessment.conditions[:MAX_CONDITIONS]:
        spec = kb.conditions[item.id]
        predictions.append({
            "outcome": concept(
                coding(SNOMED, spec.snomed, spec.name), coding(CONDITION_SYSTEM, spec.id), text=spec.name,
            ),
            "probabilityDecimal": round(item.probability, 6),
        })
    notes = [{"text": f"Red flag: {flag.name}. {flag.message}"} for flag in assessment.red_flags]
    notes.append({"text": assessment.disclaimer})
    return {
        "resourceType": "RiskAssessment", "status": "final", "subject": {"reference": subject},
        "occurrenceDateTime": moment.isoformat(),
        "code": concept(coding(TRIAGE_SYSTEM, "triage", "spinecheck triage"), text="spinecheck triage"),
        "method": {"text": f"spinecheck knowledge base {assessment.kb_version} ({assessment.kb_hash[:12]})"},
        "basis": [{"reference": reference} for reference in basis],
        "prediction": predictions, "mitigation": assessment.triage.advice, "note": notes,
    }


def export_bundle(kb: KnowledgeBase, mapping: DiaryMapping, body_map: BodyMap, record: PersonRecord,
                  latest: Assessment | None) -> dict[str, Any]:
    """The person's record as a FHIR R4 Bundle (validated with the R4B models), as JSON-ready data."""
    patient_ref = _urn()
    resources: list[tuple[str, dict[str, Any]]] = [(patient_ref, _patient(record))]
    basis: list[str] = []
    labels = {finding.id: finding.label for finding in kb.findings.values()}
    spot_labels = {spot.id: spot.label for spot in body_map.spots}
    if record.answers is not None:
        reference = _urn()
        resources.append((reference, answers_to_response(record.answers, patient_ref, labels)))
        basis.append(reference)
    for answers in record.questionnaires:
        resources.append((_urn(), questionnaire_to_response(answers, patient_ref)))
    for entry in sorted(record.entries, key=lambda item: item.recorded_at):
        reference = _urn()
        resources.append((reference, entry_to_response(entry.id, entry, patient_ref, spot_labels)))
        basis.append(reference)
        resources += [(_urn(), observation)
                      for observation in _entry_observations(kb, mapping, body_map, entry, patient_ref, reference)]
    if latest is not None:
        resources += [(_urn(), condition) for condition in _conditions(kb, latest, patient_ref, record.exported_at)]
        resources.append((_urn(), _risk_assessment(kb, latest, patient_ref, record.exported_at, basis)))
    bundle = {
        "resourceType": "Bundle", "type": "collection", "timestamp": record.exported_at.isoformat(),
        "entry": [{"fullUrl": reference, "resource": resource} for reference, resource in resources],
    }
    try:
        validated = Bundle.model_validate(bundle)
    except ValidationError as error:  # a bug in this module, never the person's input
        raise FhirError(f"the bundle does not validate: {error.errors()[0]}") from None
    data: dict[str, Any] = json.loads(validated.model_dump_json(exclude_none=True, by_alias=True))
    return data


def read_bundle(raw: bytes | str | Mapping[str, Any]) -> ImportedRecord:
    """The answers, questionnaires and diary entries in a Bundle exported by `export_bundle`."""
    try:
        data = json.loads(raw) if isinstance(raw, bytes | str) else dict(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise FhirError("the file is not JSON") from None
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        raise FhirError("the file is not a FHIR Bundle")
    try:
        Bundle.model_validate(data)
    except ValidationError as error:
        detail = error.errors()[0]
        where = ".".join(map(str, detail["loc"]))
        raise FhirError(f"the Bundle is not valid FHIR R4: {where}: {detail['msg']}") from None
    imported = ImportedRecord()
    for position, item in enumerate(data.get("entry") or []):
        resource = item.get("resource") if isinstance(item, Mapping) else None
        if not isinstance(resource, Mapping) or resource.get("resourceType") != "QuestionnaireResponse":
            continue
        questionnaire = str(resource.get("questionnaire", ""))
        try:
            if questionnaire == CHECK_QUESTIONNAIRE:
                imported.answers = response_to_answers(resource)
            elif questionnaire == DIARY_QUESTIONNAIRE:
                entry_id, entry = response_to_entry(resource)
                imported.entries.append(ImportedEntry(id=entry_id or str(uuid.uuid4()), entry=entry))
            elif questionnaire.startswith(INSTRUMENT_QUESTIONNAIRE):
                imported.questionnaires.append(response_to_questionnaire(resource))
        except FhirError as error:
            raise FhirError(f"entry[{position}]: {error}") from None
    return imported
