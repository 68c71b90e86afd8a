"""Booking an initial evaluation opens the episode and its intake, once."""

import datetime as dt

from tests.calendar import NOW, Calendar, local
from unknot.booking import services
from unknot.records.models import Episode, Intake

TUESDAY = dt.date(2031, 3, 4)


def book(cal: Calendar, kind_type: object, hhmm: str) -> object:
    cast = cal.cast
    return services.appointment_book(
        by=cast.front_desk_a,
        clinic=cast.clinic_a,
        appointment_type=kind_type,
        therapist=cast.therapist_a.staff_member,
        patient=cast.patient_p,
        start=local(cast.clinic_a, TUESDAY, hhmm),
        now=NOW,
    )


def test_initial_evaluation_opens_an_episode_with_an_intake(calendar: Calendar) -> None:
    appointment = book(calendar, calendar.evaluation_a, "09:00")
    episode = Episode.objects.get(patient=calendar.cast.patient_p)
    assert episode.clinic == calendar.cast.clinic_a
    assert Intake.objects.get(episode=episode).appointment == appointment


def test_a_second_evaluation_keeps_the_open_episode(calendar: Calendar) -> None:
    book(calendar, calendar.evaluation_a, "09:00")
    second = book(calendar, calendar.evaluation_a, "14:00")
    assert Episode.objects.filter(patient=calendar.cast.patient_p).count() == 1
    assert Intake.objects.get().appointment == second


def test_follow_ups_do_not_open_episodes(calendar: Calendar) -> None:
    book(calendar, calendar.follow_up_a, "09:00")
    assert not Episode.objects.exists()
