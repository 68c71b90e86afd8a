"""Staff calendars: day and week pages in the clinic's zone, filters, free times, admin set-up."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calendar import NOW, Calendar, local
from unknot.booking.models import Appointment, AppointmentType, Status, TimeOff, WorkingHours
from unknot.clinics.models import Clinic
from unknot.patients.models import Patient

TUESDAY = dt.date(2031, 3, 4)
DST_SUNDAY = dt.date(2031, 3, 9)  # New York springs forward at 02:00 that night
# Session, user, clinic, filters, appointments, opening hours, free times (a handful, one per
# table) and the session save: measured 19 and 12, and none of them grows with the rows.
QUERY_BUDGET = {"booking:staff_day": 19, "booking:staff_week": 12}


def appointment(
    kind: AppointmentType,
    therapist_user: Any,
    patient: Patient | None,
    start: dt.datetime,
    status: str = Status.BOOKED,
) -> Appointment:
    """A row written directly, bypassing the booking rules (weekends, the past) on purpose."""
    end = start + dt.timedelta(minutes=kind.duration_minutes)
    return Appointment.objects.create(
        clinic=kind.clinic,
        therapist=therapist_user.staff_member,
        appointment_type=kind,
        patient=patient,
        start=start,
        end=end,
        blocked_start=start,
        blocked_end=end,
        status=status,
    )


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Views read the time from django.utils.timezone.now; pin it to the tests' fixed NOW."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def day_url(clinic: Clinic, day: dt.date) -> str:
    return reverse("booking:staff_day", args=[clinic.slug, day])


def week_url(clinic: Clinic, day: dt.date) -> str:
    return reverse("booking:staff_week", args=[clinic.slug, day])


# The day page


def test_day_shows_patient_type_status_in_local_time(calendar: Calendar) -> None:
    cast = calendar.cast
    appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, TUESDAY, "10:00"),
    )
    response = signed_in(cast.front_desk_a).get(day_url(cast.clinic_a, TUESDAY))
    assert response.status_code == 200
    text = response.content.decode()
    assert "10:00 AM EST to 11:00 AM EST" in text  # 15:00 UTC is 10:00 in New York
    assert "Penny Parker" in text
    assert "Initial evaluation" in text
    assert "Booked" in text
    assert 'value="arrived"' in text


def test_day_for_auditor_has_no_actions(calendar: Calendar) -> None:
    cast = calendar.cast
    appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, TUESDAY, "10:00"),
    )
    response = signed_in(cast.auditor).get(day_url(cast.clinic_a, TUESDAY))
    assert response.status_code == 200
    assert b"Penny Parker" in response.content
    assert b'value="arrived"' not in response.content
    assert reverse("booking:staff_book", args=[cast.clinic_a.slug]).encode() not in response.content


def test_day_of_another_clinic_is_404_without_names(calendar: Calendar) -> None:
    cast = calendar.cast
    appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, TUESDAY, "10:00"),
    )
    response = signed_in(cast.therapist_b).get(day_url(cast.clinic_a, TUESDAY))
    assert response.status_code == 404
    assert b"Parker" not in response.content


@pytest.mark.parametrize("view", ["booking:staff_day", "booking:staff_week"])
def test_calendar_pages_refuse_patients_anonymous_and_posts(calendar: Calendar, view: str) -> None:
    cast = calendar.cast
    url = reverse(view, args=[cast.clinic_a.slug, TUESDAY])
    assert signed_in(cast.patient_p.user).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert signed_in(cast.therapist_a).post(url).status_code == 405


def test_a_bad_date_is_404(calendar: Calendar) -> None:
    url = f"/booking/staff/{calendar.cast.clinic_a.slug}/day/2031-02-30/"
    assert signed_in(calendar.cast.therapist_a).get(url).status_code == 404


def test_today_opens_the_clinics_local_date(calendar: Calendar, clock: dt.datetime) -> None:
    cast = calendar.cast
    response = signed_in(cast.therapist_a).get(
        reverse("booking:staff_today", args=[cast.clinic_a.slug])
    )
    assert response.status_code == 302
    assert response["Location"] == day_url(cast.clinic_a, clock.date())


def test_day_filters_by_therapist(calendar: Calendar) -> None:
    cast = calendar.cast
    other = factories.staff("therapist_a2", "therapist", [cast.clinic_a])
    appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, TUESDAY, "10:00"),
    )
    second = factories.patient("Otto", "Other", cast.clinic_a)
    appointment(calendar.evaluation_a, other, second, local(cast.clinic_a, TUESDAY, "11:00"))
    url = day_url(cast.clinic_a, TUESDAY)
    response = signed_in(cast.front_desk_a).get(url, {"therapist": other.staff_member.pk})
    assert b"Otto Other" in response.content
    assert b"Penny Parker" not in response.content


def test_an_outside_therapist_filter_is_named_and_ignored(calendar: Calendar) -> None:
    cast = calendar.cast
    appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, TUESDAY, "10:00"),
    )
    url = day_url(cast.clinic_a, TUESDAY)
    response = signed_in(cast.front_desk_a).get(
        url, {"therapist": cast.therapist_b.staff_member.pk}
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert b"Penny Parker" in response.content
    assert b"Therapist_B" not in response.content


def test_day_lists_free_times_for_a_type(calendar: Calendar, clock: dt.datetime) -> None:
    cast = calendar.cast
    appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, TUESDAY, "10:00"),
    )
    response = signed_in(cast.front_desk_a).get(
        day_url(cast.clinic_a, TUESDAY), {"appointment_type": calendar.evaluation_a.pk}
    )
    slots = response.context["free_slots"]
    starts = {s.start for s in slots}
    assert local(cast.clinic_a, TUESDAY, "08:00") in starts
    assert local(cast.clinic_a, TUESDAY, "10:00") not in starts  # taken
    assert b"Free times for Initial evaluation" in response.content
    assert b"time=08:00" in response.content  # links into the booking form, prefilled


# The week page, across a change of the clocks


def test_week_columns_are_local_dates_across_spring_forward(calendar: Calendar) -> None:
    cast = calendar.cast
    saturday = DST_SUNDAY - dt.timedelta(days=1)
    before = appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, saturday, "09:00"),
    )
    after = appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, DST_SUNDAY, "09:00"),
    )
    late = appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, DST_SUNDAY, "22:30"),
    )
    assert before.start.hour == 14 and after.start.hour == 13  # different UTC hours
    response = signed_in(cast.front_desk_a).get(week_url(cast.clinic_a, DST_SUNDAY))
    assert response.status_code == 200
    days = response.context["days"]
    assert days[0] == dt.date(2031, 3, 3) and days[-1] == DST_SUNDAY
    rows = dict(response.context["rows"])
    nine = rows[dt.time(9)]
    assert nine[5] == [before] and nine[6] == [after]
    # 22:30 on Sunday is 02:30 UTC on Monday, but it belongs to Sunday's column.
    assert rows[dt.time(22)][6] == [late]
    page = response.content.decode()
    assert "9:00 AM EST Penny Parker" in page and "9:00 AM EDT Penny Parker" in page


def test_week_after_the_change_keeps_nine_oclock(calendar: Calendar) -> None:
    cast = calendar.cast
    monday = DST_SUNDAY + dt.timedelta(days=1)
    visit = appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, monday, "09:00"),
    )
    response = signed_in(cast.front_desk_a).get(week_url(cast.clinic_a, monday))
    assert dict(response.context["rows"])[dt.time(9)][0] == [visit]


# Query counts stay flat however full the calendar is


def fill_week(calendar: Calendar, visits_per_day: int) -> None:
    """Visits Monday to Friday, spread over three therapists and five patients."""
    cast = calendar.cast
    therapists = [cast.therapist_a] + [
        factories.staff(f"extra{n}", "therapist", [cast.clinic_a]) for n in range(2)
    ]
    patients = [factories.patient(f"P{n}", f"Patient{n}", cast.clinic_a) for n in range(5)]
    for day_offset in range(5):
        day = dt.date(2031, 3, 3) + dt.timedelta(days=day_offset)
        for n in range(visits_per_day):
            start = local(cast.clinic_a, day, f"{8 + n:02d}:00")
            appointment(calendar.evaluation_a, therapists[n % 3], patients[n % 5], start)


@pytest.mark.parametrize("view", ["booking:staff_day", "booking:staff_week"])
@pytest.mark.parametrize("visits_per_day", [1, 9])
def test_calendar_query_count_is_bounded(
    calendar: Calendar,
    view: str,
    visits_per_day: int,
    django_assert_max_num_queries: Any,
    clock: dt.datetime,
) -> None:
    """The same small number of queries for one visit a day or for nine (45 in the week)."""
    cast = calendar.cast
    client = signed_in(cast.front_desk_a)
    url = reverse(view, args=[cast.clinic_a.slug, TUESDAY])
    fill_week(calendar, visits_per_day)
    with django_assert_max_num_queries(QUERY_BUDGET[view]):
        response = client.get(url, {"appointment_type": calendar.evaluation_a.pk})
    assert response.status_code == 200
    assert response.content.count(b"Patient") >= visits_per_day


# Set-up in the admin: managers only for their own clinics


def test_manager_sees_only_their_clinics_appointment_types(calendar: Calendar) -> None:
    client = signed_in(calendar.cast.manager)
    client.force_login(calendar.cast.manager)
    response = client.get(reverse("admin:booking_appointmenttype_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2  # clinic A's evaluation and follow-up
    other = reverse("admin:booking_appointmenttype_change", args=[calendar.evaluation_b.pk])
    assert client.get(other).status_code == 302  # the admin answers "not found" with a redirect


def test_manager_cannot_give_hours_at_another_clinic(calendar: Calendar) -> None:
    cast = calendar.cast
    response = signed_in(cast.manager).post(
        reverse("admin:booking_workinghours_add"),
        {
            "therapist": cast.therapist_b.staff_member.pk,
            "clinic": cast.clinic_b.pk,
            "weekday": 5,
            "start": "09:00",
            "end": "12:00",
        },
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not WorkingHours.objects.filter(weekday=5).exists()


def test_manager_adds_hours_for_their_therapist(calendar: Calendar) -> None:
    cast = calendar.cast
    response = signed_in(cast.manager).post(
        reverse("admin:booking_workinghours_add"),
        {
            "therapist": cast.therapist_a.staff_member.pk,
            "clinic": cast.clinic_a.pk,
            "weekday": 5,
            "start": "09:00",
            "end": "12:00",
        },
    )
    assert response.status_code == 302
    assert WorkingHours.objects.filter(weekday=5, clinic=cast.clinic_a).exists()


def test_time_off_is_scoped_through_the_therapists_clinics(calendar: Calendar) -> None:
    cast = calendar.cast
    start = dt.datetime(2031, 4, 1, 12, tzinfo=dt.UTC)
    mine = TimeOff.objects.create(
        therapist=cast.therapist_a.staff_member, start=start, end=start + dt.timedelta(hours=2)
    )
    theirs = TimeOff.objects.create(
        therapist=cast.therapist_b.staff_member, start=start, end=start + dt.timedelta(hours=2)
    )
    client = signed_in(cast.manager)
    listed = client.get(reverse("admin:booking_timeoff_changelist"))
    assert list(listed.context["cl"].result_list) == [mine]
    assert client.get(reverse("admin:booking_timeoff_change", args=[theirs.pk])).status_code == 302


def test_non_managers_cannot_open_the_booking_admin(calendar: Calendar) -> None:
    for user in (calendar.cast.therapist_a, calendar.cast.front_desk_a, calendar.cast.auditor):
        response = signed_in(user).get(reverse("admin:booking_workinghours_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
