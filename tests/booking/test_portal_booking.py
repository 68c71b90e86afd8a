"""Patients see and cancel their own appointments and book follow-ups once evaluated."""

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calendar import Calendar, local
from unknot.booking import services
from unknot.booking.models import Appointment, Status


def as_patient(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def next_weekday(days_ahead: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return day


def completed_evaluation(cal: Calendar) -> Appointment:
    cast = cal.cast
    past = local(cast.clinic_a, dt.date(2020, 1, 6), "10:00")
    appointment = services._new_appointment(
        cast.clinic_a,
        cal.evaluation_a,
        cast.therapist_a.staff_member,
        past,
        patient=cast.patient_p,
        status=Status.COMPLETED,
    )
    appointment.save()
    return appointment


def test_patient_without_an_evaluation_cannot_book_follow_ups(calendar: Calendar) -> None:
    response = as_patient(calendar.cast.patient_p.user).get(reverse("portal:book_follow_up"))
    assert response.status_code == 302


def test_evaluated_patient_books_a_follow_up(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    client = as_patient(calendar.cast.patient_p.user)
    day = next_weekday(3)
    search = {"appointment_type": calendar.follow_up_a.pk, "day": day.isoformat()}
    page = client.get(reverse("portal:book_follow_up"), search)
    assert page.status_code == 200 and b"Free times" in page.content
    start = local(calendar.cast.clinic_a, day, "10:00")
    response = client.post(
        reverse("portal:book_follow_up"),
        search
        | {"start": start.isoformat(), "slot_therapist": calendar.cast.therapist_a.staff_member.pk},
    )
    assert response.status_code == 302
    booked = Appointment.objects.get(patient=calendar.cast.patient_p, status=Status.BOOKED)
    assert booked.start == start and booked.source == "portal"
    listing = client.get(reverse("portal:appointments"))
    assert b"Follow-up" in listing.content


def test_follow_up_types_only(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    response = as_patient(calendar.cast.patient_p.user).get(
        reverse("portal:book_follow_up"),
        {"appointment_type": calendar.evaluation_a.pk, "day": next_weekday(3).isoformat()},
    )
    assert b"Select a valid choice" in response.content


def follow_up_of_p(calendar: Calendar) -> Appointment:
    """Patient P's follow-up at clinic A in four weekdays, booked by the front desk."""
    cast = calendar.cast
    return factories.booked_appointment(
        calendar, patient=cast.patient_p, type="follow_up", by=cast.front_desk_a,
        when=local(cast.clinic_a, next_weekday(4), "09:00"),
    )  # fmt: skip


def test_patient_cancels_own_but_not_anothers(calendar: Calendar) -> None:
    cast = calendar.cast
    mine = follow_up_of_p(calendar)
    url = reverse("portal:cancel_appointment", args=[mine.pk])
    assert as_patient(cast.patient_q.user).post(url).status_code == 404
    assert Appointment.objects.get(pk=mine.pk).status == Status.BOOKED
    assert as_patient(cast.patient_p.user).post(url).status_code == 302
    assert Appointment.objects.get(pk=mine.pk).status == Status.CANCELLED


def test_cancelling_asks_first_and_changes_nothing_until_answered(calendar: Calendar) -> None:
    cast = calendar.cast
    mine = follow_up_of_p(calendar)
    url = reverse("portal:cancel_appointment", args=[mine.pk])
    assert as_patient(cast.patient_q.user).get(url).status_code == 404
    page = as_patient(cast.patient_p.user).get(url).content.decode()
    assert "Cancel your visit?" in page and "Yes, cancel this visit" in page
    assert Appointment.objects.get(pk=mine.pk).status == Status.BOOKED


def test_inside_the_notice_period_the_page_gives_the_phone_and_the_service_refuses(
    calendar: Calendar, monkeypatch: object
) -> None:
    cast = calendar.cast
    mine = follow_up_of_p(calendar)
    two_hours_before = mine.start - dt.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: two_hours_before)  # type: ignore[attr-defined]
    client = as_patient(cast.patient_p.user)
    url = reverse("portal:cancel_appointment", args=[mine.pk])
    page = client.get(url).content.decode()
    assert cast.clinic_a.phone in page and "Yes, cancel this visit" not in page
    listed = client.get(reverse("portal:appointments")).content.decode()
    assert cast.clinic_a.phone in listed and url not in listed
    client.post(url)
    assert Appointment.objects.get(pk=mine.pk).status == Status.BOOKED
