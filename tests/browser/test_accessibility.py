"""axe-core on the public pages, the sign-in page and the staff and portal home pages."""

from typing import Any

import pytest

from tests.browser.test_site_in_chromium import open_page, sign_in
from unknot.demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/clinics/",
    "/clinics/harbour-street/",
    "/clinics/harbour-street/book/",
    "/accounts/login/",
    "/accounts/password/reset/",
]


@pytest.fixture
def demo_site(live_server: Any) -> str:
    load_demo()
    return str(live_server.url)


def test_public_pages_pass_axe(browser: Any, demo_site: str, axe_check: Any) -> None:
    page, _ = open_page(browser)
    for path in PUBLIC_PAGES:
        page.goto(demo_site + path)
        axe_check(page, path)


def test_staff_and_portal_home_pages_pass_axe(browser: Any, demo_site: str, axe_check: Any) -> None:
    page, _ = open_page(browser)
    sign_in(page, demo_site, "maya.okafor")
    for path in ("/staff/", "/staff/clinics/harbour-street/", "/staff/patients/"):
        page.goto(demo_site + path)
        axe_check(page, path)
    patient, _ = open_page(browser)
    sign_in(patient, demo_site, "patient.alvarez")
    for path in ("/portal/", "/portal/appointments/"):
        patient.goto(demo_site + path)
        axe_check(patient, path)


def test_the_check_catches_a_real_problem(browser: Any, demo_site: str, axe_check: Any) -> None:
    page, _ = open_page(browser)
    page.goto(demo_site + "/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(page)
