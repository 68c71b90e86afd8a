"""The public site and the staff area in a real browser (headless Debian Chromium)."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.second_factor import pass_second_factor
from unknot.demo.data import DEMO_PASSWORD
from unknot.demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server: Any) -> str:
    load_demo()
    return str(live_server.url)


def open_page(browser: Any, **options: Any) -> tuple[Any, list[str]]:
    """A fresh page that records every host it asks for anything."""
    page = browser.new_page(**options)
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    return page, hosts


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, username)


def test_home_page_renders_from_our_host_only(
    browser: Any, demo_site: str, artifacts_dir: Path
) -> None:
    page, hosts = open_page(browser)
    page.goto(demo_site + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Get your back moving again"
    assert page.get_by_role("heading", name="Three ways we treat back spasms").is_visible()
    page.screenshot(path=str(artifacts_dir / "home.png"), full_page=True)
    assert set(hosts) == {urlsplit(demo_site).netloc}


def test_keyboard_user_can_skip_to_content(browser: Any, demo_site: str) -> None:
    page, _ = open_page(browser)
    page.goto(demo_site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_clinic_page_on_a_phone(browser: Any, demo_site: str, artifacts_dir: Path) -> None:
    page, hosts = open_page(browser, viewport={"width": 390, "height": 844})
    page.goto(demo_site + "/clinics/juniper-hill/")
    assert page.get_by_text("America/Denver").first.is_visible()
    assert page.get_by_role("link", name="Book an appointment").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    page.screenshot(path=str(artifacts_dir / "clinic-phone.png"), full_page=True)
    assert set(hosts) == {urlsplit(demo_site).netloc}


def test_therapist_sees_own_clinic_and_nothing_of_another(browser: Any, demo_site: str) -> None:
    page, _ = open_page(browser)
    sign_in(page, demo_site, "maya.okafor")
    assert page.url.endswith("/staff/")
    body = page.locator("main").inner_text()
    assert "Harbour Street Clinic" in body
    assert "Juniper Hill Clinic" not in body and "Lakeshore Clinic" not in body
    page.get_by_role("link", name="Harbour Street Clinic", exact=True).click()
    clinic_body = page.locator("main").inner_text()
    assert "Lucia Alvarez" in clinic_body and "Ingrid Eriksen" not in clinic_body
    page.goto(demo_site + "/staff/clinics/juniper-hill/")
    assert "could not find" in page.locator("main").inner_text()
    page.goto(demo_site + "/staff/patients/")
    page.get_by_label("Search by name or email").fill("Eriksen")  # POSTed: not in the URL
    with page.expect_navigation():
        page.get_by_role("search").get_by_role("button", name="Search", exact=True).click()
    assert "Eriksen" not in page.locator("tbody").inner_text()


def test_patient_signs_in_to_their_own_portal(browser: Any, demo_site: str) -> None:
    page, _ = open_page(browser)
    sign_in(page, demo_site, "patient.chen")
    assert page.url.endswith("/portal/")
    assert "Hello, Mei" in page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.goto(demo_site + "/portal/")
    assert "/accounts/login/" in page.url
