"""A new user's walk through a day at two clinics, by links and buttons only: the one address
typed is the site's own. The front desk of Juniper Hill and Lakeshore marks an arrival and books
a visit at each clinic from its calendar grid; the therapist signs the note of the visit she
arrived for; the owner reads the practice dashboard for each clinic.

On the demo practice (unknot.demo.today fills the day): Yusuf Farah's follow-up this morning at
Juniper Hill with Daniel Mbeki, its note written and left to sign."""

import re
from typing import Any

import pytest

from tests.browser.second_factor import pass_second_factor
from tests.browser.test_site_in_chromium import open_page
from unknot.booking.models import Appointment, Status
from unknot.demo.data import DEMO_PASSWORD
from unknot.demo.load import load_demo
from unknot.records.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server: Any) -> str:
    load_demo()
    return str(live_server.url)


def heading(page: Any) -> str:
    return str(page.get_by_role("heading", level=1).inner_text())


def sign_in_from_the_menu(page: Any, username: str) -> None:
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_second_factor(page, username)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()


def choose(select: Any, words: str) -> None:
    """The option whose label holds `words`, as a person picks it from the list."""
    [label] = [text for text in select.locator("option").all_inner_texts() if words in text]
    select.select_option(label=label)


def book_from_the_grid(page: Any, clinic: str, therapist: str, patient: str, kind: str) -> None:
    """From the front desk's home: the clinic's calendar, the next day, a free time of the
    therapist's, the patient found by name, the type, booked."""
    page.get_by_role("link", name=f"Calendar of {clinic}").click()
    page.get_by_role("link", name="Next day").click()
    page.get_by_role("link", name=re.compile(f"^Book with {therapist} at 10:00 AM")).click()
    page.get_by_label("Find the patient").fill(patient.split()[-1])
    page.get_by_role("button", name="Find").click()
    page.get_by_role("radio", name=re.compile(f"^{patient} ")).check()
    choose(page.get_by_role("combobox", name=re.compile("^Appointment type")), kind)
    page.get_by_role("button", name="Book", exact=True).click()
    assert f"Booked: {patient}." in page.content()
    page.get_by_role("link", name="Staff area").click()


def test_a_day_at_two_clinics_needs_no_address_typed(browser: Any, demo_site: str) -> None:
    page, _ = open_page(browser)
    page.goto(demo_site + "/")

    # The front desk of two clinics.
    sign_in_from_the_menu(page, "frontdesk.lakeshore")
    assert heading(page) == "Today at the front desk"
    juniper = page.get_by_role("region", name=re.compile("^Arrivals at Juniper Hill Clinic"))
    juniper.get_by_role("button", name=re.compile(r"^Arrived\W+Yusuf Farah")).click()
    yusuf = Appointment.objects.get(patient__user__username="patient.farah", status=Status.ARRIVED)
    before = Appointment.objects.order_by("-pk").values_list("pk", flat=True).first()
    book_from_the_grid(page, "Lakeshore Clinic", "Hannah Kowalski", "Kenji Ito", "Initial")
    book_from_the_grid(page, "Juniper Hill Clinic", "Priya Raman", "Sofia Garcia", "Initial")
    booked = Appointment.objects.filter(pk__gt=before, booked_by__username="frontdesk.lakeshore")
    assert sorted((a.clinic.slug, a.patient.full_name) for a in booked) == [
        ("juniper-hill", "Sofia Garcia"), ("lakeshore", "Kenji Ito"),
    ]  # fmt: skip
    sign_out(page)

    # The therapist signs the note of the visit the patient arrived for.
    sign_in_from_the_menu(page, "daniel.mbeki")
    assert heading(page) == "My day"
    page.get_by_role("region", name="Notes to sign").get_by_role("link", name="Yusuf Farah").click()
    page.get_by_role("button", name="Sign and lock the note").click()
    assert not Visit.objects.filter(episode__patient=yusuf.patient, signed_at__isnull=True)
    sign_out(page)

    # The owner reads the figures of each clinic.
    sign_in_from_the_menu(page, "owner")
    assert heading(page) == "Practice dashboard"
    for clinic in ("Juniper Hill Clinic", "Lakeshore Clinic"):
        page.get_by_label("Clinic", exact=True).select_option(label=clinic)
        page.get_by_role("button", name="Show").click()
        assert clinic in page.locator("main p.muted").first.inner_text()
        table = page.get_by_role(
            "table",
            name=re.compile("^Visits, new patients, cancellations, no-shows"),
        )
        assert clinic in table.inner_text()
