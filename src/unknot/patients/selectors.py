"""Reads of patients. Every read of health data starts here, with the acting user."""

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import Http404

from unknot.accounts.access import ensure_may_write, staff_role
from unknot.accounts.models import AnyUser
from unknot.audit import services as audit
from unknot.audit.reads import one_visible_or_404
from unknot.breakglass import enforce as emergency
from unknot.clinics.selectors import clinics_visible_to
from unknot.patients.models import Patient


def patients_visible_to(user: AnyUser) -> QuerySet[Patient]:
    """Staff see the patients of their clinics; a patient sees only themself."""
    if not user.is_authenticated or not user.is_active:
        return Patient.objects.none()
    if staff_role(user) is not None:
        return Patient.objects.filter(preferred_clinic__in=clinics_visible_to(user))
    return Patient.objects.filter(user=user)


def search_patients(user: AnyUser, query: str) -> QuerySet[Patient]:
    """Patients the user may see that match every word: a name or email, a birth date as
    US staff type it (MM/DD/YYYY), or, when the whole query is one, a phone number in any
    punctuation (its digits are compared)."""
    patients = patients_visible_to(user).select_related("preferred_clinic")
    # NUL splits words too: PostgreSQL cannot compare text that holds one (a 500, not a miss).
    query = query.replace("\x00", " ")
    digits = phone_digits(query)
    if digits is not None:
        return patients.annotate(phone_digits=_digits_of("phone")).filter(
            phone_digits__contains=digits
        )
    for word in query.split()[:4]:
        patients = patients.filter(_word_matches(word))
    return patients


PHONE_PUNCTUATION = " -().+"
MIN_PHONE_DIGITS = 4


def phone_digits(query: str) -> str | None:
    """The digits of a query that is a phone number (or part of one), else None."""
    text = query.strip()
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) < MIN_PHONE_DIGITS or any(
        not (c.isdigit() or c in PHONE_PUNCTUATION) for c in text
    ):
        return None
    return digits


def _digits_of(field: str) -> Any:
    expression: Any = F(field)
    for mark in PHONE_PUNCTUATION:
        expression = Replace(expression, Value(mark), Value(""))
    return expression


def _word_matches(word: str) -> Q:
    born = birth_date(word)
    if born is not None:
        return Q(date_of_birth=born)
    return Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)


def birth_date(word: str) -> dt.date | None:
    """MM/DD/YYYY (or M/D/YYYY), as US staff write a date; None for anything else."""
    try:
        return dt.datetime.strptime(word, "%m/%d/%Y").date()
    except ValueError:
        return None


def get_patient_for(user: AnyUser, patient_id: int, *, break_glass: bool = True) -> Patient:
    """The access helper for patients: the record, or 404 when the user may not see it.

    An outsider with an active break-glass opening of this patient gets through on the
    record's read-only pages (recorded as `break_glass`, not `read`); `break_glass=False`
    (the _rw variant) never lets one through.
    """
    rows = patients_visible_to(user).select_related("preferred_clinic")
    opening = emergency.patient_for if break_glass else None
    return one_visible_or_404(rows, user, "patient", patient_id, emergency=opening)


def get_patient_for_rw(user: AnyUser, patient_id: int) -> Patient:
    """As get_patient_for, and 403 for roles that may only read."""
    patient = get_patient_for(user, patient_id, break_glass=False)
    ensure_may_write(user, "Your role may read records but not change them.")
    return patient


def own_patient_record(user: AnyUser) -> Patient:
    """The portal's record: always the signed-in patient's own."""
    patient = patients_visible_to(user).select_related("preferred_clinic").first()
    if patient is None or staff_role(user) is not None:
        raise Http404("No patient record for this login.")
    audit.access(user, "patient", None, patient)
    return patient
