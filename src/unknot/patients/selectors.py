"""Reads of patients. Every read of health data starts here, with the acting user."""

from django.db.models import Q, QuerySet
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
    patients = patients_visible_to(user).select_related("preferred_clinic")
    # NUL splits words too: PostgreSQL cannot compare text that holds one (a 500, not a miss).
    for word in query.replace("\x00", " ").split()[:4]:
        patients = patients.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return patients


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
