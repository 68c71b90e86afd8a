"""The Juniper Hill front desk finds Karim over the attendance policy on its home, opens his
attendance page, records the follow-up and sees him leave the list; axe finds nothing
serious on either page; screenshots are kept.

The demo practice makes Karim's three misses (unknot.demo.today)."""

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_site_in_chromium import open_page, sign_in
from unknot.booking.models import AttendanceFollowUp
from unknot.demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server: Any) -> str:
    load_demo()
    return str(live_server.url)


def test_the_front_desk_follows_up_a_patient_over_the_policy(
    browser: Any, demo_site: str, artifacts_dir: Path, axe_check: Any
) -> None:
    page, _ = open_page(browser)
    sign_in(page, demo_site, "frontdesk.lakeshore")
    missed = page.get_by_role("region", name="No-shows and late cancellations to follow up")
    assert "3 missed or late-cancelled visits in the last 90 days" in missed.inner_text()
    page.screenshot(path=str(artifacts_dir / "home-front-desk-attendance.png"), full_page=True)
    flag = re.compile(r"Over the attendance policy\s*: Karim Haddad")
    missed.get_by_role("link", name=flag).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Attendance: Karim")
    axe_check(page, "attendance page")
    page.get_by_role("button", name="Record the follow-up").click()  # no note: a message
    assert "Please write a short note of what was said." in page.inner_text("body")
    assert not AttendanceFollowUp.objects.exists()
    page.get_by_label("Note").fill("Called, discussed the policy.")
    page.get_by_role("button", name="Record the follow-up").click()
    page.screenshot(path=str(artifacts_dir / "attendance-followed-up.png"), full_page=True)
    missed = page.get_by_role("region", name="No-shows and late cancellations to follow up")
    assert "Karim Haddad" not in missed.inner_text()
    assert AttendanceFollowUp.objects.get().note == "Called, discussed the policy."
