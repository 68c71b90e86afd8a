"""The portal opens on what comes next: the next visit (change or cancel while the person
still may, the clinic's phone once the notice period has begun), the intake while it waits,
today's exercises, how the scores are moving; cards that no longer apply are gone."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calendar import Calendar
from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot.booking.models import Appointment, Status
from unknot.plans.home import services as home
from unknot.plans.home.selectors import clinic_today
from unknot.portal.next import next_up
from unknot.records.intake import services as intake_services

pytestmark = pytest.mark.django_db


def portal(cast: Cast) -> str:
    client = Client()
    client.force_login(cast.patient_p.user)
    return client.get(reverse("portal:home")).content.decode()


def test_a_new_patient_sees_the_first_visit_and_the_questions_to_answer(
    cast: Cast, calendar: Calendar
) -> None:
    visit = factories.booked_appointment(calendar, patient=cast.patient_p)
    found = next_up(cast.patient_p.user, timezone.now())
    assert found.visit is not None and found.visit.appointment == visit
    assert found.visit.refusal is None  # days ahead: the person may still change it
    assert found.intake is not None and found.exercises == []
    page = portal(cast)
    assert "Your next visit" in page and "Start my questions" in page
    assert reverse("portal:cancel_appointment", args=[visit.pk]) in page
    assert "Today's exercises" not in page and "Your care is complete" not in page


def test_inside_the_notice_period_the_page_gives_the_clinics_phone(
    cast: Cast, calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    visit = factories.booked_appointment(calendar, patient=cast.patient_p)
    # Two hours before the visit: inside the type's change notice (24 hours).
    later = visit.start - dt.timedelta(hours=2)
    found = next_up(cast.patient_p.user, later)
    assert found.visit is not None and found.visit.refusal is not None
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = portal(cast)
    assert cast.clinic_a.phone in page
    assert reverse("portal:cancel_appointment", args=[visit.pk]) not in page


def test_in_care_the_home_shows_todays_exercises_and_the_log(
    cast: Cast, calendar: Calendar
) -> None:
    episode = factories.episode_with_signed_plan(calendar)
    page = portal(cast)
    assert "Today's exercises" in page and "Log today's session" in page
    assert "Thank you: your answers are with" in page  # sent, not read by a therapist yet
    home.log_session(by=cast.patient_p.user, episode=episode, performed_on=clinic_today(episode),
                     status="done", pain_before=4, pain_after=3)  # fmt: skip
    page = portal(cast)
    assert "You logged a session today" in page and "Log today's session" not in page


def test_a_reviewed_intake_leaves_the_home(cast: Cast, calendar: Calendar) -> None:
    episode = factories.episode_with_signed_plan(calendar)
    intake_services.mark_reviewed(by=cast.therapist_a, intake=episode.intake, now=timezone.now())
    assert "Before your first visit" not in portal(cast)


def test_once_discharged_the_home_says_care_is_complete(cast: Cast) -> None:
    care_episode(cast.patient_p, cast.therapist_a, discharged=True)
    page = portal(cast)
    assert "Your care is complete" in page and "Today's exercises" not in page
    assert "Your next visit" not in page  # nothing booked, and no longer in care


def test_a_cancelled_visit_is_not_the_next_one(cast: Cast, calendar: Calendar) -> None:
    visit = factories.booked_appointment(calendar, patient=cast.patient_p)
    Appointment.objects.filter(pk=visit.pk).update(status=Status.CANCELLED)
    assert next_up(cast.patient_p.user, timezone.now()).visit is None
