"""Shared pieces of the FHIR tests: a client per persona, and validation with the FHIR R4 models."""

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from tests.calendar import Calendar

FHIR_JSON = "application/fhir+json"
FORM = "application/x-www-form-urlencoded"


def valid(body: dict[str, Any]) -> dict[str, Any]:
    """Checks `body` with fhirclient's R4 models in strict mode (raises FHIRValidationError);
    a Bundle's entries are checked as the resource types they name."""
    FHIRElementFactory.instantiate(body["resourceType"], body)
    return body


def fhir(response: Any, status: int = 200) -> dict[str, Any]:
    """The response's FHIR body, after checking status, media type and validity."""
    assert response.status_code == status, response.content.decode()[:800]
    assert response["Content-Type"].startswith(FHIR_JSON)
    return valid(json.loads(response.content))


def outcome(response: Any, status: int) -> str:
    """The diagnostics of an OperationOutcome answer with `status`."""
    body = fhir(response, status)
    assert body["resourceType"] == "OperationOutcome"
    diagnostics = body["issue"][0]["diagnostics"]
    assert diagnostics
    return str(diagnostics)


def as_user(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, path: str, body: Any, **headers: Any) -> Any:
    return client.post(path, json.dumps(body), content_type=FHIR_JSON, **headers)


def put(client: Client, path: str, body: Any, **headers: Any) -> Any:
    return client.put(path, json.dumps(body), content_type=FHIR_JSON, **headers)


def search(client: Client, resource_type: str, params: dict[str, Any], **headers: Any) -> Any:
    """POST [type]/_search with the parameters in a form body (never in the URL)."""
    body = urlencode(params, doseq=True)
    return client.post(f"/fhir/{resource_type}/_search", body, content_type=FORM, **headers)


def ids(bundle: dict[str, Any]) -> list[str]:
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


@dataclass
class Practice(Calendar):
    """The shared calendar, with the FHIR Schedule id of therapist A at clinic A."""

    def schedule_a(self) -> str:
        return f"{self.cast.therapist_a.staff_member.pk}-{self.cast.clinic_a.pk}"


@pytest.fixture
def practice(calendar: Calendar) -> Practice:
    """Both clinics open 08-18 on weekdays, their therapists work those hours."""
    return Practice(**vars(calendar))
