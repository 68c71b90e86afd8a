"""Writes to patient records. Views, the API and commands all come through here."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from unknot import audit
from unknot.accounts.access import is_read_only
from unknot.audit.models import Action
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
    _recorded(by, Action.CREATE, patient)
    return patient


@transaction.atomic
def patient_update(*, by: Any, patient: Patient) -> Patient:
    _ensure_may_file_at(by, patient)
    patient.full_clean()
    patient.save()
    _recorded(by, Action.UPDATE, patient)
    return patient


@transaction.atomic
def patient_update_own_contact(*, by: Any, patient: Patient) -> Patient:
    if patient.user_id != by.pk:
        raise PermissionDenied("A patient may only change their own details.")
    patient.full_clean()
    patient.save(update_fields=["email", "phone", "address"])
    _recorded(by, Action.UPDATE, patient, "own_contact")
    return patient


def _recorded(by: Any, action: str, patient: Patient, reason: str = "") -> None:
    """The audit row of a write, in the write's own transaction (ids and codes only)."""
    audit.record(
        action, by=by, object_type="patient", object_id=patient.pk, patient_id=patient.pk,
        clinic_id=patient.preferred_clinic_id, reason=reason,
    )  # fmt: skip
