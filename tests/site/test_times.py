"""Times in the clinic's zone with the zone named, US style, on pages, emails and PDFs.

The database and the site's current zone are UTC; a clinic in Denver must read its own wall
clock, "MST" or "MDT" said, never UTC passed off as local.
"""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from tests.clock import stopped_at
from tests.personas import Cast
from tests.web import matrix_clinical as mc
from unknot.clinics import times
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
