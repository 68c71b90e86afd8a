"""Times in the clinic's zone with the zone named, US style, on pages, emails and PDFs.

The database and the site's current zone are UTC; a clinic in Denver must read its own wall
clock, "MST" or "MDT" said, never UTC passed off as local.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from tests.booking.test_views_calendar import appointment as calendar_appointment
from tests.calendar import NOW, Calendar, local
from tests.clock import stopped_at
from tests.personas import Cast
from tests.web import matrix_clinical as mc
from unknot.audit.models import Action, Outcome
from unknot.audit.services import record
from unknot.booking import notifications
from unknot.booking.models import Appointment
from unknot.breakglass.context import Banner
from unknot.clinics import times
from unknot.outbox.models import OutboxEmail
from unknot.patients.models import Patient
from unknot.plans.home.adherence import Week
from unknot.plans.home.charts import adherence_chart
from unknot.plans.models import PlanOfCare
from unknot.records.models import Visit

WINTER_NOON_UTC = dt.datetime(2031, 3, 3, 12, 0, tzinfo=dt.UTC)  # before US daylight time
SUMMER_EVENING_UTC = dt.datetime(2031, 7, 1, 2, 30, tzinfo=dt.UTC)  # June 30 in Denver


def test_a_moment_reads_in_the_clinics_zone_with_its_abbreviation() -> None:
    assert times.moment_label(WINTER_NOON_UTC, "America/Denver") == "Mar 3, 2031, 5:00 AM MST"
    assert times.moment_label(WINTER_NOON_UTC, "America/New_York") == "Mar 3, 2031, 7:00 AM EST"
    assert times.moment_label(SUMMER_EVENING_UTC, "America/Denver") == "Jun 30, 2031, 8:30 PM MDT"


def test_without_a_clinic_the_zone_is_utc_and_says_so() -> None:
    assert times.moment_label(WINTER_NOON_UTC, None) == "Mar 3, 2031, 12:00 PM UTC"


def test_the_day_of_a_moment_is_the_clinics_day() -> None:
    assert times.day_label(SUMMER_EVENING_UTC, "America/Denver") == "Jun 30, 2031"
    assert times.day_label(SUMMER_EVENING_UTC, "UTC") == "Jul 1, 2031"
    assert times.day_label(dt.date(1980, 3, 4)) == "Mar 4, 1980"


def test_the_filters_take_a_clinic_and_are_on_every_template(cast: Cast) -> None:
    rendered = Template(
        "{{ at|clinic_time:clinic }} · {{ at|clinic_date:clinic }} · {{ born|us_date }}"
    ).render(Context({"at": SUMMER_EVENING_UTC, "clinic": cast.clinic_b,
                      "born": dt.date(1980, 3, 4)}))  # fmt: skip
    assert rendered == "Jun 30, 2031, 8:30 PM MDT · Jun 30, 2031 · Mar 4, 1980"
    assert Template("{{ nothing|clinic_time:clinic }}").render(Context({"clinic": None})) == ""


@pytest.fixture
def denver_plan(cast: Cast) -> PlanOfCare:
    """A plan of care signed at noon UTC, at a clinic that has moved to Denver time."""
    cast.clinic_a.time_zone = "America/Denver"
    cast.clinic_a.save(update_fields=["time_zone"])
    plan = mc.signed(cast)
    PlanOfCare.objects.filter(pk=plan.pk).update(signed_at=WINTER_NOON_UTC)
    return plan


def therapist_page(cast: Cast, url: str) -> str:
    client = Client()
    client.force_login(cast.therapist_a)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_plans_signature_shows_denver_time_with_the_zone(
    cast: Cast, denver_plan: PlanOfCare
) -> None:
    page = therapist_page(cast, reverse("clinical:plan", args=[denver_plan.pk]))
    assert "Mar 3, 2031, 5:00 AM MST" in page
    assert "2031-03-03 12:00" not in page  # UTC shown as if local, as before
    chart = therapist_page(cast, reverse("clinical:episode", args=[denver_plan.episode_id]))
    assert "signed Mar 3, 2031, 5:00 AM MST" in chart


def test_a_visits_signature_shows_denver_time_with_the_zone(
    cast: Cast, denver_plan: PlanOfCare
) -> None:
    visit = mc.visit(cast, denver_plan.episode)
    Visit.objects.filter(pk=visit.pk).update(signed_at=SUMMER_EVENING_UTC)
    page = therapist_page(cast, reverse("clinical:visit", args=[visit.pk]))
    assert "signed Jun 30, 2031, 8:30 PM MDT" in page
    assert visit.performed_on.strftime("%Y-%m-%d") not in page  # the day in US style


def test_the_now_line_of_a_clinic_page_is_the_clinics_wall_clock(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(WINTER_NOON_UTC, monkeypatch)
    page = Client().get(reverse("site:clinic_detail", args=[cast.clinic_b.slug]))
    assert "It is now Mar 3, 2031, 5:00 AM MST there" in page.content.decode()


# --- the named formats and the filters that carry them ----------------------------------------


def test_the_long_and_short_forms_of_a_day() -> None:
    day = dt.date(2026, 12, 7)
    assert times.long_day_label(day) == "Monday, December 7, 2026"
    assert times.short_day_label(day) == "Mon, Dec 7"
    assert times.month_day_label(day) == "Dec 7"
    assert times.axis_day_label(day) == "12/7"  # month first
    # A moment's day is the clinic's: 02:30 UTC on July 1 is still June 30 in Denver.
    assert times.long_day_label(SUMMER_EVENING_UTC, "America/Denver") == "Monday, June 30, 2031"
    assert times.short_day_label(SUMMER_EVENING_UTC, "America/Denver") == "Mon, Jun 30"


def test_a_moment_with_its_weekday_and_to_the_second() -> None:
    assert (
        times.long_moment_label(WINTER_NOON_UTC, "America/Denver")
        == "Monday, March 3, 2031, 5:00 AM MST"
    )
    at = WINTER_NOON_UTC + dt.timedelta(seconds=9)
    assert times.moment_label(at, "America/Denver", seconds=True) == "Mar 3, 2031, 5:00:09 AM MST"
    assert times.moment_label(at, None, seconds=True) == "Mar 3, 2031, 12:00:09 PM UTC"


def test_a_wall_clock_is_twelve_hour() -> None:
    assert times.wall_clock_label(dt.time(9)) == "9:00 AM"
    assert times.wall_clock_label(dt.time(13, 30)) == "1:30 PM"
    assert times.wall_clock_label(dt.time(0)) == "12:00 AM"


def test_the_new_filters_are_on_every_template(cast: Cast) -> None:
    rendered = Template(
        "{{ at|clinic_long_time:clinic }} · {{ at|clinic_time_seconds:clinic }} · "
        "{{ at|long_date:clinic }} · {{ at|short_date:clinic }} · {{ day|long_date }} · "
        "{{ day|short_date }} · {{ hour|us_clock }}"
    ).render(Context({"at": SUMMER_EVENING_UTC, "clinic": cast.clinic_b,
                      "day": dt.date(2026, 12, 7), "hour": dt.time(14, 5)}))  # fmt: skip
    assert rendered == (
        "Monday, June 30, 2031, 8:30 PM MDT · Jun 30, 2031, 8:30:00 PM MDT · "
        "Monday, June 30, 2031 · Mon, Jun 30 · Monday, December 7, 2026 · Mon, Dec 7 · 2:05 PM"
    )
    empty = "{{ x|clinic_long_time }}{{ x|clinic_time_seconds }}{{ x|long_date }}"
    empty += "{{ x|short_date }}{{ x|us_clock }}"
    assert Template(empty).render(Context({"x": None})) == ""


# --- one proof per area: the clinic's zone, named ---------------------------------------------


def test_a_booking_confirmation_for_a_denver_clinic_says_mst(calendar: Calendar) -> None:
    cast = calendar.cast
    Patient.objects.filter(pk=cast.patient_q.pk).update(email="quentin@test.example")
    start = local(cast.clinic_b, dt.date(2031, 3, 4), "10:00")  # 17:00 UTC
    booked = calendar_appointment(calendar.evaluation_b, cast.therapist_b, cast.patient_q, start)
    notifications.queue_booking_emails(Appointment.objects.get(pk=booked.pk), NOW)
    body = OutboxEmail.objects.get(kind="confirmation").body
    assert "Tuesday, March 4, 2031, 10:00 AM MST (America/Denver)" in body
    assert "17:00" not in body and "5:00 PM" not in body  # never UTC passed off as local


def test_the_staff_day_view_shows_the_clinics_clock_with_the_zone(calendar: Calendar) -> None:
    cast = calendar.cast
    start = local(cast.clinic_b, dt.date(2031, 3, 4), "10:00")
    calendar_appointment(calendar.evaluation_b, cast.therapist_b, cast.patient_q, start)
    client = Client()
    client.force_login(cast.therapist_b)
    url = reverse("booking:staff_day", args=[cast.clinic_b.slug, dt.date(2031, 3, 4)])
    page = client.get(url).content.decode()
    assert "Tuesday, March 4, 2031" in page
    assert "10:00 AM MST to 11:00 AM MST" in page


def test_the_audit_report_shows_each_rows_zone_to_the_second(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(WINTER_NOON_UTC + dt.timedelta(seconds=9), monkeypatch)
    record(Action.READ, by=cast.therapist_a, object_type="patient", object_id=1,
           clinic_id=cast.clinic_a.pk)  # fmt: skip
    record(Action.SIGN_IN_FAILED, outcome=Outcome.FAILED, reason="unknown_account")
    client = Client()
    client.force_login(cast.auditor)
    page = client.get(reverse("audit:report")).content.decode()
    assert "Mar 3, 2031, 7:00:09 AM EST" in page  # clinic A, New York
    assert "Mar 3, 2031, 12:00:09 PM UTC" in page  # no clinic: UTC, and said
    assert "2031-03-03 12:00:09" not in page


def test_the_break_glass_banner_ends_on_the_clinics_clock() -> None:
    clinic = SimpleNamespace(name="Birch Clinic", time_zone="America/Denver")
    opening = SimpleNamespace(patient=SimpleNamespace(preferred_clinic=clinic),
                              expires_at=WINTER_NOON_UTC)  # fmt: skip
    text = str(Banner(opening))  # type: ignore[arg-type]
    assert "Your access ends at Mar 3, 2031, 5:00 AM MST (America/Denver)." in text


def test_chart_labels_put_the_month_first() -> None:
    week = Week(start=dt.date(2026, 12, 7), end=dt.date(2026, 12, 13), prescribed=7, logged=5,
                done=4, partly=1, skipped=0, percent_done=57, mean_pain_change=None)  # fmt: skip
    svg = str(adherence_chart([week]))
    assert ">12/7</text>" in svg and "week of Dec 7, 2026: 4 of 7 sessions done" in svg
    assert "07/12" not in svg
