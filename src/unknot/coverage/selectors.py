"""Reads of coverage. A patient's coverages and self-pay are billing data about them: staff
see those of the patients of their clinics (`patients.selectors`), a patient their own,
through the access helpers below, which record the read in the audit trail. The payer list
is the practice's, read by all its staff."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from unknot import audit
from unknot.accounts.access import ensure_may_write, staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import ALL_STAFF_ROLES
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.booking.models import Appointment, AppointmentKind, Status
from unknot.booking.selectors import appointments_visible_to
from unknot.clinics.models import Practice
from unknot.clinics.selectors import clinics_visible_to
from unknot.coverage.models import Coverage, Payer, SelfPay
from unknot.coverage.roles import COVERAGE_WRITERS, PAYER_WRITERS
from unknot.patients.models import Patient
from unknot.patients.selectors import patients_visible_to

# First visits are checked for coverage this many days ahead: time to call the patient.
MISSING_DAYS_AHEAD = 7
SHOWN = 50


def coverages_visible_to(user: AnyUser) -> QuerySet[Coverage]:
    """Staff: those of their clinics' patients. Patients: their own. Nobody else: nothing."""
    base = Coverage.objects.select_related("payer", "patient")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    return base.filter(patient__in=patients_visible_to(user))


def get_coverage_for(user: AnyUser, coverage_id: int) -> Coverage:
    """The access helper for coverages: the row, or 404 when the user may not see it."""
    return one_visible_or_404(coverages_visible_to(user), user, "coverage", coverage_id)


def may_write_coverage(user: AnyUser) -> bool:
    """Staff in a role that takes insurance; a patient for their own (checked by the helper)."""
    role = staff_role(user)
    return role in COVERAGE_WRITERS if role is not None else user.is_authenticated


def get_coverage_for_rw(user: AnyUser, coverage_id: int) -> Coverage:
    """As get_coverage_for, and 403 for staff roles that may only read coverage."""
    coverage = get_coverage_for(user, coverage_id)
    ensure_may_change_coverage(user)
    return coverage


def ensure_may_change_coverage(user: AnyUser) -> None:
    if staff_role(user) is None:
        return  # a patient: the access helpers already keep them to their own
    ensure_may_write(user, "Your role may read coverage but not change it.", roles=ALL_STAFF_ROLES)
    if not may_write_coverage(user):
        raise PermissionDenied("Your role may read coverage but not change it.")


def _visible_patient(user: AnyUser, patient: Patient) -> Patient:
    if not patients_visible_to(user).filter(pk=patient.pk).exists():
        raise Http404("No such patient.")
    return patient


def coverages_of(user: AnyUser, patient: Patient) -> list[Coverage]:
    """The patient's coverages, current and past, primary first (recorded as one read)."""
    _visible_patient(user, patient)
    rows = list(coverages_visible_to(user).filter(patient=patient))
    audit.record(
        Action.READ, by=user, object_type="coverage", patient_id=patient.pk,
        clinic_id=patient.preferred_clinic_id, reason="list",
    )  # fmt: skip
    return rows


def self_pays_visible_to(user: AnyUser) -> QuerySet[SelfPay]:
    """Self-pay is coverage too: seen by whoever sees the patient's coverages."""
    base = SelfPay.objects.select_related("patient")
    if not user.is_authenticated or not user.is_active:
        return base.none()
    return base.filter(patient__in=patients_visible_to(user))


def get_self_pay_for(user: AnyUser, self_pay_id: int) -> SelfPay:
    """The access helper for self-pay: the row, or 404 when the user may not see it."""
    return one_visible_or_404(self_pays_visible_to(user), user, "self_pay", self_pay_id)


def self_pay_of(user: AnyUser, patient: Patient) -> SelfPay | None:
    """The patient's self-pay, when they said so (read with their coverages)."""
    _visible_patient(user, patient)
    return SelfPay.objects.filter(patient=patient).first()


def is_current(coverage: Coverage, today: dt.date) -> bool:
    return coverage.effective_from <= today and (
        coverage.effective_to is None or coverage.effective_to >= today
    )


def current_coverages(patient: Patient, today: dt.date) -> QuerySet[Coverage]:
    """The patient's coverages in force today (no access check: for services and counts)."""
    return Coverage.objects.filter(patient=patient).filter(_in_force(today))


def _in_force(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}effective_from__lte": today}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": today})
    )


def practice_of(user: AnyUser) -> Practice | None:
    """The practice whose payers the user works with: their clinics' (one per installation),
    or for a patient their clinic's."""
    if staff_role(user) is not None:
        clinic = clinics_visible_to(user).select_related("practice").first()
        return clinic.practice if clinic else None
    patient = patients_visible_to(user).select_related("preferred_clinic__practice").first()
    return patient.preferred_clinic.practice if patient and patient.preferred_clinic else None


def payers_visible_to(user: AnyUser) -> QuerySet[Payer]:
    """The practice's payers, for its staff and its patients (to choose theirs)."""
    practice = practice_of(user) if user.is_authenticated and user.is_active else None
    if practice is None:
        return Payer.objects.none()
    return Payer.objects.filter(practice=practice)


def may_write_payers(user: AnyUser) -> bool:
    return staff_role(user) in PAYER_WRITERS


def get_payer_for_rw(user: AnyUser, payer_id: int) -> Payer:
    """A payer of the user's practice to change, or 404; 403 for roles that only read."""
    if staff_role(user) is None:
        raise PermissionDenied("The payer list is kept by the practice's staff.")
    payer = one_visible_or_404(payers_visible_to(user), user, "payer", payer_id)
    if not may_write_payers(user):
        raise PermissionDenied("Your role may read the payer list but not change it.")
    return payer


def first_visits_without_coverage(user: AnyUser, now: dt.datetime) -> list[Appointment]:
    """Initial evaluations booked in the next days whose patient has neither a coverage that
    has not ended nor said they pay themselves: someone should ask before the visit. One
    query however many visits."""
    today = now.date()
    has_coverage = Coverage.objects.filter(patient_id=OuterRef("patient_id")).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=today)
    )
    pays_themselves = SelfPay.objects.filter(patient_id=OuterRef("patient_id"))
    rows = (
        appointments_visible_to(user)
        .filter(
            appointment_type__kind=AppointmentKind.INITIAL,
            status=Status.BOOKED,
            start__gte=now,
            start__lt=now + dt.timedelta(days=MISSING_DAYS_AHEAD),
            patient__isnull=False,
        )
        .filter(~Exists(has_coverage), ~Exists(pays_themselves))
        .order_by("start", "pk")[:SHOWN]
    )
    found = list(rows)
    if found:
        audit.record(
            Action.READ, by=user, object_type="coverage", reason="missing_list",
        )  # fmt: skip
    return found


@dataclass(frozen=True)
class PatientCoverage:
    """What the insurance page shows: the coverages, whether each is in force, self-pay."""

    coverages: list[tuple[Coverage, bool]]
    self_pay: SelfPay | None


def patient_coverage(user: AnyUser, patient: Patient, today: dt.date) -> PatientCoverage:
    rows = coverages_of(user, patient)
    return PatientCoverage(
        coverages=[(c, is_current(c, today)) for c in rows], self_pay=self_pay_of(user, patient)
    )
