"""The demo's day: the work waiting on each role's home when the demo is opened.

Made through the same services as the courses of care, "at the time" each thing would have
happened: first visits booked last week (their intakes not sent yet), a booking whose safety
answers ask for a call before the visit, the day's follow-ups, a no-show yesterday (a patient's
third miss: over the attendance policy), a late cancellation, a question from the website, a
visit note left to sign, and people on the waitlist with one open offer (`waiting`).
Appointments earlier than the load time are marked as the front desk would have marked them.
"""

import dataclasses
import datetime as dt

from unknot.booking import prescreen
from unknot.booking import services as booking
from unknot.booking.models import (
    Appointment,
    AppointmentKind,
    AppointmentType,
    CancelledBy,
    Status,
)
from unknot.booking.questions import question_ask
from unknot.clinics.models import Clinic
from unknot.demo import calendar as cal
from unknot.demo import episodes, journeys, waiting
from unknot.patients.models import Patient
from unknot.plans import visits
from unknot.records.models import Episode, EpisodeStatus

A_WEEK = dt.timedelta(days=7)
NO_TO_EVERY_QUESTION = {q.name: False for q in prescreen.QUESTIONS}


def fill(clinics: dict[str, Clinic], now: dt.datetime) -> None:
    harbour, juniper = clinics["harbour-street"], clinics["juniper-hill"]
    _first_visits(harbour, juniper, now)
    _follow_ups(harbour, juniper, now)
    _missed(juniper, now)
    _note_to_sign(now)
    waiting.fill(harbour, now)
    question_ask(
        clinic=harbour, name="Nora Whelan", email="nora.whelan@unknot.example", phone="",
        message="Do you see people in the evening? My spasms are worst after work.",
        client_ip="192.0.2.44", now=now - dt.timedelta(hours=2),
    )  # fmt: skip


def _day(clinic: Clinic, now: dt.datetime, ahead: int = 0) -> dt.date:
    return cal.open_day(clinic, cal.local_day(clinic, now) + dt.timedelta(days=ahead))


def _type(clinic: Clinic, kind: str) -> AppointmentType:
    return AppointmentType.objects.get(clinic=clinic, kind=kind)


def _patient(username: str) -> Patient:
    return Patient.objects.get(user__username=username)


def _book(clinic: Clinic, kind: str, therapist: str, patient: str, start: dt.datetime,
          now: dt.datetime, *, came: bool = True) -> Appointment:  # fmt: skip
    """Booked by the front desk a week before; a visit that started before the load time was
    attended, unless `came` is False (the caller then says what happened)."""
    made = booking.appointment_book(
        by=cal.front_desk(clinic), clinic=clinic, appointment_type=_type(clinic, kind),
        therapist=cal.staff_user(therapist).staff_member, patient=_patient(patient),
        start=start, now=min(now, start - A_WEEK),
    )  # fmt: skip
    return cal.completed(made) if came and made.start <= now else made


def _first_visits(harbour: Clinic, juniper: Clinic, now: dt.datetime) -> None:
    """Two new people: Mei today, who has not sent her intake yet, and Ingrid tomorrow, who
    sent hers last night (her therapist has it to read on "My day")."""
    today, tomorrow = _day(harbour, now), _day(harbour, now, 1)
    _book(harbour, AppointmentKind.INITIAL, "maya.okafor", "patient.chen",
          cal.at(harbour, today, 8), now)  # fmt: skip
    ingrid = _book(juniper, AppointmentKind.INITIAL, "daniel.mbeki", "patient.eriksen",
                   cal.at(juniper, _day(juniper, now, 1), 11), now)  # fmt: skip
    _intake_sent(ingrid, "patient.eriksen", now)
    _online_with_a_call(harbour, "patient.dubois", cal.at(harbour, tomorrow, 14), now)


def _intake_sent(appointment: Appointment, username: str, now: dt.datetime) -> None:
    """Filled in the evening before, from her phone: a week of spasms, the same kind of answers
    as Yusuf's first intake (a delivery driver too), every safety question answered "no"."""
    today = cal.local_day(appointment.clinic, now)
    evening = cal.at(appointment.clinic, today - dt.timedelta(days=1), 20)
    answers = dataclasses.replace(journeys.FARAH, patient=username)
    onset = today - dt.timedelta(days=7)
    episodes.fill_intake(appointment.intakes.get(), answers, onset, min(evening, now))


def _online_with_a_call(clinic: Clinic, patient: str, start: dt.datetime,
                        now: dt.datetime) -> Appointment:  # fmt: skip
    """Booked online three days ago; a "yes" about a past cancer asks for a call first."""
    booked_at = min(now, start - dt.timedelta(days=3))
    held = booking.hold_slot(clinic=clinic, appointment_type=_type(clinic, AppointmentKind.INITIAL),
                             therapist_id=None, start=start, now=booked_at)  # fmt: skip
    answers = NO_TO_EVERY_QUESTION | {"cancer": True}
    return booking.confirm_hold(hold_id=held.pk, patient=_patient(patient), now=booked_at,
                                screen=prescreen.screen(answers))  # fmt: skip


def _follow_ups(harbour: Clinic, juniper: Clinic, now: dt.datetime) -> None:
    """The people in care come back: Lucia today with Maya, Yusuf today with Daniel."""
    _book(harbour, AppointmentKind.FOLLOW_UP, "maya.okafor", "patient.alvarez",
          cal.at(harbour, _day(harbour, now), 13, 30), now)  # fmt: skip
    _book(juniper, AppointmentKind.FOLLOW_UP, "daniel.mbeki", "patient.farah",
          cal.at(juniper, _day(juniper, now), 8, 30), now)  # fmt: skip


def _missed(juniper: Clinic, now: dt.datetime) -> None:
    """On the last weekday before today, Karim did not come to his first visit and Sofia
    called to cancel hers two hours before: both for the front desk to follow up. It was
    Karim's third miss in a few weeks, one more than the clinic's attendance policy allows:
    his name carries the flag."""
    desk = cal.front_desk(juniper)
    today = cal.local_day(juniper, now)
    for weeks_back, late in ((5, True), (2, False)):
        day = cal.open_day_before(juniper, today - dt.timedelta(weeks=weeks_back))
        earlier = _book(juniper, AppointmentKind.INITIAL, "priya.raman", "patient.haddad",
                        cal.at(juniper, day, 10), now, came=False)  # fmt: skip
        if late:
            _called_to_cancel(earlier, "Called in: stuck at work")
        else:
            booking.appointment_mark(by=desk, appointment=earlier, status=Status.NO_SHOW, now=now)
    day = cal.open_day_before(juniper, today)
    gone = _book(juniper, AppointmentKind.INITIAL, "priya.raman", "patient.haddad",
                 cal.at(juniper, day, 9), now, came=False)  # fmt: skip
    booking.appointment_mark(by=desk, appointment=gone, status=Status.NO_SHOW, now=now)
    cancelled = _book(juniper, AppointmentKind.INITIAL, "priya.raman", "patient.garcia",
                      cal.at(juniper, day, 11), now, came=False)  # fmt: skip
    _called_to_cancel(cancelled, "Called in: childcare fell through")


def _called_to_cancel(appointment: Appointment, reason: str) -> None:
    """The patient phoned the desk two hours before: a late cancellation."""
    booking.appointment_cancel(
        by=cal.front_desk(appointment.clinic), appointment=appointment,
        now=appointment.start - dt.timedelta(hours=2), reason=reason,
        cancelled_by=CancelledBy.PATIENT_BY_PHONE,
    )  # fmt: skip


def _note_to_sign(now: dt.datetime) -> None:
    """Yusuf's visit this morning is written up but not signed yet."""
    episode = Episode.objects.filter(
        patient__user__username="patient.farah", status=EpisodeStatus.OPEN
    ).first()
    if episode is None:
        return
    therapist = cal.staff_user("daniel.mbeki")
    visits.visit_record(
        by=therapist, episode=episode,
        data=visits.VisitInput(
            performed_on=cal.local_day(episode.clinic, now), nprs=4, positive_flags=set(),
            subjective="Slept through the night twice this week; stiff on waking.",
        ),
    )  # fmt: skip
