"""FHIR R4: a person's record as a Bundle and back, and one QuestionnaireResponse <-> answers (R4B models)."""

from spinecheck.adapters.fhir.bundle import export_bundle, read_bundle
from spinecheck.adapters.fhir.questionnaire import (
    FhirError,
    answers_to_response,
    entry_to_response,
    response_to_answers,
    response_to_entry,
)

__all__ = [
    "FhirError", "answers_to_response", "entry_to_response", "export_bundle", "read_bundle", "response_to_answers",
    "response_to_entry",
]
