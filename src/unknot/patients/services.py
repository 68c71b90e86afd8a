"""Writes to patient records. Views, the API and commands all come through here."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from unknot.accounts.access import is_read_only
from unknot.clinics.selectors import clinics_visible_to
from unknot.patients.models import Patient


def _ensure_may_file_at(by: Any, patient: Patient) -> None:
    if (
        is_read_only(by)
        or not clinics_visible_to(by).filter(pk=patient.preferred_clinic_id).exists()
    ):
        raise PermissionDenied("You can only file patients at a clinic where you work.")


@transaction.atomic
def patient_create(*, by: Any, patient: Patient) -> Patient:
    _ensure_may_file_at(by, patient)
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_update(*, by: Any, patient: Patient) -> Patient:
    _ensure_may_file_at(by, patient)
    patient.full_clean()
    patient.save()
    return patient


@transaction.atomic
def patient_update_own_contact(*, by: Any, patient: Patient) -> Patient:
    if patient.user_id != by.pk:
        raise PermissionDenied("A patient may only change their own details.")
    patient.full_clean()
    patient.save(update_fields=["email", "phone", "address"])
    return patient
