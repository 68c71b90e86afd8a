"""A payer's authorisations of a patient's visits: who may read and change them, how much of
each is used, and the warnings before a booking goes past one (docs/billing.md).

The counting itself is the scheduling core's (`unknot.scheduling.authorisations`): attended
and booked visits count, cancellations and holds never, no-shows only where the payer says
so (`Payer.counts_no_shows`). Here the patient's appointments are read in one query per
list, however many authorisations the list holds, and handed to the core as its `Visit`s.

Staff of the patient's clinics may read a coverage's authorisations; the front desk, the
clinic's manager, the owner and the biller may add and change them. Every read and write is
recorded in the audit trail.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from unknot import audit
from unknot.accounts.access import ensure_may_write, staff_role
from unknot.accounts.models import AnyUser, User
from unknot.accounts.roles import ALL_STAFF_ROLES, PAYMENT_ROLES
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.booking.models import Appointment, AppointmentKind, AppointmentType
from unknot.care.codes import units_for_minutes
from unknot.clinics import times
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.errors import Refused
from unknot.coverage.models import Authorisation, AuthorisationUnit, Coverage
from unknot.patients.models import Patient
from unknot.scheduling import authorisations as core

# Who may add and change authorisations: the people who call payers and read their letters.
AUTHORISATION_WRITERS = PAYMENT_ROLES  # the desk and the billing office
# The front desk's "running out" list: this many visits (or units) left or fewer, or the last
# covered day this close. The core's defaults, named here as the practice's choice.
RUNNING_OUT_AT = core.DEFAULT_SETTINGS.running_out_at
ENDING_WITHIN_DAYS = core.DEFAULT_SETTINGS.ending_within_days
SHOWN = 50  # rows of the front desk's list
REFERENCE_MAX = 40
NOTE_MAX = 500
# A day either side of an authorisation's dates: a visit's local day can differ from its UTC
# day, so the query reads a little more and the core decides what falls inside.
MARGIN = dt.timedelta(days=1)
VISIT_COLUMNS = (
    "patient_id", "start", "status", "appointment_type__kind",
    "appointment_type__duration_minutes", "clinic__time_zone",
)  # fmt: skip


# --- who may see and change -------------------------------------------------------------------


def coverages_visible_to(user: AnyUser) -> QuerySet[Coverage]:
    """Staff: the coverages of their clinics' patients. Anyone else: none (the portal does
    not show authorisations)."""
    rows = Coverage.objects.select_related("payer", "patient__preferred_clinic")
    if staff_role(user) is None:
        return rows.none()
    return rows.filter(patient__preferred_clinic__in=clinics_visible_to(user))


def authorisations_visible_to(user: AnyUser) -> QuerySet[Authorisation]:
    rows = Authorisation.objects.select_related(
        "coverage__payer", "coverage__patient__preferred_clinic"
    )
    return rows.filter(coverage__in=coverages_visible_to(user))


def get_coverage_for(user: AnyUser, coverage_id: int) -> Coverage:
    """The access helper for coverages: the row, or 404 when the user may not see it."""
    return one_visible_or_404(coverages_visible_to(user), user, "coverage", coverage_id)


def get_coverage_for_rw(user: AnyUser, coverage_id: int) -> Coverage:
    """As get_coverage_for, and 403 for roles that may not change authorisations."""
    coverage = get_coverage_for(user, coverage_id)
    ensure_may_change(user)
    return coverage


def get_authorisation_for(user: AnyUser, authorisation_id: int) -> Authorisation:
    rows = authorisations_visible_to(user)
    return one_visible_or_404(rows, user, "authorisation", authorisation_id)


def get_authorisation_for_rw(user: AnyUser, authorisation_id: int) -> Authorisation:
    authorisation = get_authorisation_for(user, authorisation_id)
    ensure_may_change(user)
    return authorisation


def may_change(user: AnyUser) -> bool:
    return staff_role(user) in AUTHORISATION_WRITERS


def ensure_may_change(user: AnyUser) -> User:
    staff = ensure_may_write(
        user, "Your role may read authorizations but not change them.", roles=ALL_STAFF_ROLES
    )
    if not may_change(staff):
        raise PermissionDenied("Your role may read authorizations but not change them.")
    return staff


def coverages_of(user: AnyUser, patient: Patient) -> list[Coverage]:
    """The patient's coverages the user may see (the patient was read through its own helper)."""
    return list(coverages_visible_to(user).filter(patient=patient))


# --- how much is used -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorisationUse:
    """An authorisation with its usage, for pages: `left` is negative when overbooked."""

    authorisation: Authorisation
    usage: core.Usage

    @property
    def used(self) -> int:
        return self.usage.used

    @property
    def left(self) -> int:
        return self.usage.remaining

    @property
    def over(self) -> int:
        """How many more are booked than authorised (0 when within the count)."""
        return max(0, -self.usage.remaining)

    @property
    def covers(self) -> str:
        return covers_label(self.authorisation)

    def ending_soon(self, today: dt.date) -> bool:
        return self.usage.ending_soon(today)

    def ended(self, today: dt.date) -> bool:
        return self.usage.ended(today)


def settings_for(authorisation: Authorisation) -> core.AuthorisationSettings:
    return core.AuthorisationSettings(
        count_no_shows=authorisation.coverage.payer.counts_no_shows,
        running_out_at=RUNNING_OUT_AT,
        ending_within_days=ENDING_WITHIN_DAYS,
    )


def as_core(authorisation: Authorisation) -> core.Authorisation:
    """The row as the core's value: visits or units, the dates, the kinds it covers."""
    count = authorisation.authorised
    by_units = authorisation.unit == AuthorisationUnit.UNITS
    return core.Authorisation(
        first_day=authorisation.start_date,
        last_day=authorisation.end_date,
        visits=None if by_units else count,
        units=count if by_units else None,
        kinds=frozenset(covered_kinds(authorisation)),
        payer=authorisation.coverage.payer.name,
    )


def covered_kinds(authorisation: Authorisation) -> list[str]:
    """The kinds of visit listed (known ones only: a stray value never widens or breaks it)."""
    listed = authorisation.covers if isinstance(authorisation.covers, list) else []
    return [kind for kind in AppointmentKind.values if kind in listed]


def covers_label(authorisation: Authorisation) -> str:
    kinds = covered_kinds(authorisation)
    if not kinds:
        return "Every kind of visit"
    return ", ".join(str(AppointmentKind(kind).label) for kind in kinds)


def visit_units(appointment_type: AppointmentType | None, minutes: int | None = None) -> int:
    """Billing units a booked visit is expected to use: its length by the 8-minute rule (at
    least one). The visit's record, once written, is what billing charges."""
    length = minutes if minutes is not None else getattr(appointment_type, "duration_minutes", 0)
    return max(1, units_for_minutes(length or 0))


def uses_of(authorisations: Sequence[Authorisation]) -> list[AuthorisationUse]:
    """Each authorisation with its usage, from one query of its patients' appointments."""
    visits = _visits_by_patient(authorisations)
    return [
        AuthorisationUse(
            row,
            core.usage(as_core(row), visits.get(row.coverage.patient_id, []), settings_for(row)),
        )
        for row in authorisations
    ]


def _visits_by_patient(
    authorisations: Sequence[Authorisation], leaving_out: Collection[int] = ()
) -> dict[int, list[core.Visit]]:
    """The core's visits of every patient concerned, over the span of all the dates given."""
    if not authorisations:
        return {}
    first = min(a.start_date for a in authorisations)
    last = max(a.end_date for a in authorisations)
    patients = {a.coverage.patient_id for a in authorisations}
    return _visits(patients, first, last, leaving_out)


def _visits(
    patients: Iterable[int], first: dt.date, last: dt.date, leaving_out: Collection[int] = ()
) -> dict[int, list[core.Visit]]:
    rows = Appointment.objects.filter(
        patient_id__in=list(patients),
        start__gte=dt.datetime.combine(first - MARGIN, dt.time(), dt.UTC),
        start__lt=dt.datetime.combine(last + MARGIN * 2, dt.time(), dt.UTC),
    ).exclude(pk__in=list(leaving_out))
    found: dict[int, list[core.Visit]] = defaultdict(list)
    for patient_id, start, status, kind, minutes, zone in rows.values_list(*VISIT_COLUMNS):
        day = times.clinic_day(start, zone)
        visit = core.Visit(day, kind, core.VisitStatus(status), visit_units(None, minutes))
        found[patient_id].append(visit)
    return found


@dataclass(frozen=True)
class CoverageAuthorisations:
    coverage: Coverage
    uses: list[AuthorisationUse]


def listed_for(user: AnyUser, coverages: list[Coverage]) -> list[CoverageAuthorisations]:
    """Each coverage (read through `get_coverage_for` or `coverages_of`) with its
    authorisations and their use, newest first; recorded as a list read of each patient's."""
    rows = authorisations_visible_to(user).filter(coverage__in=coverages)
    uses = uses_of(list(rows.order_by("-start_date", "-pk")))
    for patient in {c.patient_id: c.patient for c in coverages}.values():
        _list_read(user, patient)
    return [
        CoverageAuthorisations(c, [u for u in uses if u.authorisation.coverage_id == c.pk])
        for c in coverages
    ]


def _list_read(user: AnyUser, patient: Patient) -> None:
    audit.record(
        Action.READ, by=user, object_type="authorisation", object_id=patient.pk,
        patient_id=patient.pk, clinic_id=patient.preferred_clinic_id, reason="list",
    )  # fmt: skip


# --- warnings before booking (registered with booking's hooks) --------------------------------


def booking_warnings(
    patient: Patient,
    starts: Sequence[dt.datetime],
    appointment_type: AppointmentType,
    already_booked: Collection[int],
) -> list[tuple[dt.datetime, str]]:
    """For each visit to book that falls outside an authorisation of the patient's coverage
    in effect that day (past its count, its dates, or the kinds it covers): its start and
    the core's warning. No authorisation on file: no warning (many plans need none)."""
    rows = list(
        Authorisation.objects.filter(coverage__patient=patient).select_related("coverage__payer")
    )
    if not rows or not starts:
        return []
    clinic: Clinic = appointment_type.clinic
    days = {start: times.clinic_day(start, clinic) for start in starts}
    span_first = min([*days.values(), *(a.start_date for a in rows)])
    span_last = max([*days.values(), *(a.end_date for a in rows)])
    visits = _visits([patient.pk], span_first, span_last, already_booked).get(patient.pk, [])
    units = visit_units(appointment_type)
    warned: dict[dt.datetime, str] = {}
    for authorisation, wanted in _checked_against(rows, days, appointment_type.kind).items():
        found = core.check_series(
            as_core(authorisation), visits, [days[s] for s in wanted], appointment_type.kind,
            units=units, settings=settings_for(authorisation),
        )  # fmt: skip
        warned_days = {day: warning.message for day, warning in found}
        for start in wanted:
            if days[start] in warned_days and start not in warned:
                warned[start] = warned_days[days[start]]
    return [(start, warned[start]) for start in starts if start in warned]


def _checked_against(
    rows: list[Authorisation], days: dict[dt.datetime, dt.date], kind: str
) -> dict[Authorisation, list[dt.datetime]]:
    """Which authorisation each visit is checked against, per coverage in effect that day:
    one that covers the day and the kind; else the latest one (whose warning says why not)."""
    by_coverage: dict[int, list[Authorisation]] = defaultdict(list)
    for row in rows:
        by_coverage[row.coverage_id].append(row)
    checked: dict[Authorisation, list[dt.datetime]] = defaultdict(list)
    for start, day in days.items():
        for own in by_coverage.values():
            if _in_effect(own[0].coverage, day):
                checked[_applicable(own, day, kind)].append(start)
    return checked


def _in_effect(coverage: Coverage, day: dt.date) -> bool:
    ends = coverage.effective_to
    return coverage.effective_from <= day and (ends is None or day <= ends)


def _applicable(rows: list[Authorisation], day: dt.date, kind: str) -> Authorisation:
    covering = [r for r in rows if as_core(r).covers_day(day) and as_core(r).covers_kind(kind)]
    if covering:
        return max(covering, key=lambda r: (r.start_date, r.pk))
    return max(rows, key=lambda r: (as_core(r).covers_kind(kind), r.end_date, r.pk))


# --- the front desk's list --------------------------------------------------------------------


def running_out(user: AnyUser, clinics: list[Clinic], today: dt.date) -> list[AuthorisationUse]:
    """Authorisations still running at the user's clinics with few visits left or ending
    soon, the fewest left first. One query for the authorisations, one for the visits."""
    rows = list(
        authorisations_visible_to(user)
        .filter(
            coverage__patient__preferred_clinic__in=clinics,
            end_date__gte=today,
            start_date__lte=today + dt.timedelta(days=ENDING_WITHIN_DAYS),
        )
        .order_by("end_date", "pk")
    )
    flagged = [use for use in uses_of(rows) if use.usage.running_out or use.ending_soon(today)]
    flagged.sort(key=lambda use: (use.left, use.authorisation.end_date))
    for clinic in clinics:
        audit.record(
            Action.READ, by=user, object_type="authorisation", object_id=clinic.pk,
            clinic_id=clinic.pk, reason="running_out",
        )  # fmt: skip
    return flagged[:SHOWN]


# --- writes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorisationInput:
    reference: str
    unit: str
    authorised: int
    start_date: dt.date
    end_date: dt.date
    covers: list[str]
    note: str = ""


def _checked(data: AuthorisationInput) -> AuthorisationInput:
    reference, note = data.reference.strip(), data.note.strip()
    if not reference:
        raise Refused("Please give the authorization number.", "reference")
    if len(reference) > REFERENCE_MAX or len(note) > NOTE_MAX:
        raise Refused("The authorization number or the note is too long.", "too_long")
    if data.unit not in AuthorisationUnit.values:
        raise Refused("Choose visits or billing units.", "unit")
    if not 1 <= data.authorised <= 999:
        raise Refused("The number authorized must be between 1 and 999.", "authorised")
    if data.end_date < data.start_date:
        raise Refused("The last day must not come before the first day.", "dates")
    unknown = set(data.covers) - set(AppointmentKind.values)
    if unknown:
        raise Refused("Choose the kinds of visit from the list.", "covers")
    covers = [kind for kind in AppointmentKind.values if kind in data.covers]
    return AuthorisationInput(
        reference, data.unit, data.authorised, data.start_date, data.end_date, covers, note
    )


def _fields(data: AuthorisationInput) -> dict[str, Any]:
    return {
        "reference": data.reference, "unit": data.unit, "authorised": data.authorised,
        "start_date": data.start_date, "end_date": data.end_date, "covers": data.covers,
        "note": data.note,
    }  # fmt: skip


def _record(action: str, by: User, row: Authorisation) -> None:
    patient = row.coverage.patient
    audit.record(
        action, by=by, object_type="authorisation", object_id=row.pk,
        patient_id=patient.pk, clinic_id=patient.preferred_clinic_id,
    )  # fmt: skip


def authorisation_add(*, by: User, coverage: Coverage, data: AuthorisationInput) -> Authorisation:
    """Records what the payer authorised for this coverage."""
    _ensure_may_change_coverage(by, coverage)
    data = _checked(data)
    with transaction.atomic():
        row = Authorisation.objects.create(coverage=coverage, entered_by=by, **_fields(data))
        _record(Action.CREATE, by, row)
    return row


def authorisation_update(
    *, by: User, authorisation: Authorisation, data: AuthorisationInput
) -> Authorisation:
    """Changes an authorisation (an extension: more visits, a later last day)."""
    _ensure_may_change_coverage(by, authorisation.coverage)
    data = _checked(data)
    with transaction.atomic():
        row = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
        for name, value in _fields(data).items():
            setattr(row, name, value)
        row.save()
        _record(Action.UPDATE, by, row)
    return row


def _ensure_may_change_coverage(by: User, coverage: Coverage) -> None:
    ensure_may_change(by)
    if not coverages_visible_to(by).filter(pk=coverage.pk).exists():
        raise PermissionDenied("This patient is not at one of your clinics.")
