"""The front desk's home, "today": the day's arrivals at their clinics and their status, the
calls before the visit still to make, intakes not started for visits soon, questions from the
website not answered, the no-shows and late cancellations to follow up (patients over the
clinic's attendance policy, and any miss of the last two weeks, until someone records the
follow-up: `booking.attendance`), the insurers' authorizations running out
(`coverage.authorisations`), the waitlist (who waits at each clinic, open offers, times filled
from it lately), first visits with neither insurance nor self-pay on file, and first visits
whose patient has forms still to sign (`paperwork`).

Read through the access selectors that take the user, one query per list however large the
practice grows.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import JSONField, OuterRef, Q, QuerySet, Subquery

from unknot.accounts.models import User
from unknot.booking.attendance import Standing, to_follow_up
from unknot.booking.calendar_grid import mark_buttons
from unknot.booking.models import (
    Appointment,
    AppointmentKind,
    ContactQuestion,
    QuestionStatus,
    SafetyCall,
    Status,
)
from unknot.booking.safety_calls import open_safety_calls_for, with_open_call
from unknot.booking.selectors import appointments_visible_to, questions_visible_to
from unknot.clinics import times
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.coverage import authorisations as coverage_authorisations
from unknot.coverage.selectors import first_visits_without_coverage
from unknot.paperwork.selectors import missing_words, outstanding_by_patient
from unknot.records.models import Intake, IntakeStatus
from unknot.waitlist.selectors import DeskWaitlist, desk_waitlist

# Intakes are chased for first visits in this many days: time for the person to fill it in.
INTAKE_DAYS_AHEAD = 3
# Paperwork is chased for the first visits of the coming week: time to sign in the portal.
PAPERWORK_DAYS_AHEAD = 7
SHOWN = 50


@dataclass(frozen=True)
class ClinicDay:
    clinic: Clinic
    date: dt.date
    arrivals: list[Appointment]
    marks: dict[int, list[tuple[str, str]]]  # appointment id -> the marks that make sense now

    @property
    def rows(self) -> list[tuple[Appointment, list[tuple[str, str]]]]:
        return [(a, self.marks[a.pk]) for a in self.arrivals]


@dataclass(frozen=True)
class FrontDeskDay:
    clinics: list[ClinicDay]
    calls: list[SafetyCall]
    intakes_missing: list[Appointment]
    questions: list[ContactQuestion]
    missed: list[Standing]  # no-shows and late cancellations to follow up, by patient
    waitlist: DeskWaitlist
    coverage_missing: list[Appointment]  # first visits with neither insurance nor self-pay
    authorisations: list[coverage_authorisations.AuthorisationUse]  # running out

    @property
    def running_out_at(self) -> int:
        return coverage_authorisations.RUNNING_OUT_AT

    @property
    def ending_within_days(self) -> int:
        return coverage_authorisations.ENDING_WITHIN_DAYS

    paperwork_missing: list[tuple[Appointment, str]]  # first visits, the forms not signed


def front_desk_day(user: User, now: dt.datetime) -> FrontDeskDay:
    clinics = list(clinics_visible_to(user).order_by("name"))
    return FrontDeskDay(
        clinics=_arrivals(user, clinics, now),
        calls=list(
            open_safety_calls_for(user).select_related("appointment", "patient", "clinic")[:SHOWN]
        ),
        intakes_missing=intakes_missing(user, now),
        questions=list(
            questions_visible_to(user)
            .filter(status=QuestionStatus.NEW)
            .order_by("created_at")[:SHOWN]
        ),
        missed=to_follow_up(user, now),
        waitlist=desk_waitlist(user, clinics, now),
        coverage_missing=first_visits_without_coverage(user, now),
        authorisations=coverage_authorisations.running_out(user, clinics, _today(clinics, now)),
        paperwork_missing=paperwork_missing(user, now),
    )


def _today(clinics: list[Clinic], now: dt.datetime) -> dt.date:
    """The desk's day: its (first) clinic's; the lists of the other clinics are a few hours
    apart at most, which a 14-day threshold does not notice."""
    return times.clinic_day(now, clinics[0] if clinics else None)


def _arrivals(user: User, clinics: list[Clinic], now: dt.datetime) -> list[ClinicDay]:
    """Each clinic's appointments of its own calendar day, in one query for all clinics."""
    rows = appointments_visible_to(user).filter(
        start__gte=now - dt.timedelta(days=1),
        start__lt=now + dt.timedelta(days=1),
        status__in=(Status.BOOKED, Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW),
    )
    found = list(with_open_call(rows).order_by("start", "pk"))
    days = []
    for clinic in clinics:
        today = times.clinic_day(now, clinic)
        mine = [
            a
            for a in found
            if a.clinic_id == clinic.pk and times.clinic_day(a.start, a.clinic) == today
        ]
        marks = {a.pk: mark_buttons(a, now) for a in mine}
        days.append(ClinicDay(clinic=clinic, date=today, arrivals=mine, marks=marks))
    return days


def _of_intake(field: str, **output: object) -> Subquery:
    own = Intake.objects.filter(appointment_id=OuterRef("pk"))
    return Subquery(own.values(field)[:1], **output)  # type: ignore[arg-type]


def intakes_missing(user: User, now: dt.datetime) -> list[Appointment]:
    """First visits in the next few days whose intake is not sent yet: a reminder call."""
    rows: QuerySet[Appointment] = appointments_visible_to(user).filter(
        appointment_type__kind=AppointmentKind.INITIAL,
        status=Status.BOOKED,
        start__gte=now,
        start__lt=now + dt.timedelta(days=INTAKE_DAYS_AHEAD),
    )
    rows = rows.annotate(
        intake_status=_of_intake("status"),
        intake_sections=_of_intake("sections_done", output_field=JSONField()),
    ).filter(Q(intake_status=IntakeStatus.DRAFT) | Q(intake_status__isnull=True))
    return list(rows.order_by("start", "pk")[:SHOWN])


def paperwork_missing(user: User, now: dt.datetime) -> list[tuple[Appointment, str]]:
    """First visits of the coming week whose patient has forms still to sign, with the forms'
    names (three queries: the visits, then paperwork's versions and signatures)."""
    rows = list(
        appointments_visible_to(user)
        .filter(
            appointment_type__kind=AppointmentKind.INITIAL,
            status=Status.BOOKED,
            start__gte=now,
            start__lt=now + dt.timedelta(days=PAPERWORK_DAYS_AHEAD),
        )
        .order_by("start", "pk")[: SHOWN * 4]
    )
    missing = outstanding_by_patient({a.patient_id for a in rows if a.patient_id is not None})
    found = [(a, missing_words(missing[a.patient_id])) for a in rows if a.patient_id in missing]
    return found[:SHOWN]
