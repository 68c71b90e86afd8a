"""An urgent referral at a visit, then the next visit blocked until the medical clearance is
recorded: the therapist's side of SCREEN-2, in headless Chromium, with axe-core on each page."""

from pathlib import Path
from typing import Any

import pytest

from tests.browser.second_factor import pass_second_factor
from tests.factories import PASSWORD
from tests.personas import make_cast
from tests.web import matrix_clinical as mc
from unknot.records.models import MedicalHold, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def episode(live_server: Any, staff_devices: Any) -> Any:
    cast = make_cast()
    plan = mc.signed(cast)
    staff_devices()
    return plan.episode


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, username)


def write_visit(page: Any, *, flag: str | None = None, minutes: str = "") -> None:
    page.get_by_role("link", name="Write a visit note").click()
    form = page.locator("main form")
    if flag:
        form.get_by_label(flag).check()
    form.get_by_label("I asked about every red flag today").check()
    form.get_by_label("Pain now (NPRS 0-10)").fill("5")
    form.get_by_label("S: subjective").fill("Lost weight without trying since the last visit.")
    if minutes:
        form.locator("input[name=iv-0-minutes]").fill(minutes)
    page.get_by_role("button", name="Save the visit note").click()
    page.wait_for_load_state()


def test_an_urgent_referral_blocks_the_next_visit_until_clearance(
    browser: Any, live_server: Any, episode: Any, axe_check: Any, artifacts_dir: Path
) -> None:
    base, page = str(live_server.url), browser.new_page()
    sign_in(page, base, "therapist_a")
    chart = f"{base}/clinical/episodes/{episode.pk}/"
    page.goto(chart)

    write_visit(page, flag="unexplained weight loss")
    main = page.locator("main").inner_text()
    assert "Urgent referral" in main and "Possible spinal malignancy" in main, main
    axe_check(page, "visit with an urgent referral")

    page.goto(chart)
    assert page.get_by_text("On hold: awaiting medical clearance").is_visible()
    axe_check(page, "chart on hold")

    write_visit(page, minutes="15")  # the next visit tries to treat
    alert = page.get_by_role("alert").first.inner_text()
    assert "not until cleared" in alert, alert
    assert page.get_by_text("On hold: awaiting medical clearance").is_visible()
    assert Visit.objects.filter(episode=episode).count() == 1  # nothing was written
    axe_check(page, "visit refused while on hold")
    page.screenshot(path=str(artifacts_dir / "visit-on-hold.png"), full_page=True)

    page.goto(chart)
    page.get_by_role("link", name="Record the medical clearance").click()
    page.get_by_label("Cleared by (physician or service)").fill("Dr. Ana Patel, primary care")
    page.get_by_label("No thrust manipulation").check()
    page.get_by_label("Note (what was found, what was agreed)").fill("Bloods and imaging clear.")
    axe_check(page, "clearance form")
    page.get_by_role("button", name="Record the medical clearance").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "cleared by Dr. Ana Patel, primary care" in main, main
    assert "No thrust manipulation" in main
    assert not MedicalHold.objects.get(episode=episode).is_open

    write_visit(page, minutes="15")
    heading = page.get_by_role("heading", name="Visit 2:")
    assert heading.is_visible(), page.locator("main").inner_text()
    assert Visit.objects.filter(episode=episode).count() == 2
