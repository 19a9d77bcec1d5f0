"""Code systems and codes the FHIR export uses, in one place.

Standard codes where they exist (LOINC for the 0-10 pain score, SNOMED CT and ICD-10 for
findings and conditions from the knowledge base, HL7's own code systems for statuses); a
spinecheck namespace (`urn:spinecheck:fhir:...`) for what has no standard code.
"""

from __future__ import annotations

from typing import Any

from spinecheck.core.triage_levels import TriageLevel

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
UCUM = "http://unitsofmeasure.org"
YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136"
NULL_FLAVOR = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
GENDER = "http://hl7.org/fhir/administrative-gender"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"

PAIN_SCORE_LOINC = "72514-3"
"""LOINC: Pain severity - 0-10 verbal numeric rating [Score] - Reported."""

NAMESPACE = "urn:spinecheck:fhir"
FINDING_SYSTEM = f"{NAMESPACE}:finding"
DIARY_SYSTEM = f"{NAMESPACE}:diary"
SPOT_SYSTEM = f"{NAMESPACE}:body-map-spot"
OPTION_SYSTEM = f"{NAMESPACE}:diary-option"
TRIAGE_SYSTEM = f"{NAMESPACE}:triage-level"
ENTRY_ID_SYSTEM = f"{NAMESPACE}:diary-entry-id"
CONDITION_SYSTEM = f"{NAMESPACE}:condition"

CHECK_QUESTIONNAIRE = f"{NAMESPACE}:Questionnaire:check-answers"
DIARY_QUESTIONNAIRE = f"{NAMESPACE}:Questionnaire:diary-entry"
INSTRUMENT_QUESTIONNAIRE = f"{NAMESPACE}:Questionnaire:instrument:"
"""Followed by the instrument id (start_back, oswestry)."""

QUALITATIVE_RISK = {
    TriageLevel.EMERGENCY: "high",
    TriageLevel.URGENT: "moderate",
    TriageLevel.ROUTINE: "low",
    TriageLevel.SELF_CARE: "negligible",
}


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"system": system, "code": code}
    if display:
        found["display"] = display
    return found


def concept(*codings: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"coding": list(codings)}
    if text:
        found["text"] = text
    return found
