"""An emergency answer: guidance at once, an alert to the clinic, first in the review list."""

import pytest
from django.urls import reverse

from tests.personas import Cast
from tests.records.intake_support import AUTOSAVE, open_intake, section_url, signed_in
from unknot.outbox.models import OutboxEmail
from unknot.records.models import Intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic_email(cast: Cast) -> str:
    cast.clinic_a.email = "desk@alder.example"
    cast.clinic_a.save()
    return cast.clinic_a.email


def test_an_emergency_answer_shows_the_guidance_at_once(cast: Cast, clinic_email: str) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    # Only one question answered: nothing else is needed before the guidance shows.
    response = client.post(section_url("safety"), {"bladder_dysfunction": "yes"})
    assert response["Location"] == reverse("intake:emergency")
    page = client.get(response["Location"]).content.decode()
    assert "go to an emergency department now" in page.lower()
    assert "911" in page
    assert cast.clinic_a.phone in page
    intake.refresh_from_db()
    assert intake.emergency_at is not None
    assert intake.sections_done == []


def test_the_clinic_is_alerted_once_without_clinical_detail(cast: Cast, clinic_email: str) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    client.post(section_url("safety"), {"bladder_dysfunction": "yes"})
    client.post(section_url("safety"), {"bladder_dysfunction": "yes", "collapse": "yes"})
    alert = OutboxEmail.objects.get(kind="clinic_alert")
    assert alert.to == clinic_email
    assert alert.key == f"intake-emergency:{intake.pk}"
    assert "same-day attention" in alert.body
    assert reverse("intake:review_detail", args=[intake.episode_id]) in alert.body
    for detail in ("bladder", "Penny", "Parker", "cauda"):
        assert detail not in alert.body
        assert detail not in alert.subject


def test_autosave_sends_the_page_to_the_guidance(cast: Cast, clinic_email: str) -> None:
    open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    response = client.post(section_url("safety"), {"saddle_anaesthesia": "yes"}, **AUTOSAVE)
    assert response.json()["emergency_url"] == reverse("intake:emergency")


def test_a_calm_answer_raises_nothing(cast: Cast, clinic_email: str) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    response = client.post(section_url("safety"), {"bladder_dysfunction": "no"}, **AUTOSAVE)
    assert response.json()["emergency_url"] is None
    assert not OutboxEmail.objects.filter(kind="clinic_alert").exists()
    assert Intake.objects.get(pk=intake.pk).emergency_at is None


def test_a_medicine_can_complete_the_emergency_picture(cast: Cast, clinic_email: str) -> None:
    """Fever was answered first; an immunosuppressant on the health page makes RF-INFECTION."""
    open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    client.post(section_url("safety"), {"fever_or_unwell": "yes"})
    assert not OutboxEmail.objects.filter(kind="clinic_alert").exists()
    response = client.post(section_url("health"), {"medicines": ["immunosuppressant"]})
    assert response["Location"] == reverse("intake:emergency")
    assert OutboxEmail.objects.filter(kind="clinic_alert").count() == 1


def test_no_clinic_email_still_flags_the_intake(cast: Cast) -> None:
    intake = open_intake(cast.patient_p, cast.therapist_a)
    signed_in(cast.patient_p.user).post(section_url("safety"), {"collapse": "yes"})
    intake.refresh_from_db()
    assert intake.emergency_at is not None
    assert not OutboxEmail.objects.filter(kind="clinic_alert").exists()


def test_the_review_list_puts_the_alert_first(cast: Cast, clinic_email: str) -> None:
    calm = open_intake(cast.patient_q.__class__.objects.create(
        first_name="Cal", last_name="Mer", date_of_birth=cast.patient_p.date_of_birth,
        preferred_clinic=cast.clinic_a), cast.therapist_a)  # fmt: skip
    urgent = open_intake(cast.patient_p, cast.therapist_a)
    signed_in(cast.patient_p.user).post(section_url("safety"), {"collapse": "yes"})
    response = signed_in(cast.therapist_a).get(reverse("intake:review_list"))
    rows = response.context["rows"]
    assert [r.intake.pk for r in rows] == [urgent.pk, calm.pk]
    assert rows[0].needs_attention
    assert b"Same-day attention" in response.content


def test_the_overview_keeps_showing_the_guidance_link(cast: Cast, clinic_email: str) -> None:
    open_intake(cast.patient_p, cast.therapist_a)
    client = signed_in(cast.patient_p.user)
    client.post(section_url("safety"), {"collapse": "yes"})
    page = client.get(reverse("intake:overview")).content.decode()
    assert "Please get help today" in page
