"""Each role signs in on the demo practice, lands on its home, acts on what waits there and
comes back; axe finds nothing serious on the homes; a screenshot of each is kept.

The demo practice fills the homes with the day's work (unknot.demo.today): a note left to sign
for Daniel Mbeki and an intake sent for him to read, a call before the visit for the Harbour
Street front desk, a month of figures for the manager."""

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_site_in_chromium import open_page, sign_in
from unknot.demo.load import load_demo
from unknot.records.models import Intake, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server: Any) -> str:
    load_demo()
    return str(live_server.url)


def heading(page: Any) -> str:
    return str(page.get_by_role("heading", level=1).inner_text())


def test_the_therapist_signs_a_note_from_my_day(
    browser: Any, demo_site: str, artifacts_dir: Path, axe_check: Any
) -> None:
    page, _ = open_page(browser)
    sign_in(page, demo_site, "daniel.mbeki")
    assert page.url == f"{demo_site}/staff/" and heading(page) == "My day"
    page.screenshot(path=str(artifacts_dir / "home-therapist.png"), full_page=True)
    axe_check(page, "/staff/ (therapist)")
    notes = page.get_by_role("region", name="Notes to sign")
    notes.get_by_role("link", name="Yusuf Farah").click()
    assert heading(page).startswith("Visit") and "Yusuf Farah" in heading(page)
    page.get_by_role("button", name="Sign and lock the note").click()
    assert Visit.objects.filter(signed_at__isnull=True).count() == 0
    page.goto(f"{demo_site}/staff/")
    notes = page.get_by_role("region", name="Notes to sign")
    assert "All your visit notes are signed." in notes.inner_text()
    # Tomorrow's first visit sent her intake last night: read it from "My day".
    page.get_by_role("link", name="Review intake of Ingrid Eriksen").click()
    page.get_by_role("button", name="Mark reviewed").click()
    assert Intake.objects.get(episode__patient__last_name="Eriksen").status == "reviewed"
    page.get_by_role("link", name="Staff area").click()
    assert page.get_by_role("link", name="Review intake of Ingrid Eriksen").count() == 0


def test_the_front_desk_opens_a_call_before_the_visit_from_today(
    browser: Any, demo_site: str, artifacts_dir: Path, axe_check: Any
) -> None:
    page, _ = open_page(browser)
    sign_in(page, demo_site, "frontdesk.harbour")
    assert heading(page) == "Today at the front desk"
    page.screenshot(path=str(artifacts_dir / "home-front-desk.png"), full_page=True)
    axe_check(page, "/staff/ (front desk)")
    calls = page.get_by_role("region", name="Calls before the visit")
    calls.get_by_role("link", name="Call Etienne Dubois").click()
    assert heading(page) == "Call before the visit"
    intakes = page.goto(f"{demo_site}/staff/") and page.get_by_role(
        "region", name="Intakes not sent for first visits soon"
    )
    assert "Etienne Dubois" in intakes.inner_text()


def test_the_manager_reads_the_dashboard_for_one_clinic(
    browser: Any, demo_site: str, artifacts_dir: Path, axe_check: Any
) -> None:
    page, _ = open_page(browser)
    sign_in(page, demo_site, "manager")
    assert heading(page) == "Practice dashboard"
    page.screenshot(path=str(artifacts_dir / "home-manager.png"), full_page=True)
    axe_check(page, "/staff/ (manager)")
    page.get_by_label("Clinic", exact=True).select_option(label="Juniper Hill Clinic")
    page.get_by_role("button", name="Show").click()
    assert "/staff/practice/?" in page.url
    summary = page.locator("main p.muted").first.inner_text()
    assert "Juniper Hill Clinic" in summary
    table = page.get_by_role(
        "table",
        name=re.compile("^Visits, new patients, cancellations, no-shows"),
    )
    assert "Harbour Street Clinic" not in table.inner_text()
    axe_check(page, "/staff/practice/")
