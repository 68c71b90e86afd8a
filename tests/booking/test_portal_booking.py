"""Patients see and cancel their own appointments and book follow-ups once evaluated."""

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calendar import Calendar, local
from unknot.booking import services
from unknot.booking.models import Appointment, Status, TimeOff

# A month page, a day's times included: the page's own reads (session, user, patient and the
# audit row of that read, the plan check, the clinic, the types, the therapists) and one
# availability search over the whole month. Never a query per day or per booking.
MONTH_QUERIES = 15  # the search: schedules in one query, busy time in one


def as_patient(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def next_weekday(days_ahead: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return day


def next_month() -> dt.date:
    """The 1st of next month: wholly in the future and inside the follow-up's 120 days."""
    return (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)


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


def book_page(client: Client, **query: object) -> Any:
    response = client.get(reverse("portal:book_follow_up"), query)
    assert response.status_code == 200
    return response


def first_free_day(response: Any) -> dt.date:
    return next(d.day for week in response.context["month"].weeks for d in week if d.free)


def test_evaluated_patient_books_a_follow_up_day_first(calendar: Calendar) -> None:
    """Month, then a day of it, then a time of that day, then the confirmation books it."""
    completed_evaluation(calendar)
    client = as_patient(calendar.cast.patient_p.user)
    kind = {"appointment_type": calendar.follow_up_a.pk, "therapist": ""}
    month_page = book_page(client, **kind, month=next_month().strftime("%Y-%m"))
    day = first_free_day(month_page)
    link = f"?appointment_type={calendar.follow_up_a.pk}&amp;therapist=&amp;day={day.isoformat()}"
    assert link in month_page.content.decode()
    day_page = book_page(client, **kind, day=day.isoformat())
    assert f"Times on {day:%A, %B} {day.day}, {day.year}" in day_page.content.decode()
    (part, times), *_ = day_page.context["parts"]
    assert part == "Morning" and times[0].start.time() == dt.time(8, 0)
    confirm = book_page(client, **kind, day=day.isoformat(), start=times[0].start.isoformat())
    assert "Confirm your visit" in confirm.content.decode()
    response = client.post(
        reverse("portal:book_follow_up"),
        kind | {"start": times[0].start.isoformat(), "slot_therapist": times[0].therapist_id},
    )
    assert response.status_code == 302
    booked = Appointment.objects.get(patient=calendar.cast.patient_p, status=Status.BOOKED)
    assert booked.start == times[0].start and booked.source == "portal"
    assert booked.therapist_id == calendar.cast.therapist_a.staff_member.pk
    listing = client.get(reverse("portal:appointments"))
    assert b"Follow-up" in listing.content


def test_follow_up_types_only(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    response = as_patient(calendar.cast.patient_p.user).get(
        reverse("portal:book_follow_up"),
        {"appointment_type": calendar.evaluation_a.pk, "day": next_weekday(3).isoformat()},
    )
    assert b"Select a valid choice" in response.content
    assert "month" not in response.context


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


# ---- the month of free days -----------------------------------------------------------------


def days_of(response: Any) -> dict[dt.date, Any]:
    return {d.day: d for week in response.context["month"].weeks for d in week if d.in_month}


def weekday_in(month: dt.date, weekday: int) -> dt.date:
    """The month's first day that is `weekday` (0 Monday ... 6 Sunday)."""
    return month + dt.timedelta(days=(weekday - month.weekday()) % 7)


def test_the_month_marks_working_days_free_and_the_rest_not_available(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    client = as_patient(calendar.cast.patient_p.user)
    month = next_month()
    wednesday, saturday = weekday_in(month, 2), weekday_in(month, 5)
    TimeOff.objects.create(
        therapist=calendar.cast.therapist_a.staff_member,
        start=local(calendar.cast.clinic_a, wednesday, "00:00"),
        end=local(calendar.cast.clinic_a, wednesday, "23:59"),
    )
    thursday = wednesday + dt.timedelta(days=1)
    page = book_page(client, appointment_type=calendar.follow_up_a.pk, month=f"{month:%Y-%m}")
    days = days_of(page)
    assert days[thursday].free > 0 and days[wednesday].free == 0 and days[saturday].free == 0
    html = page.content.decode()
    assert f"day={thursday.isoformat()}" in html
    assert f"day={wednesday.isoformat()}" not in html and f"day={saturday.isoformat()}" not in html
    assert "not available" in html and "<caption" in html
    assert page.context["month"].weeks[0][0].day.weekday() == 6  # weeks start on Sunday


def test_the_chosen_day_is_current_and_its_times_are_grouped(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    client = as_patient(calendar.cast.patient_p.user)
    thursday = weekday_in(next_month(), 3)
    page = book_page(client, appointment_type=calendar.follow_up_a.pk, day=thursday.isoformat())
    html = page.content.decode()
    assert html.count('aria-current="date"') == 1
    assert [name for name, _ in page.context["parts"]] == ["Morning", "Afternoon", "Evening"]
    morning, afternoon, evening = (times for _, times in page.context["parts"])
    assert all(t.start.hour < 12 for t in morning) and all(t.start.hour >= 17 for t in evening)
    assert all(12 <= t.start.hour < 17 for t in afternoon)
    assert all(t.start.date() == thursday for _, times in page.context["parts"] for t in times)


def test_a_day_with_no_times_says_so(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    client = as_patient(calendar.cast.patient_p.user)
    sunday = weekday_in(next_month(), 6)
    page = book_page(client, appointment_type=calendar.follow_up_a.pk, day=sunday.isoformat())
    assert page.context["parts"] == []
    assert "There are no free times on this day." in page.content.decode()


def test_days_after_the_horizon_are_not_available_and_cannot_be_asked_for(
    calendar: Calendar,
) -> None:
    completed_evaluation(calendar)
    calendar.follow_up_a.horizon_days = 10
    calendar.follow_up_a.save()
    client = as_patient(calendar.cast.patient_p.user)
    kind = calendar.follow_up_a.pk
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(calendar.cast.clinic_a.time_zone))
    last = today + dt.timedelta(days=10)
    page = book_page(client, appointment_type=kind, month=f"{last:%Y-%m}")
    after = [d for day, d in days_of(page).items() if day > last]
    assert all(d.free == 0 for d in after)
    assert page.context["month"].next is None  # no month after the horizon to go to
    beyond = last + dt.timedelta(days=30)
    for asked in ({"month": f"{beyond:%Y-%m}"}, {"day": beyond.isoformat()}):
        refused = book_page(client, appointment_type=kind, **asked)
        assert "month" not in refused.context
        assert "visits can be booked from" in refused.content.decode()


@pytest.mark.parametrize("month", ["2031-13", "March", "0000-00", "2031-3", "2031-03-01"])
def test_a_malformed_month_is_a_message(calendar: Calendar, month: str) -> None:
    completed_evaluation(calendar)
    client = as_patient(calendar.cast.patient_p.user)
    page = book_page(client, appointment_type=calendar.follow_up_a.pk, month=month)
    assert "month" not in page.context
    assert "Please choose a month from the calendar." in page.content.decode()


def test_a_time_no_longer_free_is_not_offered_for_confirming(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    cast = calendar.cast
    client = as_patient(cast.patient_p.user)
    thursday = weekday_in(next_month(), 3)
    taken = local(cast.clinic_a, thursday, "10:00")
    factories.booked_appointment(
        calendar, patient=cast.patient_p, type="follow_up", by=cast.front_desk_a, when=taken
    )
    page = client.get(
        reverse("portal:book_follow_up"),
        {"appointment_type": calendar.follow_up_a.pk, "day": thursday, "start": taken.isoformat()},
        follow=True,
    )
    assert page.context["confirm"] is None
    assert "That time is no longer free" in page.content.decode()


def month_queries(client: Client, **query: object) -> int:
    with CaptureQueriesContext(connection) as queries:
        book_page(client, **query)
    return len(queries)


def test_a_month_takes_a_fixed_number_of_queries_however_busy(calendar: Calendar) -> None:
    """One availability search for the whole month: no query per day or per booking."""
    completed_evaluation(calendar)
    cast = calendar.cast
    client = as_patient(cast.patient_p.user)
    month = next_month()
    kind = {"appointment_type": calendar.follow_up_a.pk}
    client.get(reverse("portal:appointments"))  # the first request also writes the expiry
    quiet = month_queries(client, **kind, month=f"{month:%Y-%m}")
    for n in range(6):
        day = weekday_in(month, n % 5) + dt.timedelta(days=7 * (n % 3))
        factories.booked_appointment(
            calendar, patient=cast.patient_p, type="follow_up", by=cast.front_desk_a,
            when=local(cast.clinic_a, day, "11:00"),
        )  # fmt: skip
        TimeOff.objects.create(
            therapist=cast.therapist_a.staff_member,
            start=local(cast.clinic_a, day, "14:00"), end=local(cast.clinic_a, day, "15:00"),
        )  # fmt: skip
    busy = month_queries(client, **kind, month=f"{month:%Y-%m}")
    day = month_queries(client, **kind, day=weekday_in(month, 3).isoformat())
    assert (quiet, busy, day) == (MONTH_QUERIES,) * 3


def test_with_one_follow_up_type_the_page_opens_on_this_months_days(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    page = book_page(as_patient(calendar.cast.patient_p.user))
    assert page.context["month"].first == page.context["form"].bookable.first_month
    assert page.context["kind"] == calendar.follow_up_a
