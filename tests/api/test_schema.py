"""The OpenAPI document: generated without warnings, valid OpenAPI 3, about /api/v1/ only,
and honest about errors and credentials on every operation."""

from typing import Any

import pytest
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema


@pytest.fixture
def schema(db: None) -> dict[str, Any]:
    GENERATOR_STATS.reset()
    response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert not GENERATOR_STATS, "schema generation warned; run `manage spectacular --validate`"
    found: dict[str, Any] = response.json()
    return found


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_the_schema_is_valid_openapi_3(schema: dict[str, Any]) -> None:
    validate_schema(schema)
    assert schema["openapi"].startswith("3.") and schema["info"]["version"] == "1"
    assert {path.split("/")[3] for path in schema["paths"]} == {
        "clinics", "therapists", "appointment-types", "availability", "appointments",
        "patients", "intakes", "plans", "visits", "outcomes", "home-logs", "coverages",
        "charges", "payments",
    }  # fmt: skip


def test_every_operation_documents_its_errors(schema: dict[str, Any]) -> None:
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        for code in ("400", "401", "404"):
            assert responses[code]["content"]["application/json"]["schema"] == error, (path, code)
        public = {} in operation["security"]
        assert ("403" in responses) != public, (path, method)
    booking = schema["paths"]["/api/v1/appointments/"]["post"]["responses"]
    assert "409" in booking and "201" in booking
    paying = schema["paths"]["/api/v1/payments/"]["post"]
    assert "201" in paying["responses"] and "403" in paying["responses"]
    fields = schema["components"]["schemas"]["PaymentInRequest"]["properties"]
    assert {"patient", "method", "amount", "received_on", "payer"} <= set(fields)


def test_lists_document_their_filters_sorts_and_pages(schema: dict[str, Any]) -> None:
    listing = schema["paths"]["/api/v1/outcomes/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    paging = {"sort", "cursor", "page_size"}
    assert {"patient", "episode", "instrument", "from", "to", *paging} <= names
    sort = next(p for p in listing["parameters"] if p["name"] == "sort")
    assert "-measured_on" in sort["schema"]["enum"]


def test_tokens_are_the_documented_credentials(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "An API token (unk_...).",
    }  # fmt: skip
