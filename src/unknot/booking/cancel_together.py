"""Cancelling the rest of a patient's booked visits at once, as a discharge does.

Everything happens in one transaction (the caller's, when there is one): each visit is
cancelled with its own audit row and its unsent emails stopped, and the patient gets ONE email
listing them all. One email per visit would bury the person's inbox just as their care ends.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from icalendar import Calendar

from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.booking import hooks, ics, notifications
from unknot.booking.errors import BookingError
from unknot.booking.models import Appointment, CancelledBy, Status
from unknot.booking.services import CANCEL_FIELDS, _ensure_staff_writer, _recorded
from unknot.clinics import times
from unknot.outbox.models import OutboxStatus
from unknot.outbox.queue import queue_email

KIND = "discharge_cancellation"  # the outbox's kind for the one email
AUDIT_REASON = "cancelled_at_discharge"
UNSENT = (OutboxStatus.QUEUED, OutboxStatus.FAILED)


@dataclass(frozen=True)
class VisitLine:
    """A visit as people read it: on the discharge page and in the email."""

    pk: int
    when: str  # the clinic's wall clock, US style, its zone named
    therapist: str
    kind: str


def local_when(appointment: Appointment) -> str:
    """ "Tuesday, December 15, 2026, 9:30 AM MST": the weekday helps a person place the visit."""
    return times.long_moment_label(appointment.start, appointment.clinic)


def visit_line(appointment: Appointment) -> VisitLine:
    return VisitLine(
        pk=appointment.pk,
        when=local_when(appointment),
        therapist=appointment.therapist.display_name,
        kind=appointment.appointment_type.name,
    )


@transaction.atomic
def appointments_cancel_together(
    *,
    by: User,
    appointments: Sequence[Appointment],
    now: dt.datetime,
    reason: str,
    message_key: str,
) -> list[Appointment]:
    """Cancels every one of `appointments` (one patient, one clinic) or none of them.

    `message_key` names the occasion (e.g. the discharged episode): the outbox keeps one email
    per key, so running the same occasion again can never send the email twice.
    """
    if not appointments:
        return []
    visits = _locked(appointments)
    _ensure_one_patient(visits)
    _ensure_staff_writer(by, visits[0].clinic)
    for visit in visits:
        _cancel(by, visit, now, reason)
    _tell_patient(visits, now, message_key)
    return visits


def _locked(appointments: Sequence[Appointment]) -> list[Appointment]:
    """The rows, locked and re-read: someone may have changed a visit since it was listed."""
    wanted = {a.pk for a in appointments}
    rows = list(
        Appointment.objects.select_for_update(of=("self",))
        .select_related("clinic", "patient", "therapist__user", "appointment_type")
        .filter(pk__in=wanted)
        .order_by("start", "pk")
    )
    gone = [row for row in rows if row.status != Status.BOOKED]
    if len(rows) != len(wanted) or gone:
        when = f" on {local_when(gone[0])}" if gone else ""
        raise BookingError(
            f"The visit{when} is no longer booked: it was changed or cancelled meanwhile.",
            "not_booked",
        )
    return rows


def _ensure_one_patient(visits: list[Appointment]) -> None:
    # One email goes to one person about one clinic: mixing would tell someone of another's care.
    if len({(v.patient_id, v.clinic_id) for v in visits}) != 1 or visits[0].patient_id is None:
        raise BookingError("Only visits of one patient at one clinic can be cancelled together.")


def _cancel(by: User, visit: Appointment, now: dt.datetime, reason: str) -> None:
    hooks.run_after_slot_freed(visit)  # its time frees up too (the waitlist, on commit)
    visit.status = Status.CANCELLED
    visit.cancelled_at = now
    visit.cancel_reason = reason[:200]
    visit.cancelled_by, visit.cancelled_late = CancelledBy.CLINIC, False  # the clinic's decision
    visit.save(update_fields=[*CANCEL_FIELDS, "updated_at"])
    notifications.cancel_pending(visit)  # its reminders
    # A confirmation still waiting to go out would announce a visit that no longer exists.
    visit.emails.filter(status__in=UNSENT, kind="confirmation").update(
        status=OutboxStatus.CANCELLED
    )
    _recorded(by, Action.UPDATE, visit, AUDIT_REASON)


def _tell_patient(visits: list[Appointment], now: dt.datetime, message_key: str) -> None:
    patient, clinic = visits[0].patient, visits[0].clinic
    if patient is None or not patient.email:
        return
    context = {"patient": patient, "clinic": clinic, "visits": [visit_line(v) for v in visits]}
    queue_email(
        key=f"{KIND}:{message_key}",
        kind=KIND,
        appointment=None,  # the email is about several visits
        clinic_id=clinic.pk,
        to=patient.email,
        subject=f"Your visits are cancelled · {clinic.name}",
        body=render_to_string("booking/email/discharge_cancellation.txt", context),
        ics_text=_cancellations(visits, now),
        send_after=now,
    )


def _cancellations(visits: list[Appointment], now: dt.datetime) -> str:
    """One calendar file cancelling every visit: the events of each visit's own cancellation
    file (ics.patient_invite), gathered under one METHOD:CANCEL (RFC 6047, section 4.4)."""
    merged = Calendar.from_ical(ics.patient_invite(visits[0], now))
    for visit in visits[1:]:
        for event in Calendar.from_ical(ics.patient_invite(visit, now)).walk("VEVENT"):
            merged.add_component(event)
    return str(merged.to_ical().decode())
