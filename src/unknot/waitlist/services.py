"""Writes to the waitlist: joining, leaving, and leaving because a booking was made.

Who may put whom on the list: the patient themselves (from the portal) for a type they may
book themselves (`booking.eligibility`), or a member of staff who may write at the clinic.
Each write is audited in its own transaction. Offers and answers: `offers`.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from unknot import audit
from unknot.accounts.access import ensure_may_write, staff_role
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.booking import eligibility
from unknot.booking.errors import NotForPatients
from unknot.booking.models import Appointment, AppointmentType
from unknot.booking.selectors import bookable_therapists
from unknot.clinics import times
from unknot.clinics.models import Clinic, StaffMember
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.together import Writes, postgres_writes_together, update_sql
from unknot.patients.models import Patient
from unknot.waitlist import offers
from unknot.waitlist.errors import NotWaiting, WaitlistRefused
from unknot.waitlist.models import ALL_WEEKDAYS, EntryStatus, JoinedFrom, TimeOfDay, WaitlistEntry


@dataclass(frozen=True)
class Wishes:
    """When the person can come: weekdays (bit n = Weekday n), a part of the day or two
    wall-clock times, and the first and last day, all at the clinic."""

    weekdays: int
    time_of_day: str
    first_day: dt.date
    last_day: dt.date
    earliest: dt.time | None = None
    latest: dt.time | None = None


def _check_wishes(wishes: Wishes, clinic: Clinic, now: dt.datetime) -> None:
    if not 0 < wishes.weekdays <= ALL_WEEKDAYS:
        raise WaitlistRefused("Please choose at least one day of the week.", "weekdays")
    if wishes.last_day < times.clinic_day(now, clinic):
        raise WaitlistRefused("The last day you can come has already passed.", "days")
    if wishes.first_day > wishes.last_day:
        raise WaitlistRefused("The first day must come before the last day.", "days")
    if wishes.time_of_day == TimeOfDay.BETWEEN and not (
        wishes.earliest and wishes.latest and wishes.earliest < wishes.latest
    ):
        raise WaitlistRefused("Please give two times, the earlier one first.", "times")


def _ensure_may_add(by: User, patient: Patient, clinic: Clinic, kind: AppointmentType) -> None:
    if staff_role(by) is not None:
        ensure_may_write(by, "Your role may not change the waitlist.")
        if not clinics_visible_to(by).filter(pk=clinic.pk).exists():
            raise PermissionDenied("You do not work at this clinic.")
    elif patient.user_id != by.pk:
        raise PermissionDenied("Patients can only join the waitlist for themselves.")
    elif not eligibility.may_book_themselves(patient, clinic, kind):
        raise NotForPatients()


def entry_join(
    *,
    by: User,
    patient: Patient,
    clinic: Clinic,
    appointment_type: AppointmentType,
    therapist: StaffMember | None,
    wishes: Wishes,
    now: dt.datetime,
) -> WaitlistEntry:
    """Puts the patient on the clinic's waitlist for one type, behind everyone already on it."""
    _ensure_may_add(by, patient, clinic, appointment_type)
    _check_wishes(wishes, clinic, now)
    if appointment_type.clinic_id != clinic.pk or not appointment_type.is_active:
        raise WaitlistRefused("That kind of visit is not offered at this clinic.", "type")
    if therapist is not None and not bookable_therapists(clinic).filter(pk=therapist.pk).exists():
        raise WaitlistRefused("That therapist does not take bookings at this clinic.", "therapist")
    with transaction.atomic():
        if _already_waiting(patient, clinic, appointment_type):
            raise WaitlistRefused(
                f"{patient.first_name} is already on the waitlist for this kind of visit.",
                "already_waiting",
            )
        entry = WaitlistEntry.objects.create(
            clinic=clinic, patient=patient, appointment_type=appointment_type,
            therapist=therapist, weekdays=wishes.weekdays, time_of_day=wishes.time_of_day,
            earliest=wishes.earliest if wishes.time_of_day == TimeOfDay.BETWEEN else None,
            latest=wishes.latest if wishes.time_of_day == TimeOfDay.BETWEEN else None,
            first_day=wishes.first_day, last_day=wishes.last_day, joined_at=now, added_by=by,
            joined_from=JoinedFrom.PORTAL if staff_role(by) is None else JoinedFrom.STAFF,
        )  # fmt: skip
        _recorded(by, Action.CREATE, entry, "joined")
    return entry


def _already_waiting(patient: Patient, clinic: Clinic, kind: AppointmentType) -> bool:
    return WaitlistEntry.objects.filter(
        patient=patient, clinic=clinic, appointment_type=kind, status=EntryStatus.WAITING
    ).exists()


def entry_leave(*, by: User | None, entry: WaitlistEntry, now: dt.datetime) -> WaitlistEntry:
    """Takes the entry off the waitlist; its open offers are declined. `by=None` is the
    person, through the signed link of an offer; staff must be able to write at the clinic."""
    if by is not None and staff_role(by) is not None:
        ensure_may_write(by, "Your role may not change the waitlist.")
        if not clinics_visible_to(by).filter(pk=entry.clinic_id).exists():
            raise PermissionDenied("You do not work at this clinic.")
    elif by is not None and entry.patient.user_id != by.pk:
        raise PermissionDenied("You can only change your own place on the waitlist.")
    with transaction.atomic():
        left = WaitlistEntry.objects.filter(pk=entry.pk, status=EntryStatus.WAITING).update(
            status=EntryStatus.LEFT, left_at=now
        )
        if not left:
            raise NotWaiting()
        entry.status, entry.left_at = EntryStatus.LEFT, now
        _recorded(by, Action.UPDATE, entry, "left")
        offers.withdraw(entry, now)
    return entry


def leave_when_booked(appointment: Appointment) -> Writes | None:
    """Booking's hook, in the booking's transaction: a patient booked for a type they were
    waiting for (through an offer or any other way) leaves the waitlist for it. One UPDATE,
    handed back on PostgreSQL to be made with the booking's other writes."""
    if appointment.patient_id is None:
        return None
    waiting = WaitlistEntry.objects.filter(
        patient_id=appointment.patient_id,
        appointment_type_id=appointment.appointment_type_id,
        status=EntryStatus.WAITING,
    )
    booked = {
        "status": EntryStatus.BOOKED,
        "left_at": appointment.created_at,
        "booked_appointment_id": appointment.pk,
    }
    if not postgres_writes_together(WaitlistEntry):
        _left_when_booked(appointment, waiting.update(**booked))
        return None
    sql, params = update_sql(waiting, **booked)
    return Writes(
        parts=(("waitlist_left", f"{sql} RETURNING 1"),),
        params=tuple(params),
        result="(SELECT count(*) FROM waitlist_left)",
        then=lambda left: _left_when_booked(appointment, left),
    )


def _left_when_booked(appointment: Appointment, left: int) -> None:
    if left:  # the booking's own row names who booked what; this says the list changed
        audit.record(
            Action.UPDATE, object_type="waitlist_entry", patient_id=appointment.patient_id,
            clinic_id=appointment.clinic_id, reason="left_when_booked",
        )  # fmt: skip


def _recorded(by: User | None, action: str, entry: WaitlistEntry, reason: str) -> None:
    audit.record(
        action, by=by, object_type="waitlist_entry", object_id=entry.pk,
        patient_id=entry.patient_id, clinic_id=entry.clinic_id, reason=reason,
    )  # fmt: skip
