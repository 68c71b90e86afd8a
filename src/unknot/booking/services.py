"""Writes to calendars. Every path that creates or moves an appointment ends in `_insert_exclusive`.

The guarantee against double booking is layered: the core's rules are checked first (clear
messages), then the row is written inside a transaction where PostgreSQL's exclusion
constraint (or, on SQLite, an IMMEDIATE transaction and an overlap re-check) has the last word.
A lost race of any kind becomes `SlotTaken`, never a server error.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction

from unknot import audit
from unknot import scheduling as core
from unknot.accounts.access import ensure_may_write, staff_role, staff_user
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.booking import (
    adapters,
    attendance,
    eligibility,
    hold_limits,
    hooks,
    notifications,
    safety_calls,
)
from unknot.booking.errors import (
    BookingError,
    HoldExpired,
    NotForPatients,
    SeriesConflicts,
    SlotTaken,
)
from unknot.booking.models import Appointment, AppointmentSeries, AppointmentType, Status
from unknot.booking.prescreen import ScreenResult
from unknot.booking.selectors import availability, bookable_therapists
from unknot.clinics import times
from unknot.clinics.models import Clinic, StaffMember
from unknot.clinics.selectors import works_at
from unknot.patients.models import Patient
from unknot.patients.services import PersonDetails, patient_match_or_create

# PostgreSQL: exclusion violation, deadlock, serialization failure. All mean "someone else won".
RACE_SQLSTATES = {"23P01", "40P01", "40001"}
# What a cancellation writes, wherever it is made (here and `cancel_together`).
CANCEL_FIELDS = ("status", "cancelled_at", "cancel_reason", "cancelled_by", "cancelled_late")


def hold_minutes() -> int:
    return int(getattr(settings, "BOOKING_HOLD_MINUTES", 10))


def _blocked(start: dt.datetime, kind: AppointmentType) -> tuple[dt.datetime, dt.datetime]:
    core_kind = adapters.core_type(kind)
    end = start + core_kind.duration
    return start - core_kind.buffer_before, end + core_kind.buffer_after


def _lost_race(error: Exception) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RACE_SQLSTATES


def _overlapping(appointment: Appointment, now: dt.datetime) -> Any:
    return (
        Appointment.objects.filter(
            therapist_id=appointment.therapist_id,
            blocked_start__lt=appointment.blocked_end,
            blocked_end__gt=appointment.blocked_start,
        )
        .exclude(status=Status.CANCELLED)
        .exclude(pk=appointment.pk)
    )


def _clear_expired_holds(appointment: Appointment, now: dt.datetime) -> int:
    """Deletes holds that ran out where `appointment` goes: they block nobody any more."""
    expired = _overlapping(appointment, now).filter(status=Status.HELD, hold_expires_at__lte=now)
    return int(expired.delete()[0])


def _insert_exclusive(
    appointment: Appointment,
    now: dt.datetime,
    then: Callable[[Appointment], None] | None = None,
) -> Appointment:
    """Saves the appointment unless it would overlap another one of the same therapist.

    `then` runs in the same transaction, after the row is written (what the booking itself
    creates), so all of it commits or none. On PostgreSQL the exclusion constraint decides
    with no extra query; only when it refuses are holds that ran out cleared, and the write
    tried once more. SQLite has no such constraint: inside its IMMEDIATE transaction the
    expired holds are cleared and the overlap re-checked before the write.
    """
    postgres = connection.vendor == "postgresql"
    for last_try in (False, True):
        try:
            with transaction.atomic():
                if not postgres:
                    _clear_expired_holds(appointment, now)
                    if _overlapping(appointment, now).exists():
                        raise SlotTaken()
                appointment.save()
                if then is not None:
                    then(appointment)
            return appointment
        except (IntegrityError, OperationalError) as error:
            if not (postgres and _lost_race(error)):
                raise
            exclusion = getattr(error.__cause__, "sqlstate", None) == "23P01"
            if last_try or not exclusion or not _clear_expired_holds(appointment, now):
                raise SlotTaken() from error
    raise AssertionError("unreachable")  # pragma: no cover


def _verify(
    clinic: Clinic,
    kind: AppointmentType,
    therapist: StaffMember,
    start: dt.datetime,
    now: dt.datetime,
    *,
    enforce_grid: bool,
) -> None:
    """Every rule of the core but busy time, with its own message (notice, horizon, grid,
    opening hours, working hours, time off).

    Busy time is not read here: whoever writes the row next goes through `_insert_exclusive`,
    where the exclusion constraint (or SQLite's re-check in its write transaction) refuses an
    overlap with `SlotTaken`, the same answer the core gives for busy time. The core checks
    busy time last, so leaving it out changes no other answer, and saves a query a booking.
    """
    day = start.date()  # in UTC: a day either side covers the clinic's local date
    calendar, schedule = adapters.booking_day(
        clinic, therapist.pk, day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    )
    verdict = core.check_bookable(
        start,
        clinic=calendar,
        appointment_type=adapters.core_type(kind),
        schedule=schedule,
        busy=(),
        now=now,
        enforce_grid=enforce_grid,
    )
    if not verdict.ok:
        raise BookingError(verdict.message, verdict.reason.value if verdict.reason else None)


def _new_appointment(
    clinic: Clinic, kind: AppointmentType, therapist: StaffMember, start: dt.datetime, **fields: Any
) -> Appointment:
    blocked_start, blocked_end = _blocked(start, kind)
    return Appointment(
        clinic=clinic,
        appointment_type=kind,
        therapist=therapist,
        start=start,
        end=start + dt.timedelta(minutes=kind.duration_minutes),
        blocked_start=blocked_start,
        blocked_end=blocked_end,
        **fields,
    )


def _choose_therapist(
    clinic: Clinic,
    kind: AppointmentType,
    therapist_id: int | None,
    start: dt.datetime,
    now: dt.datetime,
) -> StaffMember:
    """The requested therapist, or for "any", the least-loaded one free at `start`."""
    therapists = {t.pk: t for t in bookable_therapists(clinic)}
    if therapist_id is not None:
        if therapist_id not in therapists:
            raise BookingError("That therapist does not take bookings at this clinic.", "therapist")
        return therapists[therapist_id]
    day = start.astimezone(adapters.zone(clinic)).date()
    slots = availability(
        clinic=clinic,
        appointment_type=kind,
        therapist_ids=list(therapists),
        first_day=day,
        last_day=day,
        now=now,
    )
    slot = next((s for s in slots if s.start_utc == start), None)
    if slot is None:
        if therapists:  # say why (too soon, closed...) rather than a bare "taken"
            _verify(clinic, kind, next(iter(therapists.values())), start, now, enforce_grid=True)
        raise SlotTaken()
    load = {
        tid: Appointment.objects.filter(therapist_id=int(tid), start__date=start.date())
        .exclude(status=Status.CANCELLED)
        .count()
        for tid in slot.therapist_ids
    }
    return therapists[int(core.pick_therapist(slot, load))]


def hold_slot(
    *,
    clinic: Clinic,
    appointment_type: AppointmentType,
    therapist_id: int | None,
    start: dt.datetime,
    now: dt.datetime,
    visitor: str = "",
    address: str = "",
) -> Appointment:
    """Reserves a slot for a few minutes while a person types their details.

    The hold lasts `BOOKING_FIRST_HOLD_MINUTES` until `hold_extend`. `visitor` (the browser
    session's id) and `address` (the client's) are held to the limits on live holds, in the
    hold's own transaction (`hold_limits`), as is the share of the therapist's day.
    """
    therapist = _choose_therapist(clinic, appointment_type, therapist_id, start, now)
    _verify(clinic, appointment_type, therapist, start, now, enforce_grid=True)
    hold_visitor, hold_address = hold_limits.holder_keys(visitor, address)
    hold = _new_appointment(
        clinic,
        appointment_type,
        therapist,
        start,
        status=Status.HELD,
        source="online",
        hold_expires_at=now + dt.timedelta(minutes=hold_limits.first_hold_minutes()),
        hold_visitor=hold_visitor,
        hold_address=hold_address,
    )
    return _insert_exclusive(hold, now, lambda held: hold_limits.enforce(held, now))


def hold_extend(*, hold_id: int, now: dt.datetime) -> bool:
    """The person sent their details: a live hold now lasts `BOOKING_HOLD_MINUTES` from now.
    False when the hold is no longer live."""
    until = now + dt.timedelta(minutes=hold_minutes())
    live = Appointment.objects.filter(pk=hold_id, status=Status.HELD, hold_expires_at__gt=now)
    return bool(live.update(hold_expires_at=until))


def release_hold(*, hold_id: int) -> None:
    Appointment.objects.filter(pk=hold_id, status=Status.HELD).delete()


@transaction.atomic
def confirm_hold(
    *,
    hold_id: int,
    patient: Patient | PersonDetails,
    now: dt.datetime,
    screen: ScreenResult | None = None,
) -> Appointment:
    """Turns a live hold into a booking for `patient` and queues the confirmation email.

    `patient` is a known record, or the details a person typed online: then the clinic's
    record of that person is found or filed (`patients.services.patient_match_or_create`) in
    this same transaction. `screen` is the verdict on the online safety questions: when it
    says "call first", the task to call before the visit is filed here too (`safety_calls`).
    """
    hold = Appointment.objects.select_for_update().filter(pk=hold_id, status=Status.HELD).first()
    if hold is None:
        raise HoldExpired()
    if hold.hold_expires_at is not None and hold.hold_expires_at <= now:
        _overlapping(hold, now).filter(status=Status.HELD, hold_expires_at__lte=now).delete()
        if _overlapping(hold, now).exists():
            hold.delete()
            raise SlotTaken()
    if isinstance(patient, PersonDetails):
        patient = patient_match_or_create(clinic=hold.clinic, details=patient)
    hold.patient = patient
    hold.status = Status.BOOKED
    hold.hold_expires_at = None
    hold.hold_visitor = hold.hold_address = ""  # only holds need to know who holds them
    hold.save()
    _recorded(None, Action.CREATE, hold, "booked_online")
    hooks.run_after_booked(hold)
    notifications.queue_booking_emails(hold, now)
    if screen is not None:
        safety_calls.safety_call_open(appointment=hold, screen=screen, now=now)
    return hold


def _ensure_staff_writer(by: User, clinic: Clinic) -> None:
    ensure_may_write(by, "Your role may not change the calendar.")
    if not works_at(by, clinic):
        raise PermissionDenied("You do not work at this clinic.")


def appointment_book(
    *,
    by: User,
    clinic: Clinic,
    appointment_type: AppointmentType,
    therapist: StaffMember,
    patient: Patient,
    start: dt.datetime,
    now: dt.datetime,
    source: str = "staff",
) -> Appointment:
    """Books a visit for a known patient: staff on their behalf, or the patient themselves
    (portal, REST, FHIR), who may book only what `eligibility.may_book_themselves` allows."""
    staff = staff_role(by) is not None
    if staff:
        _ensure_staff_writer(by, clinic)
    elif patient.user_id != by.pk:
        raise PermissionDenied("Patients can only book for themselves.")
    elif not eligibility.may_book_themselves(patient, clinic, appointment_type):
        raise NotForPatients()
    _verify(clinic, appointment_type, therapist, start, now, enforce_grid=not staff)

    def then(appointment: Appointment) -> None:  # in the booking's own transaction
        hooks.run_after_booked(appointment)
        notifications.queue_booking_emails(appointment, now)
        _recorded(by, Action.CREATE, appointment, "booked")

    appointment = _new_appointment(
        clinic,
        appointment_type,
        therapist,
        start,
        patient=patient,
        status=Status.BOOKED,
        source=source,
        booked_by=by,
    )
    return _insert_exclusive(appointment, now, then)


def online_change_refusal(appointment: Appointment, now: dt.datetime) -> str | None:
    """Why the person can no longer change or cancel this booking themselves (the notice
    period has begun, or it is no longer booked), or None while they can."""
    if appointment.status != Status.BOOKED:
        return "This appointment can no longer be changed online."
    verdict = core.check_change(
        appointment.start,
        appointment_type=adapters.core_type(appointment.appointment_type),
        now=now,
    )
    return None if verdict.ok else verdict.message


def _ensure_may_change(by: User | None, appointment: Appointment, now: dt.datetime) -> None:
    staff = staff_user(by)
    if staff is not None:
        _ensure_staff_writer(staff, appointment.clinic)
        return
    if by is not None and (appointment.patient is None or appointment.patient.user_id != by.pk):
        raise PermissionDenied("You can only change your own appointments.")
    verdict = core.check_change(
        appointment.start,
        appointment_type=adapters.core_type(appointment.appointment_type),
        now=now,
    )
    if not verdict.ok:
        raise BookingError(verdict.message, "change_too_late")


def appointment_cancel(
    *,
    by: User | None,
    appointment: Appointment,
    now: dt.datetime,
    reason: str = "",
    cancelled_by: str | None = None,
) -> Appointment:
    """Cancels a booking. `by=None` means the patient's signed email link.

    Who cancelled is kept with it, and whether that was late under the attendance policy
    (`attendance.late_under_policy`, judged now, once). A patient is always the patient,
    online; staff say whether the patient called or the clinic cancelled (`cancelled_by`);
    staff callers that do not say (the APIs) record "not recorded", which never counts.
    """
    if appointment.status not in (Status.BOOKED,):
        raise BookingError("Only a booked appointment can be cancelled.", "not_booked")
    _ensure_may_change(by, appointment, now)
    who = attendance.canceller(staff=staff_user(by) is not None, said=cancelled_by)
    with transaction.atomic():
        hooks.run_after_slot_freed(appointment)  # e.g. the waitlist offers the time, on commit
        appointment.status = Status.CANCELLED
        appointment.cancelled_at = now
        appointment.cancel_reason = reason[:200]
        appointment.cancelled_by = who
        appointment.cancelled_late = attendance.late_under_policy(appointment, who, now)
        appointment.save(update_fields=[*CANCEL_FIELDS, "updated_at"])
        notifications.queue_cancellation(appointment, now)
        _recorded(by, Action.UPDATE, appointment, "cancelled")
    return appointment


def appointment_move(
    *,
    by: User | None,
    appointment: Appointment,
    new_start: dt.datetime,
    now: dt.datetime,
    therapist: StaffMember | None = None,
) -> Appointment:
    if appointment.status != Status.BOOKED:
        raise BookingError("Only a booked appointment can be moved.", "not_booked")
    _ensure_may_change(by, appointment, now)
    therapist = therapist or appointment.therapist
    staff = staff_role(by) is not None
    _verify(
        appointment.clinic,
        appointment.appointment_type,
        therapist,
        new_start,
        now,
        enforce_grid=not staff,
    )
    blocked_start, blocked_end = _blocked(new_start, appointment.appointment_type)
    duration = appointment.duration
    with transaction.atomic():
        hooks.run_after_slot_freed(appointment)  # the old time, before it changes
        notifications.cancel_pending(appointment)
        appointment.therapist = therapist
        appointment.start = new_start
        appointment.end = new_start + duration
        appointment.blocked_start, appointment.blocked_end = blocked_start, blocked_end
        _insert_exclusive(appointment, now)
        notifications.queue_booking_emails(appointment, now, moved=True)
        safety_calls.alert_again_after_move(appointment, now)
        _recorded(by, Action.UPDATE, appointment, "moved")
    return appointment


MARKABLE = {Status.ARRIVED, Status.NO_SHOW, Status.COMPLETED, Status.BOOKED}
# What the desk can only know once the visit has begun: whether the person came.
AFTER_START = {Status.NO_SHOW, Status.COMPLETED}


def mark_refusal(appointment: Appointment, status: str, now: dt.datetime) -> str | None:
    """Why `appointment` cannot be marked `status` at `now`, in plain words; None when it can.

    Arrived only on the visit's own day at the clinic (in the clinic's zone), "did not
    attend" and "completed" only once the visit has started; back to booked (an undo) always.
    The one home of the rule: the service refuses with it, the pages offer only what passes.
    """
    if status not in MARKABLE or appointment.status in (Status.CANCELLED, Status.HELD):
        return "That change of status is not possible."
    if status == Status.ARRIVED and times.clinic_day(now, appointment.clinic) != times.clinic_day(
        appointment.start, appointment.clinic
    ):
        day = times.day_label(appointment.start, appointment.clinic)
        return f"The patient can be marked arrived only on the day of the visit ({day})."
    if status in AFTER_START and now < appointment.start:
        label = Status(status).label.lower()
        return f'The visit has not started yet: it can be marked "{label}" only once it begins.'
    return None


def allowed_marks(appointment: Appointment, now: dt.datetime) -> list[str]:
    """The statuses the desk may set now, other than the one the appointment has."""
    return [
        status
        for status in (Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW, Status.BOOKED)
        if status != appointment.status and mark_refusal(appointment, status, now) is None
    ]


@transaction.atomic
def appointment_mark(
    *, by: User, appointment: Appointment, status: str, now: dt.datetime
) -> Appointment:
    """Front-desk states: arrived, did not attend, completed (or back to booked to undo),
    each only when it can be true at `now` (`mark_refusal`)."""
    _ensure_staff_writer(by, appointment.clinic)
    refusal = mark_refusal(appointment, status, now)
    if refusal is not None:
        raise BookingError(refusal, "status")
    appointment.status = status
    appointment.save(update_fields=["status", "updated_at"])
    if status == Status.NO_SHOW:
        notifications.cancel_pending(appointment)
    _recorded(by, Action.UPDATE, appointment, str(status))  # arrived, no_show, completed, booked
    return appointment


def series_reserve(
    *,
    by: User,
    clinic: Clinic,
    appointment_type: AppointmentType,
    therapist: StaffMember,
    patient: Patient,
    pattern: core.SeriesPattern,
    now: dt.datetime,
    description: str = "",
) -> list[Appointment]:
    """Reserves every visit of a plan-of-care block in one transaction, or none of them.

    Conflicts found by the core are reported all together (with a nearby alternative each);
    a conflict that appears only at insert time (a race) rolls everything back too.
    """
    _ensure_staff_writer(by, clinic)
    days = list(core.wanted_days(pattern))
    if not days:
        raise BookingError("The pattern gives no visits: choose weekdays and a length.", "series")
    first, last = min(days), max(days)
    schedule = adapters.therapist_schedules(clinic, [therapist.pk], first, last)[0]
    margin = dt.timedelta(days=2)
    busy = adapters.busy_intervals(
        [therapist.pk],
        dt.datetime.combine(first - margin, dt.time(), dt.UTC),
        dt.datetime.combine(last + margin, dt.time(), dt.UTC),
        now,
    )
    plan = core.plan_series(
        pattern,
        clinic=adapters.clinic_calendar(clinic),
        appointment_type=adapters.core_type(appointment_type),
        schedule=schedule,
        busy=busy,
        now=now,
    )
    if not plan.ok:
        raise SeriesConflicts(list(plan.conflicts))
    with transaction.atomic():
        series = AppointmentSeries.objects.create(
            clinic=clinic,
            therapist=therapist,
            patient=patient,
            appointment_type=appointment_type,
            description=description or f"{len(plan.visits)} visits",
            created_by=by,
        )
        visits = [
            _insert_exclusive(
                _new_appointment(
                    clinic,
                    appointment_type,
                    therapist,
                    start,
                    patient=patient,
                    series=series,
                    status=Status.BOOKED,
                    source="series",
                    booked_by=by,
                ),
                now,
            )
            for start in plan.visits
        ]
        notifications.queue_series_emails(visits, now)
        for visit in visits:
            _recorded(by, Action.CREATE, visit, "series")
    return visits


def _recorded(by: User | None, action: str, appointment: Appointment, reason: str) -> None:
    """The audit row of a write: one INSERT, in the write's own transaction. `by=None` is
    whoever the request is from (nobody, for the public booking and the email links)."""
    audit.record(
        action, by=by, object_type="appointment", object_id=appointment.pk,
        patient_id=appointment.patient_id, clinic_id=appointment.clinic_id, reason=reason,
    )  # fmt: skip
