"""Staff calendars: day and week pages in the clinic's zone, filters, free times, admin set-up."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calendar import NOW, Calendar, local, works_weekdays
from tests.clock import stopped_at
from unknot.booking import calendar_grid as grid
from unknot.booking.models import (
    Appointment,
    AppointmentType,
    SafetyCall,
    Status,
    TimeOff,
    WorkingHours,
)
from unknot.clinics.models import Clinic
from unknot.patients.models import Patient
from unknot.records.models import Episode, Intake, MedicalHold

TUESDAY = dt.date(2031, 3, 4)
STATIC = Path(grid.__file__).parent / "static" / "booking"
DST_SUNDAY = dt.date(2031, 3, 9)  # New York springs forward at 02:00 that night
# Session, user, second factor, clinic, filters (types, therapists), appointments, opening
# hours and closures, working hours, overrides and time off, free times for a type (a
# handful, one per table) and the session save; the week checks the chosen therapist too.
# Measured 21 and 17; none of them grows with the therapists or the rows.
# The day lists who is over the attendance policy too: one query for all its patients.
QUERY_BUDGET = {"booking:staff_day": 22, "booking:staff_week": 17}


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


def placed(response: Any) -> dict[int, tuple[int, int, int]]:
    """Each appointment's block on the page's grid: (column, first row, rows spanned)."""
    return {
        item.appointment.pk: (column.key, item.row, item.span)
        for column in response.context["grid"].columns
        for item in column.items
        if item.is_block
    }


def row_of(response: Any, wall: dt.time) -> int:
    """The grid row of a wall-clock time on the page."""
    [row] = [r.number for r in response.context["grid"].rows if r.wall == wall]
    return row


def day_url(clinic: Clinic, day: dt.date) -> str:
    return reverse("booking:staff_day", args=[clinic.slug, day])


def week_url(clinic: Clinic, day: dt.date) -> str:
    return reverse("booking:staff_week", args=[clinic.slug, day])


# The day page


def test_day_shows_patient_type_status_in_local_time(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast = calendar.cast
    appointment(
        calendar.evaluation_a,
        cast.therapist_a,
        cast.patient_p,
        local(cast.clinic_a, TUESDAY, "10:00"),
    )
    stopped_at(local(cast.clinic_a, TUESDAY, "08:00"), monkeypatch)  # the visit's day
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
    nine = row_of(response, dt.time(9))
    assert placed(response)[before.pk][:2] == (5, nine)  # Saturday's column, the 09:00 row
    assert placed(response)[after.pk][:2] == (6, nine)  # Sunday's, the same row
    # 22:30 on Sunday is 02:30 UTC on Monday, but it belongs to Sunday's column.
    assert placed(response)[late.pk][:2] == (6, row_of(response, dt.time(22, 30)))
    page = response.content.decode()
    assert "9:00 AM EST to 10:00 AM EST" in page and "9:00 AM EDT to 10:00 AM EDT" in page


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
    assert placed(response)[visit.pk][:2] == (0, row_of(response, dt.time(9)))


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
    query = {"appointment_type": calendar.evaluation_a.pk}
    if view == "booking:staff_week":
        query["therapist"] = cast.therapist_a.staff_member.pk
    with django_assert_max_num_queries(QUERY_BUDGET[view]):
        response = client.get(url, query)
    assert response.status_code == 200
    shown = sum(
        1 for column in response.context["grid"].columns for i in column.items if i.is_block
    )
    assert shown >= visits_per_day


def crowd(calendar: Calendar, therapists: int, visits: int) -> list[Any]:
    """`therapists` more therapists at clinic A (08-18 on weekdays) and `visits` visits in
    the week of TUESDAY spread over all of them, in every status, a third with a call to make."""
    cast = calendar.cast
    staff = [cast.therapist_a] + [
        factories.staff(f"crowd{n}", "therapist", [cast.clinic_a]) for n in range(therapists)
    ]
    for member in staff[1:]:
        works_weekdays(member, cast.clinic_a)
    patients = [factories.patient(f"Crowd{n}", f"Person{n}", cast.clinic_a) for n in range(10)]
    statuses = [Status.BOOKED, Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED]
    for n in range(visits):
        day = dt.date(2031, 3, 3) + dt.timedelta(days=n % 5)
        start = local(cast.clinic_a, day, f"{8 + (n // 5) % 9:02d}:{15 * (n % 4):02d}")
        made = appointment(calendar.evaluation_a, staff[n % len(staff)], patients[n % 10], start,
                           statuses[n % 5])  # fmt: skip
        if n % 3 == 0:
            SafetyCall.objects.create(
                appointment=made, clinic=cast.clinic_a, patient=made.patient, created_at=NOW
            )
    return staff


def calendar_queries(client: Client, url: str, query: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("view", ["booking:staff_day", "booking:staff_week"])
def test_twenty_therapists_and_150_visits_cost_what_one_does(
    calendar: Calendar, view: str, clock: dt.datetime
) -> None:
    cast = calendar.cast
    client = signed_in(cast.front_desk_a)
    url = reverse(view, args=[cast.clinic_a.slug, TUESDAY])
    query: dict[str, Any] = {"appointment_type": calendar.evaluation_a.pk}
    if view == "booking:staff_week":
        query["therapist"] = cast.therapist_a.staff_member.pk
    appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p,
                local(cast.clinic_a, TUESDAY, "09:00"))  # fmt: skip
    client.get(url, query)  # the session's first request settles it
    few = calendar_queries(client, url, query)
    staff = crowd(calendar, 20, 150)
    many = calendar_queries(client, url, query)
    assert many == few <= QUERY_BUDGET[view]
    response = client.get(url, query)
    shown = Appointment.objects.exclude(status=Status.CANCELLED)
    if view == "booking:staff_day":
        assert len(response.context["grid"].columns) == len(staff)  # 21 therapists side by side
        shown = shown.filter(start__date=TUESDAY)  # 08:00-17:00 in New York: the same date
    else:
        shown = shown.filter(therapist=cast.therapist_a.staff_member)
    assert set(placed(response)) == set(shown.values_list("pk", flat=True))
    assert len(placed(response)) > 5


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


# The grid: blocks placed and sized by time, colours with words, flags, free times to book


def grid_page(client: Client, clinic: Clinic, day: dt.date = TUESDAY, **query: Any) -> Any:
    response = client.get(day_url(clinic, day), query)
    assert response.status_code == 200
    return response


def test_a_block_starts_on_its_row_and_spans_its_length(calendar: Calendar) -> None:
    cast = calendar.cast
    hour = appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p,
                       local(cast.clinic_a, TUESDAY, "10:00"))  # fmt: skip
    odd = appointment(calendar.follow_up_a, cast.therapist_a, cast.patient_p,
                      local(cast.clinic_a, TUESDAY, "13:10"))  # fmt: skip
    response = grid_page(signed_in(cast.front_desk_a), cast.clinic_a)
    rows = response.context["grid"].rows
    assert rows[0].wall == dt.time(8) and rows[-1].wall == dt.time(17, 45)  # open 08-18
    assert placed(response)[hour.pk] == (0, row_of(response, dt.time(10)), 4)  # 60 minutes
    # 13:10 for 45 minutes sits in the 13:00 row and reaches into the 13:45 one.
    assert placed(response)[odd.pk] == (0, row_of(response, dt.time(13)), 4)
    page = response.content.decode()
    assert f'class="cal-block at-{row_of(response, dt.time(10))} span-4 ' in page


def test_blocks_say_type_and_status_in_words_beside_their_colours(calendar: Calendar) -> None:
    cast = calendar.cast
    appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p,
                local(cast.clinic_a, TUESDAY, "09:00"), Status.NO_SHOW)  # fmt: skip
    appointment(calendar.follow_up_a, cast.therapist_a, cast.patient_p,
                local(cast.clinic_a, TUESDAY, "11:00"), Status.ARRIVED)  # fmt: skip
    page = grid_page(signed_in(cast.front_desk_a), cast.clinic_a).content.decode()
    assert "kind-initial_evaluation status-no_show" in page
    assert 'Initial evaluation · <span class="cal-status">Did not attend</span>' in page
    assert "kind-follow_up status-arrived" in page
    assert 'Follow-up · <span class="cal-status">Arrived</span>' in page
    legend = page[page.index('id="legend-heading"') :]
    for words in ("Initial evaluation", "Follow-up visit", "Flare-up visit", "Booked",
                  "Arrived", "Completed", "Did not attend", "Not working"):  # fmt: skip
        assert words in legend


def test_a_cancelled_visit_leaves_its_time_free_but_stays_in_the_list(calendar: Calendar) -> None:
    cast = calendar.cast
    gone = appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p,
                       local(cast.clinic_a, TUESDAY, "10:00"), Status.CANCELLED)  # fmt: skip
    response = grid_page(signed_in(cast.front_desk_a), cast.clinic_a)
    assert gone.pk not in placed(response)
    page = response.content.decode()
    assert "time=10:00" in page  # bookable again
    assert "Cancelled" in page[page.index("Appointments in order") :]


def test_the_call_before_the_visit_flag_is_on_the_block(calendar: Calendar) -> None:
    cast = calendar.cast
    visit = appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p,
                        local(cast.clinic_a, TUESDAY, "10:00"))  # fmt: skip
    call = SafetyCall.objects.create(appointment=visit, clinic=cast.clinic_a,
                                     patient=cast.patient_p, created_at=NOW)  # fmt: skip
    page = grid_page(signed_in(cast.front_desk_a), cast.clinic_a).content.decode()
    block = page[page.index(f'id="appointment-{visit.pk}"') :]
    block = block[: block.index("</div>")]
    assert "has-flag" in page and "Call before the visit" in block
    assert reverse("booking:staff_safety_call", args=[call.pk]) in block


def test_free_working_times_link_to_the_booking_form_prefilled(calendar: Calendar) -> None:
    cast = calendar.cast
    appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p,
                local(cast.clinic_a, TUESDAY, "10:00"))  # fmt: skip
    page = grid_page(signed_in(cast.front_desk_a), cast.clinic_a).content.decode()
    book = reverse("booking:staff_book", args=[cast.clinic_a.slug])
    therapist = cast.therapist_a.staff_member.pk
    assert f'{book}?therapist={therapist}&amp;date=2031-03-04&amp;time=08:15"' in page
    assert "Book with Therapist_A Staff at 8:15 AM</span>" in page
    for taken in ("10:00", "10:15", "10:30", "10:45"):  # under the block
        assert f"date=2031-03-04&amp;time={taken}" not in page
    assert "date=2031-03-04&amp;time=11:00" in page


def test_time_outside_working_hours_is_shaded_not_bookable(calendar: Calendar) -> None:
    cast = calendar.cast
    WorkingHours.objects.filter(therapist=cast.therapist_a.staff_member, weekday=1).update(
        start=dt.time(12), end=dt.time(16)
    )
    response = grid_page(signed_in(cast.front_desk_a), cast.clinic_a)
    [column] = response.context["grid"].columns
    shaded = [(i.row, i.span) for i in column.items if not i.is_block and not i.bookable]
    assert shaded == [(1, 16), (row_of(response, dt.time(16)), 8)]  # 08-12 and 16-18
    page = response.content.decode()
    assert "time=11:45" not in page and "time=12:00" in page and "time=16:00" not in page
    assert 'class="cal-off at-1 span-16 not-working"' in page


def test_the_now_line_is_on_todays_grid_only(calendar: Calendar, monkeypatch: Any) -> None:
    cast = calendar.cast
    stopped_at(local(cast.clinic_a, TUESDAY, "10:07"), monkeypatch)
    client = signed_in(cast.front_desk_a)
    today = grid_page(client, cast.clinic_a)
    now = today.context["grid"].now
    assert (now.row, now.minutes_past) == (row_of(today, dt.time(10)), 7)
    page = today.content.decode()
    assert f'class="now-line at-{now.row} past-7"' in page
    assert "The red line is the time now, 10:07 AM EST." in page
    assert "time=09:45" not in page and "time=10:15" in page  # past times cannot be booked
    tomorrow = grid_page(client, cast.clinic_a, TUESDAY + dt.timedelta(days=1))
    assert tomorrow.context["grid"].now is None and "now-line" not in tomorrow.content.decode()


def test_readers_see_the_grid_without_book_or_move_controls(calendar: Calendar) -> None:
    cast = calendar.cast
    appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p,
                local(cast.clinic_a, TUESDAY, "10:00"))  # fmt: skip
    for url in (day_url(cast.clinic_a, TUESDAY), week_url(cast.clinic_a, TUESDAY)):
        page = signed_in(cast.auditor).get(url).content.decode()
        assert "Penny Parker" in page and "cal-block" in page
        assert "data-move-url" not in page and "calendar.js" not in page
        assert reverse("booking:staff_book", args=[cast.clinic_a.slug]) not in page
        writer = signed_in(cast.front_desk_a).get(url).content.decode()
        assert "data-move-url" in writer and "calendar.js" in writer


def test_a_therapist_who_left_keeps_a_column_for_their_visits(calendar: Calendar) -> None:
    cast = calendar.cast
    gone = factories.staff("left_a", "therapist", [cast.clinic_a])
    visit = appointment(calendar.evaluation_a, gone, cast.patient_p,
                        local(cast.clinic_a, TUESDAY, "09:00"))  # fmt: skip
    gone.is_active = False
    gone.save()
    response = grid_page(signed_in(cast.front_desk_a), cast.clinic_a)
    column = placed(response)[visit.pk][0]
    assert not response.context["grid"].columns[column].takes_bookings
    assert "(not taking bookings)" in response.content.decode()


def test_the_week_shows_one_therapist_the_first_by_default(calendar: Calendar) -> None:
    cast = calendar.cast
    other = factories.staff("aaron_first", "therapist", [cast.clinic_a])
    other.last_name = "Aaronson"  # first in the list of therapists
    other.save()
    works_weekdays(other, cast.clinic_a)
    mine = appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p,
                       local(cast.clinic_a, TUESDAY, "09:00"))  # fmt: skip
    client = signed_in(cast.front_desk_a)
    default = client.get(week_url(cast.clinic_a, TUESDAY))
    assert default.context["therapist"] == other.staff_member and mine.pk not in placed(default)
    chosen = client.get(
        week_url(cast.clinic_a, TUESDAY), {"therapist": cast.therapist_a.staff_member.pk}
    )
    assert placed(chosen)[mine.pk][0] == 1  # Tuesday's column
    assert chosen.context["grid"].columns[0].day == dt.date(2031, 3, 3)
    assert "time=08:00" in chosen.content.decode()  # free times there link to the booking form


def test_the_grid_stylesheet_places_every_row_of_a_day() -> None:
    """The grid is drawn by classes (the CSP allows no inline style): each must exist."""
    css = (STATIC / "calendar.css").read_text()
    for n in range(1, grid.MAX_ROWS + 1):
        assert f".at-{n} {{ grid-row-start: {n}; }}" in css
        assert f".span-{n} {{ grid-row-end: span {n}; }}" in css
    for minutes in range(grid.ROW_MINUTES):
        assert f".past-{minutes} {{" in css


def test_safety_flags_of_the_open_episode_are_on_the_block(calendar: Calendar) -> None:
    """An open referral for medical review and an emergency answer in the intake (records'
    flags, read in the calendar's one query of appointments) show on the visit's block."""
    cast = calendar.cast
    at_a, at_b = local(cast.clinic_a, TUESDAY, "10:00"), local(cast.clinic_b, TUESDAY, "10:00")
    visit = factories.booked_appointment(calendar, patient=cast.patient_p, when=at_a, now=NOW)
    quiet = factories.booked_appointment(calendar, patient=cast.patient_q, when=at_b, now=NOW)
    episode = Episode.objects.get(patient=cast.patient_p)
    MedicalHold.objects.create(episode=episode, source="intake", tier="urgent_referral",
                               opened_at=NOW)  # fmt: skip
    Intake.objects.filter(episode=episode).update(emergency_at=NOW)
    page = grid_page(signed_in(cast.front_desk_a), cast.clinic_a).content.decode()
    block = page[page.index(f'id="appointment-{visit.pk}"') :]
    block = block[: block.index("</div>")]
    assert "Waiting for medical clearance (referral open)" in block
    assert "Emergency answer in the intake" in block
    other = grid_page(signed_in(cast.therapist_b), cast.clinic_b).content.decode()
    block = other[other.index(f'id="appointment-{quiet.pk}"') :]
    assert "referral open" not in block[: block.index("</div>")]
