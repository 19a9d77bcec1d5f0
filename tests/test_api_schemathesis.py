"""Property-based checks of the whole API against its own OpenAPI document (schemathesis).

For generated valid and invalid requests on every operation: never a server error, every status
code and content type documented, every body matching its schema. Bounded: a few dozen examples
per operation, deterministic, no deadline (the machine is shared).
"""

from __future__ import annotations

import warnings
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.generation.case import Case

from spinecheck.interfaces.http.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    schema = schemathesis.openapi.from_asgi("/v1/openapi.json", create_app())



def invalid_data_rejected(ctx: Any, response: Any, case: Case) -> bool | None:
    """Invalid requests are refused; a body over the size limit (413) is refused too, before validation."""
    if response.status_code == 413:
        return None
    return checks.negative_data_rejection(ctx, response, case)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    invalid_data_rejected,
]


@schema.parametrize()
@settings(
    max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_api_conforms_to_its_openapi_document(case: Case) -> None:
    case.call_and_validate(checks=CHECKS)
