"""The biller works for their clinics' billing: of a patient of clinic A they read the details
and the visits (who, when, with whom, attended or not), never the clinical record (intake
answers, evaluations, plans, visit notes, scores, red-flag screens), on any surface: the staff
pages, the REST API, FHIR, the exports and the read helpers behind them all. Nor do they
change the calendar or a patient's details. Each check is set beside a therapist of the same
clinic who may, so that none passes because the record is missing.
"""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.api.world import World, build_world
from tests.fhir.conftest import as_user, fhir, outcome, post
from tests.web import matrix_booking_staff as mb
from unknot.api.tokens import token_create
from unknot.booking import services as booking
from unknot.booking.models import Appointment, SafetyCall, Status
from unknot.patients import services as patients
from unknot.patients.models import Patient
from unknot.plans.selectors import get_plan_for, get_visit_for
from unknot.records.selectors import episodes_visible_to, get_episode_for


@pytest.fixture
def world(calendar: Any) -> World:
    return build_world(calendar)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def chart_pages(world: World) -> list[str]:
    p = world.p
    return [
        reverse("clinical:patient_episodes", kwargs={"patient_id": p.patient}),
        reverse("clinical:episode", kwargs={"episode_id": p.episode}),
        reverse("clinical:plan", kwargs={"plan_id": p.plan}),
        reverse("clinical:visit", kwargs={"visit_id": p.visit}),
        reverse("intake:review_detail", kwargs={"episode_id": p.episode}),
        reverse("home_programme:episode_progress", kwargs={"episode_id": p.episode}),
        reverse("exports:patient_summary", kwargs={"patient_id": p.patient}),
        reverse("exports:patient_bundle", kwargs={"patient_id": p.patient}),
    ]


def test_the_chart_pages_refuse_the_biller_and_open_to_the_therapist(world: World) -> None:
    biller, therapist = signed_in(world.cast.biller_a), signed_in(world.cast.therapist_a)
    for url in chart_pages(world):
        assert biller.get(url).status_code == 403, url
        assert therapist.get(url).status_code == 200, url


def test_the_patients_page_shows_the_biller_details_without_a_way_into_the_chart(
    world: World,
) -> None:
    patient = reverse("staffarea:patient_detail", kwargs={"patient_id": world.p.patient})
    page = signed_in(world.cast.biller_a).get(patient)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Penny Parker" in text and "Date of birth" in text and "Address" in text
    for link in ("clinical:patient_episodes", "exports:patient_summary", "staffarea:patient_edit"):
        assert reverse(link, kwargs={"patient_id": world.p.patient}) not in text, link
    assert reverse("clinical:patient_episodes", kwargs={"patient_id": world.p.patient}) in (
        signed_in(world.cast.therapist_a).get(patient).content.decode()
    )


def test_the_read_helpers_find_no_clinical_record_for_the_biller(world: World) -> None:
    biller, therapist = world.cast.biller_a, world.cast.therapist_a
    assert not episodes_visible_to(biller).exists()
    assert episodes_visible_to(therapist).filter(pk=world.p.episode).exists()
    for helper, pk in (
        (get_episode_for, world.p.episode),
        (get_plan_for, world.p.plan),
        (get_visit_for, world.p.visit),
    ):
        with pytest.raises(Http404):
            helper(biller, pk)
        assert helper(therapist, pk).pk == pk


def test_the_rest_api_refuses_the_biller_every_clinical_record(world: World) -> None:
    token = token_create(user=world.cast.biller_a, name="tests")[1]
    biller = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    therapist = world.client("therapist_a")
    p = world.p
    urls = [
        reverse("api:visit_list"),
        reverse("api:visit_detail", kwargs={"id": p.visit}),
        reverse("api:intake_detail", kwargs={"id": p.intake}),
        reverse("api:plan_detail", kwargs={"id": p.plan}),
        reverse("api:outcome_detail", kwargs={"id": p.outcome}),
    ]
    for url in urls:
        assert biller.get(url).status_code == 403, url
        assert therapist.get(url).status_code == 200, url
    # What billing needs, as through FHIR: who the patient is, and their visits.
    for url in (reverse("api:patient_detail", kwargs={"id": p.patient}),
                reverse("api:appointment_detail", kwargs={"id": p.appointment})):  # fmt: skip
        assert biller.get(url).status_code == 200, url


def test_fhir_finds_no_clinical_record_for_the_biller(world: World) -> None:
    biller, therapist = as_user(world.cast.biller_a), as_user(world.cast.therapist_a)
    p = world.p
    for kind, pk in (("questionnaireresponse", p.intake), ("careplan", p.plan)):
        url = reverse(f"fhir:{kind}_instance", kwargs={"resource_id": str(pk)})
        assert biller.get(url).status_code == 404, url
        assert therapist.get(url).status_code == 200, url
    of_p = {"patient": str(p.patient)}
    for kind in ("Observation", "CarePlan", "Goal"):
        assert fhir(biller.get(f"/fhir/{kind}", of_p))["total"] == 0, kind
        assert fhir(therapist.get(f"/fhir/{kind}", of_p))["total"] > 0, kind
    # What billing needs: who the patient is.
    patient = reverse("fhir:patient_instance", kwargs={"resource_id": str(p.patient)})
    assert fhir(biller.get(patient))["birthDate"]


def test_the_biller_changes_neither_the_calendar_nor_a_patients_details(world: World) -> None:
    biller = world.cast.biller_a
    visit = Appointment.objects.get(pk=world.p.appointment)
    with pytest.raises(PermissionDenied):
        booking.appointment_cancel(by=biller, appointment=visit, now=timezone.now())
    visit.refresh_from_db()
    assert visit.status == Status.BOOKED
    penny = Patient.objects.get(pk=world.p.patient)
    penny.address_line1 = "1 Elsewhere Road"
    with pytest.raises(PermissionDenied):
        patients.patient_update(by=biller, patient=penny)
    penny.refresh_from_db()
    assert penny.address_line1 != "1 Elsewhere Road"
    cancel = reverse("booking:staff_cancel", kwargs={"appointment_id": visit.pk})
    assert signed_in(biller).post(cancel, {"reason": "test"}).status_code == 403
    booking_by_fhir = {"resourceType": "Appointment", "status": "booked", "participant": []}
    assert outcome(post(as_user(biller), "/fhir/Appointment", booking_by_fhir), 403)


def test_the_biller_reads_an_appointment_but_is_offered_no_change(world: World) -> None:
    visit = Appointment.objects.get(pk=world.p.appointment)
    page = reverse("booking:staff_appointment", kwargs={"appointment_id": visit.pk})
    cancel = reverse("booking:staff_cancel", kwargs={"appointment_id": visit.pk})
    answer = signed_in(world.cast.biller_a).get(page)
    assert answer.status_code == 200
    assert "Penny Parker" in answer.content.decode()
    assert cancel not in answer.content.decode()
    assert cancel in signed_in(world.cast.front_desk_a).get(page).content.decode()


def test_the_biller_sees_the_day_without_its_red_flag_calls(cast: Any) -> None:
    """A "call before the visit" comes from a red-flag screen: a clinical note."""
    call = SafetyCall.objects.get(pk=mb.safety_call_a(cast)["call_id"])
    day = reverse("booking:staff_day", kwargs=mb.clinic_day(cast))
    call_page = reverse("booking:staff_safety_call", kwargs={"call_id": call.pk})
    for_biller = signed_in(cast.biller_a).get(day)
    assert for_biller.status_code == 200
    assert "Penny Parker" in for_biller.content.decode()
    assert call_page not in for_biller.content.decode()
    assert call_page in signed_in(cast.front_desk_a).get(day).content.decode()
    assert signed_in(cast.biller_a).get(call_page).status_code == 403
