"""What the booking side tells people, as outbox rows sent later by the worker.

Rows are written in the caller's transaction (unknot.outbox.queue); the worker is only asked
to send them once the transaction has committed, so a rolled-back booking never sends an email.
"""

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from unknot.booking import hooks, ics, links
from unknot.booking.models import Appointment, ContactQuestion, SafetyCall
from unknot.outbox import links as outbox_links
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.outbox.queue import queue_email, write_new

CALL_FIRST_ALERT = "call_first_alert"
PENDING = (OutboxStatus.QUEUED, OutboxStatus.FAILED)


def reminder_lead() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "BOOKING_REMINDER_HOURS", 24)))


def call_first_alert_lead() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "UNKNOT_CALL_FIRST_ALERT_HOURS", 24)))


def _local(appointment: Appointment) -> dt.datetime:
    return appointment.start.astimezone(zoneinfo.ZoneInfo(appointment.clinic.time_zone))


def _context(appointment: Appointment) -> dict[str, object]:
    return {
        "appointment": appointment,
        "local_start": _local(appointment),
        "manage_url": links.manage_url(appointment.pk),
        "clinic": appointment.clinic,
    }


def queue_booking_emails(appointment: Appointment, now: dt.datetime, moved: bool = False) -> None:
    """Confirmation now and a reminder before the visit, if we have an address."""
    patient = appointment.patient
    if patient is None or not patient.email:
        return
    stamp = appointment.start.isoformat()
    context = _context(appointment) | {"moved": moved, "intake_url": hooks.intake_link(appointment)}
    batch: list[OutboxEmail] | None = None if moved else []
    queue_email(
        key=f"confirmation:{appointment.pk}:{stamp}",
        kind="confirmation",
        appointment=appointment,
        clinic_id=appointment.clinic_id,
        to=patient.email,
        subject=("Your appointment has moved" if moved else "Your appointment is booked")
        + f" · {appointment.clinic.name}",
        body=render_to_string("booking/email/confirmation.txt", context),
        ics_text=ics.patient_invite(appointment, now),
        send_after=now,
        batch=batch,
    )
    remind_at = appointment.start - reminder_lead()
    if remind_at > now:
        queue_email(
            key=f"reminder:{appointment.pk}:{stamp}",
            kind="reminder",
            appointment=appointment,
            clinic_id=appointment.clinic_id,
            to=patient.email,
            subject=f"Reminder: your appointment at {appointment.clinic.name}",
            body=render_to_string("booking/email/reminder.txt", context),
            send_after=remind_at,
            batch=batch,
        )
    if batch:
        write_new(batch)


def queue_series_emails(visits: Sequence[Appointment], now: dt.datetime) -> None:
    for visit in visits:
        queue_booking_emails(visit, now)


def cancel_pending(appointment: Appointment) -> None:
    """Reminders (and call-first alerts) for a visit that moved or was cancelled must never
    go out: they would name the wrong time. A call still to be made keeps its task."""
    appointment.emails.filter(status__in=PENDING, kind__in=("reminder", CALL_FIRST_ALERT)).update(
        status=OutboxStatus.CANCELLED
    )


def queue_cancellation(appointment: Appointment, now: dt.datetime) -> None:
    cancel_pending(appointment)
    patient = appointment.patient
    if patient is None or not patient.email:
        return
    queue_email(
        key=f"cancellation:{appointment.pk}:{appointment.start.isoformat()}",
        kind="cancellation",
        appointment=appointment,
        clinic_id=appointment.clinic_id,
        to=patient.email,
        subject=f"Your appointment is cancelled · {appointment.clinic.name}",
        body=render_to_string("booking/email/cancellation.txt", _context(appointment)),
        ics_text=ics.patient_invite(appointment, now),
        send_after=now,
    )


def queue_question_emails(question: ContactQuestion, now: dt.datetime) -> None:
    """Tells the clinic's front desk about a question and thanks the person who asked."""
    clinic = question.clinic
    context = {"question": question, "clinic": clinic}
    if clinic.email:
        queue_email(
            key=f"question:{question.pk}",
            kind="question",
            appointment=None,
            clinic_id=clinic.pk,
            to=clinic.email,
            subject=f"New question from the website · {clinic.name}",
            body=render_to_string("booking/email/question_to_clinic.txt", context),
            send_after=now,
        )
    queue_email(
        key=f"question-ack:{question.pk}",
        kind="acknowledgement",
        appointment=None,
        clinic_id=clinic.pk,
        to=question.email,
        subject=f"We received your question · {clinic.name}",
        body=render_to_string("booking/email/question_ack.txt", context),
        send_after=now,
    )


def queue_call_first_alert(call: SafetyCall, now: dt.datetime) -> None:
    """Tells the clinic, a while before the visit, that its call before the visit is not done.

    Due `call_first_alert_lead()` before the visit, or at once when that is already past.
    The body names no question and no answer (email is not the place for clinical detail),
    only the visit's time and the link to the task. Completing the task cancels it.
    """
    appointment, clinic = call.appointment, call.clinic
    if not clinic.email:
        return
    path = reverse("booking:staff_safety_call", args=[call.pk])
    context = {
        "clinic": clinic,
        "local_start": _local(appointment),
        "task_url": outbox_links.absolute(path),
    }
    # One alert per visit time: numbered, so that a visit moved away and back again gets
    # a new alert rather than meeting the cancelled one under the same key.
    earlier = OutboxEmail.objects.filter(appointment=appointment, kind=CALL_FIRST_ALERT).count()
    queue_email(
        key=f"call-first:{call.pk}:{earlier + 1}",
        kind=CALL_FIRST_ALERT,
        appointment=appointment,
        clinic_id=clinic.pk,
        to=clinic.email,
        subject=f"A call before a visit is not yet done · {clinic.name}",
        body=render_to_string("booking/email/call_first_alert.txt", context),
        send_after=max(now, appointment.start - call_first_alert_lead()),
    )


def cancel_call_first_alert(call: SafetyCall) -> None:
    """The call was made: the clinic need not be reminded of it."""
    OutboxEmail.objects.filter(
        appointment_id=call.appointment_id, kind=CALL_FIRST_ALERT, status__in=PENDING
    ).update(status=OutboxStatus.CANCELLED)
