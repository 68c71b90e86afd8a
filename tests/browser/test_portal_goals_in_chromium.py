"""The portal in a real browser: a follow-up booked by choosing a day, then a time; a goal
written in the person's own words, then seen with its ratings on the progress page."""

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.booking.test_portal_booking import completed_evaluation
from tests.calendar import make_calendar
from tests.factories import PASSWORD
from tests.personas import make_cast
from tests.web.matrix_care import care_episode
from unknot.booking.models import Appointment, Status
from unknot.records import goals
from unknot.records.models import OutcomeScore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def signed_in(browser: Any, base: str, user: Any, landing: str) -> Any:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/accounts/login/?next={landing}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{landing}")
    return page


def test_person_books_a_follow_up_by_choosing_a_day_then_a_time(
    browser: Any, live_server: Any, artifacts_dir: Path, axe_check: Any
) -> None:
    cast = make_cast()
    calendar = make_calendar(cast)
    completed_evaluation(calendar)
    page = signed_in(browser, str(live_server.url), cast.patient_p.user, "/portal/appointments/")
    page.get_by_role("link", name="Book a follow-up visit").click()
    page.get_by_role("button", name="Show free days").click()
    page.get_by_role("link", name="Next month").click()  # wholly in the future
    calendar_table = page.get_by_role("table")
    assert "not available" in calendar_table.inner_text()
    axe_check(page, "month of free days")
    calendar_table.locator("a.free-day").first.click()
    assert page.locator('[aria-current="date"]').count() == 1
    morning = page.get_by_role("group", name="Morning")
    assert morning.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page, "the chosen day's times")
    page.screenshot(path=str(artifacts_dir / "portal-book-day.png"), full_page=True)
    first_time = morning.get_by_role("button").first
    label = first_time.inner_text()
    first_time.click()
    assert page.get_by_role("heading", name="Confirm your visit").is_visible()
    assert label in page.locator("main").inner_text()
    axe_check(page, "confirm the visit")
    page.get_by_role("button", name="Book this visit").click()
    # The browser keeps the day link's #times across the redirect.
    page.wait_for_url(lambda url: urlsplit(url).path == "/portal/appointments/")
    assert "Your visit is booked" in page.locator("main").inner_text()
    booked = Appointment.objects.get(patient=cast.patient_p, status=Status.BOOKED)
    assert booked.source == "portal" and booked.start > timezone.now()


def test_person_writes_a_goal_and_sees_it_on_the_progress_page(
    browser: Any, live_server: Any, artifacts_dir: Path, axe_check: Any
) -> None:
    cast = make_cast()
    episode = care_episode(cast.patient_p, cast.therapist_a)
    page = signed_in(browser, str(live_server.url), cast.patient_p.user, "/portal/")
    page.get_by_role("link", name="Write or change my goals").click()
    page.get_by_label("Activity 1").fill("Lifting my toddler into the car seat")
    page.get_by_label("Activity 2").fill("Sitting through a meeting")
    axe_check(page, "goals form")
    page.get_by_role("button", name="Save my goals").click()
    assert "Your goals are saved" in page.locator("main").inner_text()
    # Two re-assessments rate the goals under the words the person wrote.
    for day, scores in ((dt.date(2026, 3, 2), (3, 5)), (dt.date(2026, 3, 30), (7, 6))):
        words = [g.words for g in goals.goals_of(episode)]
        items = [{"activity": w, "score": s} for w, s in zip(words, scores, strict=True)]
        psfs = OutcomeScore.objects.create(
            episode=episode, instrument="psfs", value=sum(scores) / 2, measured_on=day,
            source="reassessment",
            details={"items": items},
        )  # fmt: skip
        goals.ratings_from_psfs([psfs], by=cast.therapist_a, now=timezone.now())
    page.goto(f"{live_server.url}/home-programme/progress/")
    goal = page.get_by_role("region", name="Lifting my toddler into the car seat", exact=True)
    assert "That is a real improvement" in goal.inner_text()
    assert goal.locator("svg").is_visible() and goal.get_by_role("table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page, "progress with goals")
    page.get_by_role("heading", name="My goals").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "portal-goals.png"), full_page=True)
