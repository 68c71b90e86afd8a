"""Calls before the visit: work for staff when the online safety questions say "call first".

An online booking whose answers the care core judges "urgent referral" (e.g. a history of
cancer) still books, and the person is told the therapist will call first. That promise is
kept here: `safety_call_open` files a task with the booking, in the booking's own transaction,
and queues an alert to the clinic for shortly before the visit; `safety_call_complete` closes
it with what came of the call. The task stays open whatever happens to the appointment (moved,
cancelled): a flag shown to a patient is work for staff until someone closes it.

Reads go through selectors that take the acting user; the task page through
`get_safety_call_for`, which answers 404 outside the user's clinics and audits the read.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from unknot import audit
from unknot.accounts.access import ensure_may_write, may_read_chart
from unknot.accounts.models import AnyUser, User
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.booking import notifications
from unknot.booking.models import (
    CALL_NOTE_MAX,
    Appointment,
    CallOutcome,
    CallStatus,
    SafetyCall,
)
from unknot.booking.prescreen import ScreenResult
from unknot.breakglass import enforce as emergency
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.errors import Refused
from unknot.common.inputs import checked_note

YES = "Yes"  # the answer as the person chose it on the form


class CallRefused(Refused):
    """A completion that cannot be recorded; `message` is written for the member of staff."""


# ---- writes ---------------------------------------------------------------------------------


def answers_to_keep(screen: ScreenResult) -> list[dict[str, str]]:
    """The questions that led to "call first", worded as the person read them."""
    return [{"question": question.text, "answer": YES} for question in screen.yes_questions]


def safety_call_open(
    *, appointment: Appointment, screen: ScreenResult, now: dt.datetime
) -> SafetyCall | None:
    """Files the task for a booking the pre-screen marked "call first"; None otherwise.

    Meant for the booking's transaction (`services.confirm_hold`), so that the booking, the
    task, the clinic's alert and the audit row commit together or not at all.
    """
    if not screen.call_first:
        return None
    patient = appointment.patient
    assert patient is not None, "a booking, no longer a hold: it has its patient"
    with transaction.atomic():
        call = SafetyCall.objects.create(
            appointment=appointment,
            clinic=appointment.clinic,
            patient=patient,
            questions=answers_to_keep(screen),
            fired_rule_ids=list(screen.fired_rule_ids),
            created_at=now,
        )
        notifications.queue_call_first_alert(call, now)
        _recorded(None, Action.CREATE, call, "call_first")
    return call


def _ensure_may_complete(by: User, call: SafetyCall) -> None:
    ensure_may_write(by, "Your role may see this task but not complete it.")
    if not clinics_visible_to(by).filter(pk=call.clinic_id).exists():
        raise PermissionDenied("You do not work at this clinic.")


def checked_outcome(outcome: str) -> str:
    if outcome not in CallOutcome.values:
        raise CallRefused("Please choose what came of the call.")
    return outcome


def safety_call_complete(
    *, by: User, call: SafetyCall, outcome: str, note: str, now: dt.datetime
) -> SafetyCall:
    """Records the call: what came of it and a note. The clinic's alert is no longer needed."""
    _ensure_may_complete(by, call)
    outcome = checked_outcome(outcome)
    note = checked_note(
        note, limit=CALL_NOTE_MAX, when_empty="Please write a note of the call.", refuse=CallRefused
    )
    with transaction.atomic():
        locked = SafetyCall.objects.select_for_update().get(pk=call.pk)
        if locked.status != CallStatus.OPEN:  # someone else recorded it a moment ago
            raise CallRefused("This call has already been recorded by someone else.")
        locked.status, locked.outcome, locked.outcome_note = CallStatus.DONE, outcome, note
        locked.done_by, locked.done_at = by.staff_member, now
        locked.save(update_fields=["status", "outcome", "outcome_note", "done_by", "done_at"])
        notifications.cancel_call_first_alert(locked)
        _recorded(by, Action.UPDATE, locked, "call_done")
    return locked


def alert_again_after_move(appointment: Appointment, now: dt.datetime) -> None:
    """A moved visit whose call is still to be made gets its alert for the new time.

    `notifications.cancel_pending` has cancelled the alert for the old time; the task itself
    was never touched. Runs in the move's transaction.
    """
    for call in appointment.safety_calls.filter(status=CallStatus.OPEN):
        call.appointment = appointment  # the moved row, with its new start
        notifications.queue_call_first_alert(call, now)


def _recorded(by: User | None, action: str, call: SafetyCall, reason: str) -> None:
    """The audit row of a write, in the write's own transaction."""
    audit.record(
        action, by=by, object_type="safety_call", object_id=call.pk,
        patient_id=call.patient_id, clinic_id=call.clinic_id, reason=reason,
    )  # fmt: skip


# ---- reads ----------------------------------------------------------------------------------


def safety_calls_visible_to(user: AnyUser) -> QuerySet[SafetyCall]:
    """Staff: the calls of their clinics (and of a patient opened through break-glass).
    Patients, the biller and everyone else: none (these are staff notes on a red-flag screen)."""
    base = SafetyCall.objects.select_related(
        "appointment__therapist__user",
        "appointment__appointment_type",
        "clinic",
        "patient",
        "done_by__user",
    )
    if not may_read_chart(user):  # patients, and the biller: a red-flag screen is clinical
        return base.none()
    mine = Q(clinic__in=clinics_visible_to(user))
    opened = emergency.opened_patient_ids(user)
    return base.filter(mine | Q(patient_id__in=opened) if opened else mine)


def get_safety_call_for(user: AnyUser, call_id: int) -> SafetyCall:
    """The access helper for calls: the row (its read audited), or 404 when not visible."""
    return one_visible_or_404(
        safety_calls_visible_to(user), user, "safety_call", call_id, name="call"
    )


def open_safety_calls_for(user: AnyUser) -> QuerySet[SafetyCall]:
    """Calls still to be made at the user's clinics, the nearest visit first."""
    return (
        safety_calls_visible_to(user)
        .filter(status=CallStatus.OPEN)
        .order_by("appointment__start", "pk")
    )


def safety_calls_of_appointment(user: AnyUser, appointment: Appointment) -> list[SafetyCall]:
    return list(safety_calls_visible_to(user).filter(appointment=appointment))


def safety_calls_of_episode(user: AnyUser, episode: Any) -> list[SafetyCall]:
    """Every call for the episode's patient at its clinic (for the chart), the newest first."""
    rows = safety_calls_visible_to(user).filter(
        patient_id=episode.patient_id, clinic_id=episode.clinic_id
    )
    return list(rows.order_by("-created_at", "-pk"))


def open_call_exists() -> Exists:
    """For lists of episodes (the caseload): is a call open for the row's patient and clinic?"""
    return Exists(
        SafetyCall.objects.filter(
            patient_id=OuterRef("patient_id"),
            clinic_id=OuterRef("clinic_id"),
            status=CallStatus.OPEN,
        )
    )


def with_open_call(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Adds `open_call_id` (the open call's id, or None) to each appointment, in the same
    query: calendar pages keep their fixed number of queries."""
    open_calls = SafetyCall.objects.filter(appointment_id=OuterRef("pk"), status=CallStatus.OPEN)
    return appointments.annotate(open_call_id=Subquery(open_calls.values("pk")[:1]))
