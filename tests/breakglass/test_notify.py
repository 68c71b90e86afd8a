"""The patient's clinic managers are told, by a real email through the outbox worker."""

from typing import Any

import pytest
from django.core.management import call_command

from tests import factories
from tests.breakglass.conftest import Scene, open_record, signed_in
from unknot.outbox.models import OutboxEmail, OutboxStatus


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_clinic_managers_get_an_email_without_clinical_data(
    scene: Scene, smtp_inbox: Any
) -> None:
    manager_b = factories.staff("manager_b", "manager", [scene.cast.clinic_b])
    open_record(signed_in(scene.cast.therapist_b), scene.cast.patient_p)
    run_worker()
    (message,) = smtp_inbox.messages  # clinic A's manager only: not clinic B's
    assert message["To"] == scene.cast.manager.email != manager_b.email
    body = message.get_content()
    patient = scene.cast.patient_p
    assert f"#{patient.pk} (P.P.)" in body
    assert "therapist_b" in body and "Emergency care" in body
    assert f"/audit/?action=break_glass&patient={patient.pk}" in body
    assert "/emergency-access/openings/" in body
    for private in ("Penny", "Parker", "1985", patient.email, "weakness"):
        assert private not in body and private not in message["Subject"]
    assert OutboxEmail.objects.get(kind="break_glass").status == OutboxStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_without_managers_the_clinic_address_is_told(scene: Scene, smtp_inbox: Any) -> None:
    scene.cast.manager.staff_member.clinics.clear()
    scene.cast.clinic_a.email = "front@alder.test.example"
    scene.cast.clinic_a.save()
    open_record(signed_in(scene.cast.therapist_b), scene.cast.patient_p)
    run_worker()
    assert [m["To"] for m in smtp_inbox.messages] == ["front@alder.test.example"]
