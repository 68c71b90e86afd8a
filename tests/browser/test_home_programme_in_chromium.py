"""The home programme on a phone, in a real browser: read it, log a session, see progress."""

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.second_factor import pass_second_factor
from tests.factories import PASSWORD
from tests.personas import make_cast
from tests.web.matrix_care import care_episode
from unknot.plans.models import ExerciseLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
re_start_end = re.compile(r"^Diagram: Start: .+ End: .+")


@pytest.fixture
def person(live_server: Any) -> Any:
    cast = make_cast()
    care_episode(cast.patient_p, cast.therapist_a)
    return cast.patient_p


def test_person_logs_a_session_on_a_phone(
    browser: Any, live_server: Any, person: Any, artifacts_dir: Path, axe_check: Any
) -> None:
    base = str(live_server.url)
    page = browser.new_page(viewport=PHONE)
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.goto(f"{base}/accounts/login/?next=/home-programme/")
    page.get_by_label("Username").fill(person.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home-programme/")

    assert page.get_by_role("heading", name="Bird dog").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    loaded = page.evaluate(
        "Array.from(document.querySelectorAll('.exercise img')).every(i => i.naturalWidth > 0)"
    )
    assert loaded, "every diagram loads"
    axe_check(page, "home programme")
    page.screenshot(path=str(artifacts_dir / "home-programme-phone.png"), full_page=True)

    page.get_by_role("link", name="Log a session").click()
    page.wait_for_url("**/home-programme/log/")
    page.get_by_label("Partly done").check()
    page.get_by_label("Pain before the session (0-10)").fill("12")
    page.get_by_label("Pain after the session (0-10)").fill("4")
    page.get_by_role("button", name="Save my session").click()
    page.get_by_role("alert").wait_for()
    assert "can't be more than 10" in page.locator("main").inner_text()
    axe_check(page, "log form with errors")
    assert ExerciseLog.objects.count() == 0

    page.get_by_label("Pain before the session (0-10)").fill("6")
    page.get_by_role("button", name="Save my session").click()
    page.wait_for_url("**/home-programme/")
    assert "Your session is saved" in page.locator("main").inner_text()
    log = ExerciseLog.objects.get()
    assert (log.status, log.pain_before, log.pain_after) == ("partly", 6, 4)

    page.get_by_role("link", name="My progress").first.click()
    page.wait_for_url("**/home-programme/progress/")
    assert "real improvement" in page.locator("main").inner_text()
    chart = page.locator("svg#chart-nprs, svg[aria-labelledby^='chart-nprs']").first
    assert chart.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    chart.screenshot(path=str(artifacts_dir / "progress-chart-phone.png"))
    axe_check(page, "progress")
    page.goto(f"{base}/home-programme/learn/lifting/")
    assert page.get_by_role("heading", name="Lifting without straining your back").is_visible()
    axe_check(page, "lesson")
    page.screenshot(path=str(artifacts_dir / "progress-phone.png"), full_page=True)
    assert set(hosts) == {urlsplit(base).netloc}


def test_therapist_pages_pass_axe(
    browser: Any, live_server: Any, axe_check: Any, artifacts_dir: Path
) -> None:
    cast = make_cast()
    episode = care_episode(cast.patient_p, cast.therapist_a)
    base = str(live_server.url)
    page = browser.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(cast.therapist_a.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, cast.therapist_a)
    for part in ("progress", "adherence", "report", "discharge"):
        page.goto(f"{base}/home-programme/episodes/{episode.pk}/{part}/")
        assert page.get_by_role("heading", level=1).is_visible()
        axe_check(page, part)
        page.screenshot(path=str(artifacts_dir / f"episode-{part}.png"), full_page=True)
    page.get_by_label("I confirm this course of care has ended").check()
    page.get_by_role("button", name="Discharge", exact=True).click()
    page.get_by_text("Penny Parker is discharged.").wait_for()


def test_exercise_figures_on_the_home_programme_page(
    browser: Any, live_server: Any, artifacts_dir: Path, axe_check: Any
) -> None:
    """Every figure loads at its natural size (one scale for all), with its caption."""
    cast = make_cast()
    care_episode(
        cast.patient_p,
        cast.therapist_a,
        exercises=("knee_to_chest", "bird_dog", "sit_to_stand", "goblet_squat"),
    )
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/home-programme/")
    page.get_by_label("Username").fill(cast.patient_p.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home-programme/")
    figures = page.locator(".exercise-figure")
    assert figures.count() == 4
    for n in range(4):
        image = figures.nth(n).get_by_role("img", name=re_start_end)
        natural, shown = image.evaluate(
            "i => [i.complete && i.naturalWidth, i.getBoundingClientRect().width]"
        )
        assert natural and shown == natural, "loaded, and shown at its own size (one scale)"
        assert figures.nth(n).locator("figcaption").inner_text().endswith(".")
    assert "Hold behind one thigh" in figures.first.inner_text()
    axe_check(page, "home programme with figures")
    page.locator(".programme").screenshot(path=str(artifacts_dir / "exercise-figures.png"))
