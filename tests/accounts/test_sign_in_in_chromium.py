"""Two-factor sign-in in a real browser, through the same helper the other browser tests use."""

from typing import Any

import pytest

from tests.browser.second_factor import give_staff_devices, pass_second_factor
from tests.factories import PASSWORD
from tests.personas import make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_step(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_first_sign_in_sets_up_the_app_then_asks_for_codes(browser: Any, live_server: Any) -> None:
    cast = make_cast()
    base = str(live_server.url)
    page = browser.new_page()
    csp_violations: list[str] = []
    page.on(
        "console", lambda m: csp_violations.append(m.text) if "Content Security" in m.text else None
    )

    password_step(page, base, "therapist_a")
    assert "/accounts/second-factor/set-up/" in page.url
    assert page.locator("main svg").is_visible()  # the QR code, drawn in the page
    page.goto(f"{base}/staff/")
    assert "/accounts/second-factor/set-up/" in page.url  # nothing else opens yet
    pass_second_factor(page, cast.therapist_a)
    assert page.url.endswith("/staff/"), page.url

    sign_out(page)
    password_step(page, base, "therapist_a")
    assert "/accounts/second-factor/" in page.url
    pass_second_factor(page, "therapist_a")
    assert page.url.endswith("/staff/"), page.url
    assert csp_violations == []


def test_staff_with_devices_are_asked_for_a_code_and_patients_are_not(
    browser: Any, live_server: Any
) -> None:
    cast = make_cast()
    devices = give_staff_devices()
    assert set(devices) == {
        "therapist_a",
        "front_desk_a",
        "therapist_b",
        "manager",
        "auditor",
        "biller_a",
    }
    base = str(live_server.url)
    page = browser.new_page()
    password_step(page, base, "manager")
    assert page.get_by_label("Code", exact=True).is_visible()
    pass_second_factor(page, cast.manager)
    assert page.url.endswith("/staff/"), page.url

    patient = browser.new_page()
    password_step(patient, base, cast.patient_p.user.username)
    pass_second_factor(patient, cast.patient_p.user)  # nothing asked: does nothing
    assert patient.url.endswith("/portal/"), patient.url
