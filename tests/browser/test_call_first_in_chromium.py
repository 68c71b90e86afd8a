"""A "call first" answer at online booking, followed through in a real browser.

Rosa books online and says she has had cancer: she is booked and told the therapist will call.
Her therapist sees the flag on the caseload; the front desk sees it on the day calendar, opens
the task, first sends it empty (the form says what is missing), then records the call with an
outcome and a note; the therapist then reads the outcome and the note in her episode chart.
Every page on the way goes through axe-core (episode_steps.Journey), and the problems are
listed together at the end. Time is real: the demo calendars offer times ahead of now.
"""

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.browser import episode_steps as steps
from tests.browser.test_booking_in_chromium import answer_safety, choose_a_time, fill_details
from unknot.booking.models import Appointment, CallStatus, SafetyCall
from unknot.demo.load import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLINIC = "harbour-street"
FRONT_DESK = "frontdesk.harbour"
CANCER = "Have you ever had cancer?"
NOTE = "Spoke with Rosa: treated in 2019, discharged from oncology last year. Fine to come in."
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def journey(
    live_server: Any, settings: Any, axe_check: Any, artifacts_dir: Path, staff_devices: Any
) -> Any:
    settings.UNKNOT_BASE_URL = live_server.url  # the clinic's alert links back to this server
    load_demo()
    staff_devices()
    return steps.Journey(base=str(live_server.url), artifacts=artifacts_dir, axe_check=axe_check)


def test_a_call_first_answer_becomes_a_task_the_front_desk_finishes(
    browser: Any, journey: Any
) -> None:
    try:
        play(browser, journey)
    finally:
        journey.report("call-first-accessibility.txt")  # also when a step fails half-way
    assert journey.problems == [], "accessibility problems:\n" + "\n".join(journey.problems)


def play(browser: Any, journey: Any) -> None:
    start = book_saying_cancer(browser, journey)
    booked = Appointment.objects.get(patient__email=steps.PATIENT_EMAIL)
    call = SafetyCall.objects.get(appointment=booked)
    assert call.questions == [{"question": CANCER, "answer": "Yes"}]

    therapist = browser.new_page(viewport=WIDE)
    steps.sign_in_staff(journey, therapist, booked.therapist.user.username)
    flag_on_the_caseload(journey, therapist)

    desk = browser.new_page(viewport=WIDE)
    steps.sign_in_staff(journey, desk, FRONT_DESK)
    record_the_call(journey, desk, start[:10])
    call.refresh_from_db()
    assert call.status == CallStatus.DONE and call.outcome_note == NOTE

    steps.open_chart(journey, therapist)
    chart = steps.main_text(therapist)
    for words in ("Call made", "Cleared to attend", NOTE, CANCER):
        assert words in chart, words
    journey.shot(therapist, "call-first-chart.png")


def book_saying_cancer(browser: Any, journey: Any) -> str:
    """The public booking, "yes" to the cancer question; returns the start (ISO, local)."""
    visitor = browser.new_page()
    journey.go(visitor, f"/clinics/{CLINIC}/", "clinic page")
    _, start = choose_a_time(visitor, journey.base)
    fill_details(visitor)
    journey.seen(visitor, "booking: safety questions")
    answer_safety(visitor, yes_to="ever had cancer")
    assert visitor.get_by_role("heading", level=1).inner_text() == "You are booked"
    assert "Your therapist will call you before your visit." in steps.main_text(visitor)
    journey.seen(visitor, "booking: booked, we will call")
    visitor.close()
    return start


def flag_on_the_caseload(journey: Any, page: Any) -> None:
    journey.go(page, reverse("clinical:caseload"), "caseload")
    row = page.get_by_role("row").filter(has_text=steps.PATIENT_NAME)
    assert "Call before the visit" in row.inner_text()


def record_the_call(journey: Any, page: Any, day: str) -> None:
    """Day calendar -> the flag -> the task: an empty try, then the outcome and the note."""
    journey.go(page, reverse("booking:staff_day", args=[CLINIC, day]), "day calendar")
    row = page.get_by_role("row").filter(has_text=steps.PATIENT_NAME)
    journey.shot(page, "call-first-day-calendar.png")
    flag = row.get_by_role("link", name=re.compile("^Call before the visit"))
    journey.click(page, flag, "call before the visit")
    main = page.locator("main")
    assert CANCER in main.inner_text() and "Yes" in main.inner_text()
    journey.click(page, main.get_by_role("button", name="Record the call"), "call: nothing given")
    assert "Please choose what came of the call." in main.inner_text()
    main.get_by_label("Cleared to attend").check()
    main.get_by_label("Note of the call").fill(NOTE)
    journey.click(page, main.get_by_role("button", name="Record the call"), "call recorded")
    assert page.get_by_role("heading", level=1).inner_text() == "Call before the visit: done"
    assert NOTE in main.inner_text() and "Cleared to attend" in main.inner_text()
    journey.shot(page, "call-first-task-done.png")
    journey.go(page, reverse("booking:staff_safety_calls"), "calls to make")
    assert steps.PATIENT_NAME not in steps.main_text(page)
