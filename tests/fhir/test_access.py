"""Who may call the FHIR endpoints: 401 without credentials, bearer tokens, read-only roles,
CSRF for session writes, 405 for a wrong method, and an OperationOutcome every time."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.fhir.conftest import as_user, fhir, outcome, post, put, search
from unknot.api.tokens import token_create, token_revoke
from unknot.fhir.registry import REGISTRY

TYPE_URLS = sorted(f"/fhir/{name}" for name, kind in REGISTRY.items() if kind.search or kind.create)
INSTANCE_URLS = sorted(f"/fhir/{name}/1" for name, kind in REGISTRY.items() if kind.read)


@pytest.mark.parametrize("url", TYPE_URLS + INSTANCE_URLS)
def test_anonymous_callers_get_401_with_an_operation_outcome(db, url):
    response = Client().get(url)
    if response.status_code == 405:  # POST-only: the method is wrong for everyone
        assert outcome(response, 405)
        return
    assert "Bearer" in outcome(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_bearer_token_acts_as_its_user(cast):
    _, token = token_create(user=cast.therapist_a, name="EHR link")
    response = Client().get("/fhir/Patient", HTTP_AUTHORIZATION=f"Bearer {token}")
    names = [e["resource"]["name"][0]["family"] for e in fhir(response)["entry"]]
    assert names == ["Parker"]  # clinic A's patient only, as for the therapist's own session


def test_a_revoked_or_unknown_token_is_refused_even_beside_a_session(cast):
    row, token = token_create(user=cast.therapist_a, name="old")
    token_revoke(user=cast.therapist_a, token_id=row.pk)
    client = as_user(cast.therapist_a)
    for header in (f"Bearer {token}", "Bearer unk_nonsense", "Basic dXNlcjpwdw=="):
        response = client.get("/fhir/Patient", HTTP_AUTHORIZATION=header)
        assert "not valid" in outcome(response, 401)


def test_the_auditor_reads_but_every_write_is_403(cast):
    auditor = as_user(cast.auditor)
    assert fhir(auditor.get("/fhir/Patient"))["total"] == 1
    body = {"resourceType": "Appointment", "status": "booked", "participant": []}
    appointment = {"resourceType": "Appointment", "id": "1", "status": "cancelled",
                   "participant": [{"status": "accepted"}]}  # fmt: skip
    assert "read" in outcome(post(auditor, "/fhir/Appointment", body), 403)
    assert "read" in outcome(put(auditor, "/fhir/Appointment/1", appointment), 403)
    response = auditor.patch(
        "/fhir/Appointment/1", "[]", content_type="application/json-patch+json"
    )
    assert "read" in outcome(response, 403)
    answers = {"resourceType": "QuestionnaireResponse", "status": "completed"}
    assert "read" in outcome(post(auditor, "/fhir/QuestionnaireResponse", answers), 403)


def test_the_auditor_is_refused_with_a_token_too(cast):
    _, token = token_create(user=cast.auditor, name="audit")
    body = {"resourceType": "Appointment", "status": "booked", "participant": []}
    response = post(Client(), "/fhir/Appointment", body, HTTP_AUTHORIZATION=f"Bearer {token}")
    outcome(response, 403)


def test_a_session_write_needs_the_csrf_token_but_a_bearer_write_does_not(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.therapist_a)
    body = {"resourceType": "Appointment", "status": "proposed", "participant": []}
    assert "CSRF" in outcome(post(client, "/fhir/Appointment", body), 403)
    _, token = token_create(user=cast.therapist_a, name="EHR")
    tokened = Client(enforce_csrf_checks=True)
    response = post(tokened, "/fhir/Appointment", body, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "status booked" in outcome(response, 400)  # past the CSRF check, to the rules


def test_wrong_methods_get_405_with_allow(cast):
    client = as_user(cast.therapist_a)
    response = client.delete("/fhir/Patient/1")
    assert outcome(response, 405) and response["Allow"] == "GET, HEAD"
    assert outcome(client.post("/fhir/Patient", {}), 405)
    assert outcome(client.get(reverse("fhir:questionnaireresponse_type")), 405)
    assert outcome(as_user(None).post("/fhir/metadata"), 405)


def test_bodies_must_be_fhir_json_and_valid_r4(cast):
    client = as_user(cast.therapist_a)
    url = "/fhir/Appointment"
    assert outcome(client.post(url, "x=1", content_type="text/plain"), 415)
    assert "JSON" in outcome(client.post(url, "{", content_type="application/fhir+json"), 400)
    assert "Appointment" in outcome(post(client, url, {"resourceType": "Patient"}), 400)
    not_r4 = {"resourceType": "Appointment", "status": "booked", "participant": [],
              "colour": "blue"}  # fmt: skip
    assert "colour" in outcome(post(client, url, not_r4), 400)
    no_participant = {"resourceType": "Appointment", "status": "booked"}
    assert "participant" in outcome(post(client, url, no_participant), 400)


def test_unknown_search_parameters_are_refused_not_ignored(cast):
    client = as_user(cast.therapist_a)
    message = outcome(client.get("/fhir/Patient", {"family": "Parker"}), 400)
    assert "family" in message and "name" in message
    assert outcome(client.get("/fhir/Patient", {"_count": "1000"}), 400)
    assert outcome(client.get("/fhir/Patient", {"_count": "-1"}), 400)
    assert outcome(search(client, "Patient", {"birthdate": "yesterday"}), 400)
    assert outcome(search(client, "Patient", {"name": ""}), 400)
    assert outcome(client.get("/fhir/Patient", {"_format": "xml"}), 406)
    assert fhir(client.get("/fhir/Patient", {"_format": "json"}))["total"] == 1
