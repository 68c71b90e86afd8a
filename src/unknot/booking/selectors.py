"""Reads of calendars. Availability is public; appointments are health data (who sees whom)."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from unknot import scheduling as core
from unknot.accounts.access import staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import Role
from unknot.audit.reads import one_visible_or_404
from unknot.booking import adapters
from unknot.booking.models import (
    LONGEST_BLOCK,
    Appointment,
    AppointmentType,
    ContactQuestion,
    OnlineBooking,
    Status,
)
from unknot.breakglass import enforce as emergency
from unknot.clinics.models import Clinic, StaffMember
from unknot.clinics.selectors import clinics_visible_to, remember_works_here, works_here
from unknot.common.rows import unique_row
from unknot.outbox.models import OutboxEmail
from unknot.patients.selectors import get_patient_for_rw


def clinic_for_calendar(slug: str) -> Clinic:
    return _clinic(slug, Clinic.objects.prefetch_related("opening_hours", "closures"))


def _clinic(slug: str, rows: QuerySet[Clinic] | None = None) -> Clinic:
    clinic = (Clinic.objects.all() if rows is None else rows).filter(slug=slug).first()
    if clinic is None:
        raise Http404("No such clinic.")
    return clinic


def bookable_therapists(clinic: Clinic) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(clinics=clinic, role=Role.THERAPIST, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def staff_booking_arguments(
    user: AnyUser, *, clinic_slug: str, type_id: int, therapist_id: int, patient_id: int
) -> tuple[dict[str, Any], dict[str, str]]:
    """The rows a staff booking names, as `services.appointment_book` takes them, and what is
    wrong with them by field (the APIs answer each in their own format).

    An unknown clinic is 404, and so is a patient the user may not see, as on the web.
    """
    # The type with its clinic in one query; only when there is no such type is the clinic
    # looked up alone (to tell an unknown clinic, 404, from an unknown type). Its opening
    # hours and closures are not read here: the booking's check reads those it needs.
    # Whether the user works there comes with it, for the service's check (`works_at`).
    kind = unique_row(
        AppointmentType.objects.select_related("clinic")
        .annotate(user_works_here=works_here(user))
        .filter(clinic__slug=clinic_slug, pk=type_id, is_active=True)
    )
    if kind is not None:
        clinic = kind.clinic
        remember_works_here(clinic, user, kind.user_works_here)  # type: ignore[attr-defined]  # annotated above
    else:
        clinic = _clinic(clinic_slug)
    patient = get_patient_for_rw(user, patient_id)
    therapist = unique_row(bookable_therapists(clinic).filter(pk=therapist_id))
    problems = {}
    if kind is None:
        problems["type"] = "No such appointment type at this clinic."
    if therapist is None:
        problems["therapist"] = "That therapist does not take bookings at this clinic."
    arguments = {
        "clinic": clinic,
        "appointment_type": kind,
        "therapist": therapist,
        "patient": patient,
    }
    return arguments, problems


def online_types(
    clinic: Clinic, audience: str = OnlineBooking.NEW_PATIENTS
) -> QuerySet[AppointmentType]:
    return clinic.appointment_types.filter(is_active=True, online_booking=audience)


def get_online_type(
    clinic: Clinic, type_id: int, audience: str = OnlineBooking.NEW_PATIENTS
) -> AppointmentType:
    found = online_types(clinic, audience).filter(pk=type_id).first()
    if found is None:
        raise Http404("This kind of appointment cannot be booked online.")
    return found


def availability(
    *,
    clinic: Clinic,
    appointment_type: AppointmentType,
    therapist_ids: list[int],
    first_day: dt.date,
    last_day: dt.date,
    now: dt.datetime,
    exclude_appointment: int | None = None,
    holds: bool = True,
) -> tuple[core.Slot, ...]:
    """Free slots: a fixed handful of queries, one of them for all the busy time, then the core.

    `holds=False`: as if no one held a time (what live holds take is the difference)."""
    calendar = adapters.clinic_calendar(clinic)
    schedules = adapters.therapist_schedules(clinic, therapist_ids, first_day, last_day)
    margin = dt.timedelta(days=2)  # local dates to UTC, plus buffers
    busy = adapters.busy_rows(
        therapist_ids,
        dt.datetime.combine(first_day - margin, dt.time(), dt.UTC),
        dt.datetime.combine(last_day + margin, dt.time(), dt.UTC),
        now,
        exclude_appointment,
        holds,
    )
    return core.available_slots(
        clinic=calendar,
        appointment_type=adapters.core_type(appointment_type),
        schedules=schedules,
        busy=busy,
        first_day=first_day,
        last_day=last_day,
        now=now,
    )


def appointments_visible_to(user: AnyUser) -> QuerySet[Appointment]:
    """Staff: their clinics' appointments. Patients: their own. Nobody else: nothing."""
    base = Appointment.objects.select_related(
        "clinic", "therapist__user", "appointment_type", "patient"
    ).exclude(status=Status.HELD)
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if staff_role(user) is not None:
        mine = Q(clinic__in=clinics_visible_to(user))
        # A patient this request opened through break-glass (see unknot.breakglass.enforce).
        opened = emergency.opened_patient_ids(user)
        return base.filter(mine | Q(patient_id__in=opened) if opened else mine)
    return base.filter(patient__user=user)


def get_appointment_for(user: AnyUser, appointment_id: int) -> Appointment:
    """The access helper for appointments: the row, or 404 when the user may not see it."""
    return one_visible_or_404(appointments_visible_to(user), user, "appointment", appointment_id)


def appointments_between(
    user: AnyUser,
    clinic: Clinic,
    start: dt.datetime,
    end: dt.datetime,
    therapist_id: int | None = None,
) -> QuerySet[Appointment]:
    rows = appointments_visible_to(user).filter(clinic=clinic, start__lt=end, end__gt=start)
    # No visit is longer than LONGEST_BLOCK: the (clinic, start) index reads the window only.
    rows = rows.filter(start__gt=start - LONGEST_BLOCK)
    if therapist_id is not None:
        rows = rows.filter(therapist_id=therapist_id)
    return rows.order_by("start")


def upcoming_for_patient(user: AnyUser, now: dt.datetime) -> QuerySet[Appointment]:
    return (
        appointments_visible_to(user)
        .filter(Q(start__gte=now), ~Q(status=Status.CANCELLED))
        .order_by("start")
    )


def questions_visible_to(user: AnyUser) -> QuerySet[ContactQuestion]:
    """Website questions of the user's clinics."""
    return ContactQuestion.objects.filter(clinic__in=clinics_visible_to(user)).select_related(
        "clinic"
    )


def get_question_for(user: AnyUser, question_id: int) -> ContactQuestion:
    """The access helper for questions: the row, or 404 outside the user's clinics."""
    return one_visible_or_404(questions_visible_to(user), user, "question", question_id)


def outbox_visible_to(user: AnyUser) -> QuerySet[OutboxEmail]:
    """Emails of the user's clinics, without their bodies: those are health-adjacent."""
    return (
        OutboxEmail.objects.filter(clinic__in=clinics_visible_to(user))
        .select_related("clinic")
        .defer("body", "ics")
    )
