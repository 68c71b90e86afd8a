"""The waitlist in a real browser: the front desk adds someone, a booked time frees up, the
real worker offers it by email, the person opens the link, accepts, and is booked. axe-core
checks the waitlist's pages (no serious or critical problems); screenshot: waitlist-offer.png.

"Now" is real time here: the freed time is a free morning with Maya three open days ahead.
"""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser.test_site_in_chromium import open_page, sign_in
from unknot.booking import services as booking
from unknot.booking.models import Appointment, AppointmentKind, AppointmentType, Status
from unknot.booking.selectors import availability
from unknot.clinics.models import Clinic
from unknot.demo import calendar as cal
from unknot.demo.load import load_demo
from unknot.outbox.models import OutboxEmail
from unknot.patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> str:
    settings.UNKNOT_BASE_URL = live_server.url  # the offer's link leads back to this server
    load_demo()
    return str(live_server.url)


def a_morning_with_maya(clinic: Clinic, kind: AppointmentType) -> dt.datetime:
    now = timezone.now()
    day = cal.open_day(clinic, cal.local_day(clinic, now) + dt.timedelta(days=3))
    maya = cal.staff_user("maya.okafor").staff_member
    slots = availability(clinic=clinic, appointment_type=kind, therapist_ids=[maya.pk],
                         first_day=day, last_day=day, now=now)  # fmt: skip
    return next(s.start_utc for s in slots if s.start_utc < cal.at(clinic, day, 12))


def free_a_time(clinic: Clinic, kind: AppointmentType, start: dt.datetime) -> None:
    """Someone's visit at `start` is booked, then cancelled: the hook asks the worker."""
    desk = cal.front_desk(clinic)
    visit = booking.appointment_book(
        by=desk, clinic=clinic, appointment_type=kind, start=start, now=timezone.now(),
        therapist=cal.staff_user("maya.okafor").staff_member,
        patient=Patient.objects.get(user__username="patient.brennan"),
    )  # fmt: skip
    booking.appointment_cancel(by=desk, appointment=visit, now=timezone.now())


def test_a_freed_time_is_offered_by_email_and_accepted_in_the_browser(
    browser: Any, demo_site: str, artifacts_dir: Path, axe_check: Any
) -> None:
    clinic = Clinic.objects.get(slug="harbour-street")
    kind = AppointmentType.objects.get(clinic=clinic, kind=AppointmentKind.FOLLOW_UP)
    mei = Patient.objects.get(user__username="patient.chen")
    desk = cal.front_desk(clinic)

    staff, _ = open_page(browser)
    sign_in(staff, demo_site, desk.username)
    staff.goto(f"{demo_site}/staff/patients/{mei.pk}/")
    staff.get_by_role("link", name="Add to the waitlist").click()
    axe_check(staff, "add to the waitlist")
    staff.get_by_label("Type of visit").select_option(value=str(kind.pk))
    staff.get_by_label("Mornings (before noon)").check()
    staff.get_by_role("button", name="Add to the waitlist").click()
    assert staff.get_by_text("Mei Chen is on the waitlist.").is_visible()
    axe_check(staff, "the clinic's waitlist")

    start = a_morning_with_maya(clinic, kind)
    free_a_time(clinic, kind, start)
    call_command("db_worker", "--batch", "--no-startup-delay")  # the real database worker
    email = OutboxEmail.objects.get(kind="waitlist_offer", to=mei.email)
    link = re.search(r"(http\S+/waitlist/offer/\S+/)", email.body)
    assert link is not None and link.group(1).startswith(demo_site)

    person, _ = open_page(browser)
    person.goto(link.group(1))
    assert person.get_by_role("heading", level=1).inner_text() == "A time offered from the waitlist"
    assert cal.local_day(clinic, start).strftime("%B") in person.content()
    axe_check(person, "the offer")
    person.screenshot(path=str(artifacts_dir / "waitlist-offer.png"), full_page=True)
    person.get_by_role("button", name="Accept: book this time").click()
    assert person.get_by_text("The time is yours: your visit is booked.").is_visible()

    booked = Appointment.objects.get(patient=mei, start=start)
    assert booked.status == Status.BOOKED and booked.source == "waitlist"
    assert not person.get_by_role("button", name="Accept: book this time").count()

    staff.goto(f"{demo_site}/staff/")
    section = staff.locator("section", has=staff.locator("#waitlist-heading")).inner_text()
    assert "Mei Chen" in section.split("Filled from the waitlist")[1]


def test_the_portal_waitlist_pages_pass_axe(browser: Any, demo_site: str, axe_check: Any) -> None:
    page, _ = open_page(browser)
    sign_in(page, demo_site, "patient.alvarez")
    for path in ("/portal/waitlist/", "/portal/waitlist/join/"):
        page.goto(demo_site + path)
        assert page.url.endswith(path), f"sent away from {path}"
        axe_check(page, path)
