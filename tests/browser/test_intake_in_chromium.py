"""The intake on a phone in a real browser: the email link, autosave across a reload, and the
emergency guidance appearing the moment a red-flag answer is given."""

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests import factories
from tests.personas import make_cast
from tests.records.intake_support import open_intake
from unknot.outbox.models import OutboxEmail
from unknot.records.intake import links
from unknot.records.models import Intake

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "quiet harbour morning 42"


@pytest.fixture
def start_link(live_server: Any) -> tuple[str, Intake]:
    cast = make_cast()
    cast.clinic_a.email = "desk@alder.example"
    cast.clinic_a.save()
    patient = factories.patient("Rosa", "Marsh", cast.clinic_a, login=False)
    intake = open_intake(patient, cast.therapist_a)
    token = links.start_token(patient.pk, intake.pk)
    return f"{live_server.url}/intake/start/{token}/", intake


def saved(page: Any) -> None:
    page.locator("[data-autosave-status]", has_text="Saved.").wait_for()


def question(page: Any, legend: str) -> Any:
    return page.get_by_role("group", name=re.compile(re.escape(legend)))


def test_intake_on_a_phone(
    browser: Any, start_link: tuple[str, Intake], artifacts_dir: Path
) -> None:
    url, intake = start_link
    page = browser.new_page(viewport=PHONE)
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))

    # From the email link: choose a password, land on the intake.
    page.goto(url)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Save my password and start").click()
    page.get_by_role("heading", name="Before your first visit").wait_for()
    page.get_by_role("link", name="Start: Your back pain story").click()

    # Autosave: answers are kept as they are given, without pressing any button.
    page.get_by_label("About when did this back pain start?").fill("2025-10-01")
    page.get_by_label("Lifting, carrying or moving something").check()
    saved(page)
    page.get_by_label("In your own words, what happened?").fill("Lifted a sofa up the stairs.")
    saved(page)
    page.reload()
    assert page.get_by_label("Lifting, carrying or moving something").is_checked()
    assert page.get_by_label("In your own words, what happened?").input_value() == (
        "Lifted a sofa up the stairs."
    )
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("heading", name="Where it hurts").wait_for()
    page.get_by_label("Mostly on the left").check()
    saved(page)
    page.reload()
    assert page.get_by_label("Mostly on the left").is_checked()
    page.screenshot(path=str(artifacts_dir / "intake-phone-where.png"), full_page=True)

    # Health: saving the page with nothing ticked answers "none of these" (SCREEN-1).
    base = url.split("/intake/")[0]
    page.goto(base + "/intake/section/health/")
    question(page, "Are you pregnant?").get_by_label("No", exact=True).check()
    saved(page)
    weeks = page.get_by_label("If you have given birth in the last year, how many weeks ago?")
    weeks.fill("30")
    weeks.blur()  # a number is saved when the person leaves the box (the change event)
    saved(page)

    # The other safety questions include the newer ones, asked in the person's own words.
    page.goto(base + "/intake/section/more-safety/")
    question(page, "Does the pain wake you up at night?").get_by_label("No", exact=True).check()
    saved(page)
    question(page, "have you ever had a blood clot?").get_by_label("No", exact=True).check()
    saved(page)

    # A red-flag answer: the guidance shows at once, before the page is finished.
    page.goto(base + "/intake/section/safety/")
    question(page, "saddle").get_by_label("No").check()
    saved(page)
    question(page, "trouble passing urine").get_by_label("Yes").check()
    page.get_by_role("heading", name="Please go to an emergency department now").wait_for()
    assert "911" in page.content()
    page.screenshot(path=str(artifacts_dir / "intake-phone-emergency.png"), full_page=True)

    intake.refresh_from_db()
    assert intake.emergency_at is not None
    assert intake.answers["episode"]["causes"] == ["lifting"]
    assert intake.answers["conditions"] == [] and intake.answers["medicines"] == []
    assert intake.answers["patient"] == {"pregnant": False, "postpartum_weeks": 30}
    assert intake.answers["red_flags"]["night_pain"] is False
    assert intake.answers["red_flags"]["thrombosis_risk"] is False
    assert OutboxEmail.objects.filter(kind="clinic_alert").count() == 1
    assert set(hosts) == {urlsplit(url).netloc}  # nothing loaded from anywhere else
