"""Writes to patient records. Views, the API and commands all come through here."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from unknot import audit
from unknot.accounts.access import may_write
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.patients.models import OWN_DETAILS, Patient


@dataclass(frozen=True)
class PersonDetails:
    """Who a person says they are, as typed in the online booking (already validated)."""

    first_name: str
    last_name: str
    date_of_birth: dt.date
    email: str
    phone: str = ""


def _match(clinic: Clinic, details: PersonDetails) -> Patient | None:
    return (
        Patient.objects.filter(
            preferred_clinic=clinic,
            email__iexact=details.email,
            date_of_birth=details.date_of_birth,
        )
        .order_by("pk")
        .first()
    )


def patient_match_or_create(*, clinic: Clinic, details: PersonDetails) -> Patient:
    """The clinic's patient with this email (any case) and date of birth, else a new one.

    Online booking's rule for "the same person" (an existing record is reused unchanged; the
    person is never told which happened). Two first bookings of one person at the same moment
    both find nothing; the database's unique constraint lets one INSERT through, the other
    waits for it, fails in its savepoint and takes the winner's record.
    """
    found = _match(clinic, details)
    if found is not None:
        return found
    patient = Patient(
        first_name=details.first_name,
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
        email=details.email,
        phone=details.phone,
        preferred_clinic=clinic,
        online_identity=True,
    )
    patient.full_clean(validate_constraints=False)  # the INSERT itself is the check
    try:
        with transaction.atomic():  # a savepoint: losing leaves the caller's transaction usable
            patient.save()
            _recorded(None, Action.CREATE, patient, "booked_online")
    except IntegrityError:
        winner = _match(clinic, details)
        if winner is None:
            raise
        return winner
    return patient


def _ensure_may_file_at(by: User, patient: Patient) -> None:
    if (
        not may_write(by)
        or not clinics_visible_to(by).filter(pk=patient.preferred_clinic_id).exists()
    ):
        raise PermissionDenied("You can only file patients at a clinic where you work.")


@transaction.atomic
def patient_create(*, by: User, patient: Patient) -> Patient:
    _ensure_may_file_at(by, patient)
    patient.full_clean()
    patient.save()
    _recorded(by, Action.CREATE, patient)
    return patient


def _release_changed_identity(patient: Patient) -> None:
    """A changed email, date of birth or clinic takes a record out of online booking's
    one-record rule: the identity it was filed under is no longer its own."""
    if not patient.online_identity:
        return
    was = (
        Patient.objects.filter(pk=patient.pk)
        .values_list("preferred_clinic_id", "email", "date_of_birth")
        .first()
    )
    is_ = (patient.preferred_clinic_id, patient.email, patient.date_of_birth)
    if was is None or _identity(*was) != _identity(*is_):
        patient.online_identity = False


def _identity(clinic_id: int, email: str, born: dt.date) -> tuple[int, str, dt.date]:
    return clinic_id, email.upper(), born


@transaction.atomic
def patient_update(*, by: User, patient: Patient) -> Patient:
    _ensure_may_file_at(by, patient)
    _release_changed_identity(patient)
    patient.full_clean()
    patient.save()
    _recorded(by, Action.UPDATE, patient)
    return patient


@transaction.atomic
def patient_update_own_contact(*, by: User, patient: Patient) -> Patient:
    if patient.user_id != by.pk:
        raise PermissionDenied("A patient may only change their own details.")
    _release_changed_identity(patient)
    patient.full_clean()
    patient.save(update_fields=[*OWN_DETAILS, "online_identity"])
    _recorded(by, Action.UPDATE, patient, "own_contact")
    return patient


def _recorded(by: User | None, action: str, patient: Patient, reason: str = "") -> None:
    """The audit row of a write, in the write's own transaction (ids and codes only)."""
    audit.record(
        action, by=by, object_type="patient", object_id=patient.pk, patient_id=patient.pk,
        clinic_id=patient.preferred_clinic_id, reason=reason,
    )  # fmt: skip
