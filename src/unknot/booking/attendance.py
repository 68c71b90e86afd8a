"""The attendance policy: missed visits, late cancellations, and the front desk's follow-up.

A visit counts against a patient when they did not attend (status "did not attend") or when
they cancelled it late: themselves or through the front desk, inside the appointment type's
change notice. Whether a cancellation was late is judged once, when it is made
(`late_under_policy`, stored on the appointment), so changing a type's notice later does not
rewrite history. Each clinic says how many such visits it allows over how many days
(`Clinic.attendance_window_days`, `Clinic.attendance_allowed`); one more flags the patient.

A flag is work for the front desk until someone records that they followed it up
(`attendance_follow_up`, audited): every miss up to then is covered, and a miss after it
opens the flag again. The same goes for a single miss of the last two weeks: the front
desk's list shows it until it is followed up.

Reads take the acting user and go through `appointments_visible_to`; `standings` is one
query for any number of patients (a GROUP BY with one condition per clinic, since each
clinic has its own window), so the pages that show flags cost the same however full the
calendar.
"""

import datetime as dt
import functools
import operator
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from unknot import audit
from unknot import scheduling as core
from unknot.accounts.access import ensure_may_write
from unknot.accounts.models import AnyUser, User
from unknot.audit.models import Action
from unknot.booking import adapters
from unknot.booking.errors import BookingError
from unknot.booking.models import (
    FOLLOW_UP_NOTE_MAX,
    PATIENT_CANCELLERS,
    Appointment,
    AttendanceFollowUp,
    CancelledBy,
    Status,
    missed_at,
)
from unknot.booking.selectors import appointments_visible_to
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.errors import Refused
from unknot.common.inputs import checked_note
from unknot.patients.hooks import PageFlag
from unknot.patients.models import Patient

# A single miss stays on the front desk's list this long; over the policy, until followed up.
FOLLOW_UP_DAYS = 14
SHOWN = 50
STAFF_CANCELLERS = (CancelledBy.PATIENT_BY_PHONE, CancelledBy.CLINIC)
MISSED = Q(status=Status.NO_SHOW) | Q(cancelled_late=True)


class FollowUpRefused(Refused):
    """A follow-up that cannot be recorded; `message` is written for the member of staff."""


# ---- the rule ------------------------------------------------------------------------------


def canceller(*, staff: bool, said: str | None) -> str:
    """Who cancelled: a patient is always the patient, online; staff say whether the patient
    called or the clinic cancelled, and a staff caller that does not ask (the APIs) records
    "not recorded", which never counts against the patient."""
    if not staff:
        return CancelledBy.PATIENT_ONLINE
    if said is None:
        return CancelledBy.NOT_RECORDED
    if said not in STAFF_CANCELLERS:
        raise BookingError("Please say who cancelled: the patient or the clinic.", "cancelled_by")
    return said


def inside_notice(appointment: Appointment, now: dt.datetime) -> bool:
    """Less than the type's change notice before the start: the scheduling core's own rule
    for changes online (exactly the notice before is still in time)."""
    kind = adapters.core_type(appointment.appointment_type)
    return not core.check_change(appointment.start, appointment_type=kind, now=now).ok


def late_under_policy(appointment: Appointment, cancelled_by: str, now: dt.datetime) -> bool:
    """A late cancellation: the patient's own (online or by phone), inside the notice."""
    return cancelled_by in PATIENT_CANCELLERS and inside_notice(appointment, now)


def policy_words(clinic: Clinic) -> str:
    allowed = clinic.attendance_allowed
    return (
        f"{clinic.name}'s policy allows {allowed} missed or late-cancelled "
        f"visit{'' if allowed == 1 else 's'} in {clinic.attendance_window_days} days"
    )


def policy_for_patients(appointment: Appointment, now: dt.datetime) -> str:
    """What a cancellation now means under the clinic's policy, in words for the patient:
    calm and plain, no warning tone."""
    clinic = appointment.clinic
    hours = appointment.appointment_type.change_notice_hours
    if inside_notice(appointment, now):
        return (
            f"This visit is less than {hours} hours away, so cancelling it now counts as a late "
            f"cancellation under {clinic.name}'s attendance policy, which allows "
            f"{_visits(clinic.attendance_allowed)} missed or cancelled late in "
            f"{clinic.attendance_window_days} days."
        )
    return (
        f"Cancelling now is in good time: with at least {hours} hours' notice it does not "
        f"count under {clinic.name}'s attendance policy."
    )


def _visits(count: int) -> str:
    return f"{count} visit{'' if count == 1 else 's'}"


# ---- standings: one query for many patients ------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A patient's misses at one clinic, over the clinic's window."""

    patient_id: int
    clinic: Clinic
    misses: int  # in the clinic's window
    last_missed_at: dt.datetime
    followed_up_at: dt.datetime | None
    patient: Patient | None = None  # loaded for the front desk's list only

    @property
    def over(self) -> bool:
        return self.misses > self.clinic.attendance_allowed

    @property
    def followed_up(self) -> bool:
        """Someone spoke to the patient after their latest miss."""
        return self.followed_up_at is not None and self.followed_up_at >= self.last_missed_at

    @property
    def flagged(self) -> bool:
        """Over the policy and not yet followed up: work for the front desk."""
        return self.over and not self.followed_up

    @property
    def words(self) -> str:
        """ "3 missed or late-cancelled visits in the last 90 days; the clinic's policy
        allows 2"."""
        clinic = self.clinic
        return (
            f"{self.misses} missed or late-cancelled visit{'' if self.misses == 1 else 's'} "
            f"in the last {clinic.attendance_window_days} days; "
            f"the clinic's policy allows {clinic.attendance_allowed}"
        )


def _reaching_back(clinics: Iterable[Clinic], now: dt.datetime, days: dict[int, int]) -> Q:
    """Misses since `days[clinic]` days before `now`, each clinic with its own reach."""
    found = Q(pk__in=[])
    for clinic in clinics:
        since = now - dt.timedelta(days=days[clinic.pk])
        found |= Q(clinic_id=clinic.pk, missed_at__gt=since)
    return found


def _over(clinics: list[Clinic]) -> Q:
    """More misses than each one's clinic allows: a HAVING condition on the grouped rows.
    Built from the clinics alone (not `pk__in=[]`, whose column would join the GROUP BY
    and split every patient's row); `clinics` is never empty here."""
    over = [Q(clinic_id=c.pk, misses__gt=c.attendance_allowed) for c in clinics]
    return functools.reduce(operator.or_, over)


def _window(clinics: list[Clinic], now: dt.datetime) -> Q:
    return _reaching_back(clinics, now, {c.pk: c.attendance_window_days for c in clinics})


def _latest_follow_up() -> Subquery:
    rows = AttendanceFollowUp.objects.filter(
        patient_id=OuterRef("patient_id"), clinic_id=OuterRef("clinic_id")
    ).order_by("-done_at")
    return Subquery(rows.values("done_at")[:1])


def _grouped(user: AnyUser, clinics: list[Clinic], now: dt.datetime, reach: Q) -> QuerySet:
    """Per patient and clinic: misses in the clinic's window, the latest miss within
    `reach`, and the latest follow-up. One query."""
    rows = (
        appointments_visible_to(user)
        .filter(MISSED, clinic__in=clinics, patient__isnull=False)
        .annotate(missed_at=missed_at())
        .filter(reach, missed_at__lte=now)
    )
    return rows.values("patient_id", "clinic_id").annotate(
        misses=Count("pk", filter=_window(clinics, now)),
        last_missed_at=Max("missed_at"),
        followed_up_at=_latest_follow_up(),
    )


def _standing(row: dict[str, object], clinics: dict[int, Clinic]) -> Standing:
    return Standing(
        patient_id=row["patient_id"],  # type: ignore[arg-type]
        clinic=clinics[row["clinic_id"]],  # type: ignore[index]
        misses=row["misses"],  # type: ignore[arg-type]
        last_missed_at=row["last_missed_at"],  # type: ignore[arg-type]
        followed_up_at=row["followed_up_at"],  # type: ignore[arg-type]
    )


def standings(
    user: AnyUser,
    now: dt.datetime,
    patient_ids: Iterable[int],
    clinics: list[Clinic] | None = None,
) -> dict[tuple[int, int], Standing]:
    """By (patient id, clinic id): the standing of each of these patients who missed a visit
    in the clinic's window, at the user's clinics (or those of `clinics` among them)."""
    ids = sorted({pk for pk in patient_ids if pk is not None})
    clinics = _own(user, clinics)
    if not ids or not clinics:
        return {}
    rows = _grouped(user, clinics, now, _window(clinics, now)).filter(patient_id__in=ids)
    by_id = {clinic.pk: clinic for clinic in clinics}
    found = (_standing(row, by_id) for row in rows)
    return {(s.patient_id, s.clinic.pk): s for s in found}


def flags_for(
    user: AnyUser, now: dt.datetime, appointments: Iterable[Appointment]
) -> dict[int, Standing]:
    """The open flags of these appointments' patients at each one's clinic, by appointment
    id: one query for the whole list (the calendar's day)."""
    rows = list(appointments)
    clinics = list({a.clinic_id: a.clinic for a in rows}.values())
    found = standings(user, now, (a.patient_id for a in rows if a.patient_id), clinics)
    flags = {}
    for appointment in rows:
        standing = found.get((appointment.patient_id or 0, appointment.clinic_id))
        if standing is not None and standing.flagged:
            flags[appointment.pk] = standing
    return flags


def to_follow_up(user: AnyUser, now: dt.datetime) -> list[Standing]:
    """The front desk's list: patients over the policy not followed up since their latest
    miss, and anyone whose miss of the last `FOLLOW_UP_DAYS` is not followed up yet; the
    latest miss first. One query for the standings (the database keeps only these), one for
    the patients' names."""
    clinics = _own(user, None)
    if not clinics:
        return []
    reach = {c.pk: max(c.attendance_window_days, FOLLOW_UP_DAYS) for c in clinics}
    over = _over(clinics)
    recent = Q(last_missed_at__gt=now - dt.timedelta(days=FOLLOW_UP_DAYS))
    not_followed = Q(followed_up_at__isnull=True) | Q(followed_up_at__lt=F("last_missed_at"))
    rows = (
        _grouped(user, clinics, now, _reaching_back(clinics, now, reach))
        .filter(not_followed)
        .filter(over | recent)
        .order_by("-last_missed_at", "patient_id")[:SHOWN]
    )
    by_id = {clinic.pk: clinic for clinic in clinics}
    found = [_standing(row, by_id) for row in rows]
    people = Patient.objects.in_bulk([s.patient_id for s in found])
    return [
        Standing(**{**vars(s), "patient": people[s.patient_id]})
        for s in found
        if s.patient_id in people
    ]


def over_policy_counts(
    user: AnyUser, clinics: list[Clinic], ends: dict[int, dt.datetime]
) -> Counter[int]:
    """By clinic id: how many patients were over the policy at `ends[clinic]` (the end of a
    dashboard's period, each clinic's own midnight). One query; only those rows come back."""
    clinics = _own(user, clinics)
    if not clinics:
        return Counter()
    window = Q(pk__in=[])
    for clinic in clinics:
        end = ends[clinic.pk]
        since = end - dt.timedelta(days=clinic.attendance_window_days)
        window |= Q(clinic_id=clinic.pk, missed_at__gt=since, missed_at__lte=end)
    rows = (
        appointments_visible_to(user)
        .filter(MISSED, clinic__in=clinics, patient__isnull=False)
        .annotate(missed_at=missed_at())
        .filter(window)
        .values("patient_id", "clinic_id")
        .annotate(misses=Count("pk"))
        .filter(_over(clinics))
    )
    return Counter(row["clinic_id"] for row in rows)


def _own(user: AnyUser, clinics: list[Clinic] | None) -> list[Clinic]:
    """The clinics whose policies apply: `clinics` as given (their rows are read through
    `appointments_visible_to(user)` all the same, so naming another's clinic shows nothing),
    or by default all of the user's."""
    return list(clinics_visible_to(user)) if clinics is None else clinics


def misses_of(
    user: AnyUser, patient: Patient, clinic: Clinic, now: dt.datetime
) -> list[Appointment]:
    """The patient's misses at the clinic in its window, the latest first (the follow-up
    page: a few rows at most)."""
    rows = (
        appointments_visible_to(user)
        .filter(MISSED, patient=patient, clinic=clinic)
        .annotate(missed_at=missed_at())
        .filter(_window([clinic], now), missed_at__lte=now)
    )
    return list(rows.order_by("-missed_at", "-pk"))


def follow_ups_of(patient: Patient, clinic: Clinic, shown: int = 5) -> list[AttendanceFollowUp]:
    """The latest follow-ups; the caller has already checked that the user may see both."""
    rows = AttendanceFollowUp.objects.filter(patient=patient, clinic=clinic)
    return list(rows.select_related("done_by__user")[:shown])


def patient_page_flags(user: AnyUser, patient: Patient, now: dt.datetime) -> list[PageFlag]:
    """The patient's open flags, one per clinic, for their page (`patients.hooks`)."""
    found = standings(user, now, [patient.pk]).values()
    return [
        PageFlag(
            label="Over the attendance policy",
            url=reverse("booking:staff_attendance", args=[patient.pk, standing.clinic.slug]),
            words=f"At {standing.clinic.name}: {standing.words}",
        )
        for standing in sorted(found, key=lambda s: s.clinic.name)
        if standing.flagged
    ]


# ---- the follow-up -------------------------------------------------------------------------


def attendance_follow_up(
    *, by: User, patient: Patient, clinic: Clinic, note: str, now: dt.datetime
) -> AttendanceFollowUp:
    """Records that the front desk spoke to the patient about their attendance at the
    clinic: it closes their flag for every miss so far. Audited in the same transaction."""
    ensure_may_write(by, "Your role may see this but not record a follow-up.")
    if not clinics_visible_to(by).filter(pk=clinic.pk).exists():
        raise PermissionDenied("You do not work at this clinic.")
    note = checked_note(
        note, limit=FOLLOW_UP_NOTE_MAX, when_empty="Please write a short note of what was said.",
        refuse=FollowUpRefused,
    )  # fmt: skip
    with transaction.atomic():
        row = AttendanceFollowUp.objects.create(
            patient=patient, clinic=clinic, done_by=by.staff_member, done_at=now, note=note
        )
        audit.record(
            Action.CREATE, by=by, object_type="attendance_follow_up", object_id=row.pk,
            patient_id=patient.pk, clinic_id=clinic.pk, reason="followed_up",
        )  # fmt: skip
    return row
