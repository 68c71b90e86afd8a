"""Online booking in a real browser: book, get the email from the real worker, manage, cancel.

"Now" is real time here, so the test picks whatever the demo calendars offer, on the last day
shown: at least a day ahead, so the 24-hour change notice still allows cancelling.
"""

import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from icalendar import Calendar

from unknot.booking.models import Appointment, ContactQuestion, Status
from unknot.demo.load import load_demo
from unknot.patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLINIC = "harbour-street"


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> str:
    settings.UNKNOT_BASE_URL = live_server.url  # links in emails lead back to this server
    load_demo()
    return str(live_server.url)


def open_page(browser: Any) -> tuple[Any, list[str]]:
    page = browser.new_page()
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    return page, hosts


def choose_a_time(
    page: Any, base: str, therapist: str = "first", shots: Path | None = None
) -> tuple[str, str]:
    """From the clinic page to a held time; returns (the times page URL, the chosen start)."""
    page.goto(f"{base}/clinics/{CLINIC}/")
    page.get_by_role("link", name="Book an appointment").first.click()
    page.get_by_role("link", name="Initial evaluation").click()
    if therapist == "any":
        page.get_by_role("link", name="Any therapist").click()
    else:
        page.locator(".choice-list .card a").first.click()
    times_url = page.url
    page.get_by_role("navigation", name="Days with free times").get_by_role("link").last.click()
    if shots:
        page.screenshot(path=str(shots / "booking-times.png"), full_page=True)
    first = page.locator("button[name=start]").first
    start = str(first.get_attribute("value"))
    first.click()
    page.get_by_role("heading", name="Tell us who is coming").wait_for()
    return times_url, start


def fill_details(page: Any) -> None:
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Marsh")
    page.get_by_label("Date of birth").fill("1984-07-23")
    page.get_by_label("Email").fill("rosa.marsh@example.org")
    page.get_by_label("Phone").fill("(207) 555-0199")
    page.get_by_role("button", name="Continue to the safety questions").click()
    page.get_by_role("heading", name="A few safety questions").wait_for()


def answer_safety(page: Any, yes_to: str | None = None) -> None:
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    if yes_to:
        page.get_by_role("group", name=re.compile(yes_to)).get_by_label("Yes").check()
    page.get_by_role("button", name="Book my appointment").click()
    page.wait_for_load_state()


def times_on(page: Any, times_url: str, start: str) -> list[str]:
    page.goto(f"{times_url}?day={start[:10]}")
    return [str(b.get_attribute("value")) for b in page.locator("button[name=start]").all()]


def confirmation_in(inbox: Any) -> Any:
    found = [m for m in inbox.messages if "is booked" in str(m["subject"])]
    assert len(found) == 1, [str(m["subject"]) for m in inbox.messages]
    return found[0]


def ics_start(message: Any) -> dt.datetime:
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    content = parts[0].get_content()
    calendar = Calendar.from_ical(content if isinstance(content, bytes) else content.encode())
    event = next(iter(calendar.walk("VEVENT")))
    return event["DTSTART"].dt  # type: ignore[no-any-return]


def test_book_get_the_email_manage_and_cancel(
    browser: Any, demo_site: str, smtp_inbox: Any, artifacts_dir: Path
) -> None:
    page, hosts = open_page(browser)
    times_url, start = choose_a_time(page, demo_site, shots=artifacts_dir)
    page.screenshot(path=str(artifacts_dir / "booking-details.png"), full_page=True)
    fill_details(page)
    page.screenshot(path=str(artifacts_dir / "booking-safety.png"), full_page=True)
    answer_safety(page)
    assert page.get_by_role("heading", level=1).inner_text() == "You are booked"
    page.screenshot(path=str(artifacts_dir / "booking-confirmed.png"), full_page=True)

    booked = Appointment.objects.get(status=Status.BOOKED, patient__email="rosa.marsh@example.org")
    assert booked.start == dt.datetime.fromisoformat(start)
    assert start not in times_on(page, times_url, start), "a booked time is not offered"

    call_command("db_worker", "--batch", "--no-startup-delay")  # the real database worker
    message = confirmation_in(smtp_inbox)
    assert message["To"] == "rosa.marsh@example.org"
    assert ics_start(message) == booked.start
    body = message.get_body(preferencelist=("plain",)).get_content()
    manage_link = re.search(r"(http\S+/booking/manage/\S+/)", body)
    assert manage_link is not None and manage_link.group(1).startswith(demo_site)

    page.goto(manage_link.group(1))
    assert "Your appointment" in page.get_by_role("heading", level=1).inner_text()
    page.screenshot(path=str(artifacts_dir / "booking-manage.png"), full_page=True)
    page.get_by_role("button", name="Cancel this appointment").click()
    assert page.get_by_text("Your appointment is cancelled").is_visible()
    page.screenshot(path=str(artifacts_dir / "booking-cancelled.png"), full_page=True)
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED
    assert start in times_on(page, times_url, start), "the cancelled time is offered again"
    assert set(hosts) == {urlsplit(demo_site).netloc}


def test_an_emergency_answer_stops_the_booking(
    browser: Any, demo_site: str, artifacts_dir: Path
) -> None:
    patients = Patient.objects.count()
    online = Appointment.objects.filter(source="online").count()  # the demo's own
    page, hosts = open_page(browser)
    choose_a_time(page, demo_site, therapist="any")
    fill_details(page)
    answer_safety(page, yes_to="numb or tingling")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Please go to an emergency department now"
    assert "911" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts_dir / "booking-emergency-stop.png"), full_page=True)
    assert Appointment.objects.filter(source="online").count() == online
    assert Patient.objects.count() == patients
    assert set(hosts) == {urlsplit(demo_site).netloc}


def test_a_question_from_the_clinic_page(browser: Any, demo_site: str) -> None:
    page, _ = open_page(browser)
    page.goto(f"{demo_site}/clinics/{CLINIC}/")
    page.get_by_label("Your name").fill("Sam Ortiz")
    page.get_by_label("Your email").fill("sam.ortiz@example.org")
    page.get_by_label("Your question").fill("Do you treat spasms after pregnancy?")
    assert not page.get_by_label("Leave this field empty").is_visible()
    page.wait_for_timeout(3200)  # people take longer than the minimum fill time
    page.get_by_role("button", name="Send my question").click()
    assert "we have your question" in page.get_by_role("heading", level=1).inner_text()
    assert ContactQuestion.objects.get(name="Sam Ortiz").clinic.slug == CLINIC


def test_booking_pages_fit_a_phone(browser: Any, demo_site: str, artifacts_dir: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{demo_site}/clinics/{CLINIC}/book/")
    page.get_by_role("link", name="Initial evaluation").click()
    page.get_by_role("link", name="Any therapist").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "booking-times-phone.png"), full_page=True)
    page.locator("button[name=start]").first.click()
    page.get_by_role("heading", name="Tell us who is coming").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Keyboard only: the first field is reachable and the hold can be let go again.
    page.get_by_label("First name").focus()
    page.keyboard.type("Rosa")
    page.get_by_role("button", name="Start again").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Book an appointment at Harbour Street Clinic").wait_for()
    assert not Appointment.objects.filter(status=Status.HELD).exists()
