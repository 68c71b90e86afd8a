"""A person's whole record as a FHIR Bundle and a PDF, from the portal and the staff area.

The demo practice holds full episodes of care (intake, evaluation, signed plan, visits, home
sessions), so every kind of resource the export makes is in it. Bundles are validated with
fhirclient's R4 models in strict mode, the whole and every entry.
"""

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from tests.exports.worker import summary_pdf
from tests.fhir.conftest import valid
from tests.plans.test_home_programme import pdf_text
from unknot.audit.models import AuditEvent
from unknot.booking.models import Appointment, Status
from unknot.demo.load import load_demo
from unknot.patients.models import Patient
from unknot.plans.models import ExerciseLog, PlanGoal
from unknot.records.models import OutcomeScore, Visit

BASE = "http://testserver/fhir/"
EXPECTED_TYPES = {
    "Patient", "Location", "Practitioner", "Appointment", "QuestionnaireResponse",
    "Observation", "CarePlan", "Goal", "Encounter", "DocumentReference", "Coverage",
}  # fmt: skip


@pytest.fixture
def demo(db: None) -> None:
    load_demo()


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def alvarez() -> Patient:
    return Patient.objects.get(user__username="patient.alvarez")


def bundle_of(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    body = valid(json.loads(response.content))
    for entry in body["entry"]:  # each entry on its own too, as the type it names
        FHIRElementFactory.instantiate(entry["resource"]["resourceType"], entry["resource"])
    return body


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def references(value: Any) -> list[str]:
    """Every `reference` anywhere inside a resource."""
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in references(v)]
    if isinstance(value, list):
        return [r for v in value for r in references(v)]
    return []


def test_a_person_downloads_their_whole_record_as_a_valid_bundle(demo: None) -> None:
    patient = alvarez()
    bundle = bundle_of(signed_in("patient.alvarez").get(reverse("exports:my_bundle")))
    assert bundle["type"] == "collection" and bundle["total"] == len(bundle["entry"])
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == EXPECTED_TYPES
    [me] = resources(bundle, "Patient")
    assert me["id"] == str(patient.pk) and me["name"][0]["family"] == "Alvarez"
    assert me["gender"] == "female"  # the demo's record, as the portal shows it
    assert me["address"][0]["line"] == ["18 Ropewalk Lane", "Apt 2"]
    assert (me["address"][0]["state"], me["address"][0]["postalCode"]) == ("ME", "04101")

    mine = Appointment.objects.filter(patient=patient).exclude(status=Status.HELD)
    assert sorted(int(a["id"]) for a in resources(bundle, "Appointment")) == sorted(
        mine.values_list("pk", flat=True)
    )
    scores = OutcomeScore.objects.filter(episode__patient=patient)
    sessions = ExerciseLog.objects.filter(episode__patient=patient)
    observations = resources(bundle, "Observation")
    assert len(observations) == scores.count() + sessions.count() and sessions.exists()
    assert {o["id"] for o in observations} >= {
        str(pk) for pk in scores.values_list("pk", flat=True)
    }
    goals = PlanGoal.objects.filter(plan__episode__patient=patient, plan__status="signed")
    assert {g["id"] for g in resources(bundle, "Goal")} == {str(g.pk) for g in goals}
    plans = resources(bundle, "CarePlan")
    home = [p for p in plans if p["id"].startswith("home-")]
    assert home and home[0]["partOf"][0]["reference"] in {f"CarePlan/{p['id']}" for p in plans}

    # Every resource is about this person, and nobody else is in the file.
    patients = {r for e in bundle["entry"] for r in references(e["resource"]) if "Patient/" in r}
    assert patients == {f"Patient/{patient.pk}"}


def test_every_reference_resolves_inside_the_bundle(
    demo: None, django_assert_max_num_queries: Any
) -> None:
    client = signed_in("patient.alvarez")
    with django_assert_max_num_queries(30):  # a query per kind of row, not per row
        bundle = bundle_of(client.get(reverse("exports:my_bundle")))
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(full_urls) == len(bundle["entry"])
    for entry in bundle["entry"]:
        for reference in references(entry["resource"]):
            resolved = reference if reference.startswith("urn:uuid:") else BASE + reference
            assert resolved in full_urls, f"{reference} in {entry['fullUrl']}"


def test_visit_notes_are_documents_with_the_therapists_words(demo: None) -> None:
    patient = alvarez()
    bundle = bundle_of(signed_in("patient.alvarez").get(reverse("exports:my_bundle")))
    signed = Visit.objects.filter(episode__patient=patient, signed_at__isnull=False)
    encounters = resources(bundle, "Encounter")
    assert {e["id"] for e in encounters if e["id"].startswith("visit-")} == {
        f"visit-{pk}" for pk in signed.values_list("pk", flat=True)
    }
    notes = {d["id"]: d for d in resources(bundle, "DocumentReference")}
    visit = signed.order_by("number").last()
    text = base64.b64decode(notes[f"visit-note-{visit.pk}"]["content"][0]["attachment"]["data"])
    assert visit.subjective in text.decode("utf-8")
    assert any(n.startswith("evaluation-note-") for n in notes)


def test_the_export_is_recorded_in_the_audit_trail(demo: None) -> None:
    patient = alvarez()
    signed_in("patient.alvarez").get(reverse("exports:my_bundle"))
    event = AuditEvent.objects.filter(action="export").last()
    assert (event.patient_id, event.reason, event.actor_role) == (
        patient.pk, "fhir_bundle", "patient",
    )  # fmt: skip
    args = [patient.pk]
    summary_pdf(signed_in("maya.okafor"), reverse("exports:patient_summary", args=args))
    event = AuditEvent.objects.filter(action="export").last()
    assert (event.patient_id, event.reason, event.actor_username) == (
        patient.pk, "summary_pdf", "maya.okafor",
    )  # fmt: skip


def test_staff_of_the_clinic_export_the_same_record(demo: None) -> None:
    patient = alvarez()
    url = reverse("exports:patient_bundle", args=[patient.pk])
    theirs = bundle_of(signed_in("maya.okafor").get(url))
    own = bundle_of(signed_in("patient.alvarez").get(reverse("exports:my_bundle")))
    assert [e["fullUrl"] for e in theirs["entry"]] == [e["fullUrl"] for e in own["entry"]]
    bundle_of(signed_in("auditor").get(url))
    bundle_of(signed_in("manager").get(url))
    page = signed_in("maya.okafor").get(reverse("staffarea:patient_detail", args=[patient.pk]))
    assert url in page.content.decode()


def test_outsiders_get_nothing(demo: None) -> None:
    patient = alvarez()
    for name in ("exports:patient_bundle", "exports:patient_summary"):
        url = reverse(name, args=[patient.pk])
        assert signed_in("hannah.kowalski").get(url).status_code == 404  # another clinic
        assert signed_in("frontdesk.harbour").get(url).status_code == 403  # no clinical notes
        assert signed_in("patient.brennan").get(url).status_code == 403  # staff pages
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    other = bundle_of(signed_in("patient.brennan").get(reverse("exports:my_bundle")))
    assert "Alvarez" not in json.dumps(other)
    missing = reverse("exports:patient_bundle", args=[999999])
    assert signed_in("maya.okafor").get(missing).status_code == 404


def test_the_pdf_summary_reads_well(demo: None, tmp_path: Path) -> None:
    patient = alvarez()
    response = summary_pdf(signed_in("patient.alvarez"), reverse("exports:my_summary"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content, tmp_path)
    assert "Lucia Alvarez" in text and "Mar 14, 1986" in text
    assert "18 Ropewalk Lane" in text and "Port Alder, ME 04101" in text and "Female" in text
    follow_up = Appointment.objects.filter(patient=patient).last()
    assert follow_up.appointment_type.name in text
    assert "Oswestry Disability Index" in text and "Pain (NPRS 0-10)" in text
    goal = PlanGoal.objects.filter(plan__episode__patient=patient, plan__status="signed").first()
    assert "Plan of care" in text and " ".join(goal.description.split()) in text
    signed = Visit.objects.filter(episode__patient=patient, signed_at__isnull=False)
    visit = signed.order_by("performed_on", "number").last()  # the latest notes are in full
    assert " ".join(visit.subjective.split()[:6]) in text
    assert "earlier note" in text and "in the FHIR file" in text  # the others are counted
