"""The front desk's calendar grid in Chromium: one visit moved by drag and drop, another by
keyboard (arrow keys, Enter; Escape leaves it), both checked in the database; axe finds
nothing serious on the day and week grids; screenshots of both are kept. A move to a day past
the patient's insurance authorization asks first (the browser's confirmation) and moves only
when confirmed.

On the demo practice, with two follow-ups of its own booked a week or so ahead through the
booking service, at free times the availability search gives."""

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.test_site_in_chromium import open_page, sign_in
from unknot.booking import selectors, services
from unknot.booking.models import Appointment, AppointmentKind, AppointmentType
from unknot.clinics import times
from unknot.clinics.models import Clinic
from unknot.demo.load import load_demo
from unknot.patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRONT_DESK = "frontdesk.harbour"
ROW = dt.timedelta(minutes=15)


@pytest.fixture
def demo_site(live_server: Any) -> str:
    load_demo()
    return str(live_server.url)


def free_starts(clinic: Clinic, kind: AppointmentType, therapist: Any, day: dt.date,
                moving: int | None = None) -> list[dt.datetime]:  # fmt: skip
    slots = selectors.availability(
        clinic=clinic, appointment_type=kind, therapist_ids=[therapist.pk], first_day=day,
        last_day=day, now=timezone.now(), exclude_appointment=moving,
    )  # fmt: skip
    return [slot.start_utc for slot in slots]


def a_working_day(clinic: Clinic, kind: AppointmentType) -> tuple[Any, dt.date]:
    """A therapist of the clinic and a weekday eight or more days ahead with a free morning
    and afternoon (so both visits and their moves fit)."""
    day = timezone.now().date() + dt.timedelta(days=8)
    for _ in range(21):
        for therapist in selectors.bookable_therapists(clinic):
            if len(free_starts(clinic, kind, therapist, day)) >= 20:
                return therapist, day
        day += dt.timedelta(days=1)
    raise AssertionError("no working day with free time in three weeks")  # pragma: no cover


def book(clinic: Clinic, kind: AppointmentType, therapist: Any, patient: Patient,
         start: dt.datetime) -> Appointment:  # fmt: skip
    desk = clinic.staff.get(user__username=FRONT_DESK).user
    return services.appointment_book(
        by=desk, clinic=clinic, appointment_type=kind, therapist=therapist, patient=patient,
        start=start, now=timezone.now(),
    )  # fmt: skip


def row_of(page: Any, start: dt.datetime, clinic: Clinic) -> str:
    wall = times.in_zone(start, clinic).strftime("%H:%M")
    return str(page.get_attribute(f'.cal-time[data-time="{wall}"]', "data-row"))


def start_of(visit: Appointment, within: float = 10.0) -> dt.datetime:
    """The visit's start in the database, once it differs from the one booked (or time is up)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        start = Appointment.objects.get(pk=visit.pk).start
        if start != visit.start:
            return start
        time.sleep(0.2)
    return Appointment.objects.get(pk=visit.pk).start


def test_the_desk_moves_visits_by_mouse_and_by_keyboard(
    browser: Any, demo_site: str, artifacts_dir: Path, axe_check: Any
) -> None:
    clinic = Clinic.objects.get(staff__user__username=FRONT_DESK)
    kind = AppointmentType.objects.filter(clinic=clinic, kind=AppointmentKind.FOLLOW_UP).first()
    assert kind is not None
    therapist, day = a_working_day(clinic, kind)
    free = free_starts(clinic, kind, therapist, day)
    first_patient, second_patient = Patient.objects.filter(preferred_clinic=clinic)[:2]
    dragged = book(clinic, kind, therapist, first_patient, free[0])
    later = next(s for s in free if s >= free[0] + dt.timedelta(hours=3) and s + 2 * ROW in free)
    keyed = book(clinic, kind, therapist, second_patient, later)

    page, _ = open_page(browser, viewport={"width": 1400, "height": 1000})
    sign_in(page, demo_site, FRONT_DESK)
    page.goto(f"{demo_site}/booking/staff/{clinic.slug}/day/{day.isoformat()}/")
    assert page.locator(f"#appointment-{dragged.pk}").is_visible()
    page.screenshot(path=str(artifacts_dir / "calendar-day.png"), full_page=True)
    axe_check(page, "the day grid")

    # By mouse: the first visit, dragged by its top edge to a free time an hour later.
    length = dt.timedelta(minutes=kind.duration_minutes)
    target = next(
        s
        for s in free_starts(clinic, kind, therapist, day, moving=dragged.pk)
        if s >= dragged.start + dt.timedelta(hours=1) and s + length <= keyed.start
    )
    column = f'section.cal-col[data-therapist="{therapist.pk}"]'
    with page.expect_navigation():  # the page draws the grid again from what was saved
        page.drag_and_drop(
            f"#appointment-{dragged.pk}",
            f'{column} .cal-body > [data-row="{row_of(page, target, clinic)}"]',
            source_position={"x": 6, "y": 4},
            target_position={"x": 6, "y": 4},
        )
    assert "Moved to" in page.locator(".messages").inner_text()
    assert start_of(dragged) == target

    # By keyboard: Escape leaves the visit where it is...
    link = page.locator(f"#appointment-{keyed.pk} .cal-block-link")
    link.focus()
    page.keyboard.press("ArrowDown")
    assert "Enter to move here" in page.locator("#calendar-announce").inner_text()
    page.keyboard.press("Escape")
    assert "Move cancelled" in page.locator("#calendar-announce").inner_text()
    assert Appointment.objects.get(pk=keyed.pk).start == keyed.start
    # ...two rows down and Enter moves it half an hour later.
    link.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Moved to" in page.locator(".messages").inner_text()
    assert start_of(keyed) == keyed.start + 2 * ROW

    page.goto(
        f"{demo_site}/booking/staff/{clinic.slug}/week/{day.isoformat()}/?therapist={therapist.pk}"
    )
    assert page.locator(f"#appointment-{keyed.pk}").is_visible()
    page.screenshot(path=str(artifacts_dir / "calendar-week.png"), full_page=True)
    axe_check(page, "the week grid")


ROW_DAY = dt.timedelta(days=1)


def two_working_days(clinic: Clinic, kind: AppointmentType) -> tuple[Any, dt.datetime]:
    """A therapist and a free start on a Monday to Thursday a week or more ahead whose same
    time the next day is free too (a keyboard move one column right on the week grid)."""
    day = timezone.now().date() + dt.timedelta(days=8)
    for _ in range(28):
        for therapist in selectors.bookable_therapists(clinic) if day.weekday() < 4 else ():
            next_day = {s + dt.timedelta(days=1) for s in free_starts(clinic, kind, therapist, day)}
            both = sorted(next_day & set(free_starts(clinic, kind, therapist, day + ROW_DAY)))
            if both:
                return therapist, both[len(both) // 2] - ROW_DAY
        day += dt.timedelta(days=1)
    raise AssertionError("no two working days with a free time in four weeks")  # pragma: no cover


def authorised_until(patient: Patient, clinic: Clinic, last_day: dt.date) -> None:
    """An insurer's authorization of the patient's visits ending on `last_day`."""
    from unknot.coverage.models import Authorisation, Coverage, Payer, PlanType

    first_day = last_day - dt.timedelta(days=60)
    payer = Payer.objects.create(
        practice=clinic.practice, name="Acme Health", payer_id="AC123",
        plan_type=PlanType.COMMERCIAL,
    )  # fmt: skip
    covered = Coverage.objects.create(
        patient=patient, payer=payer, member_id="M1", effective_from=first_day
    )
    Authorisation.objects.create(
        coverage=covered, reference="A-1", unit="visits", authorised=30, start_date=first_day,
        end_date=last_day,
    )  # fmt: skip


def test_a_move_past_an_authorisation_asks_first_and_moves_only_when_confirmed(
    browser: Any, demo_site: str
) -> None:
    clinic = Clinic.objects.get(staff__user__username=FRONT_DESK)
    kind = AppointmentType.objects.filter(clinic=clinic, kind=AppointmentKind.FOLLOW_UP).first()
    assert kind is not None
    therapist, start = two_working_days(clinic, kind)
    patient = Patient.objects.filter(preferred_clinic=clinic, coverages__isnull=True).first()
    assert patient is not None
    visit = book(clinic, kind, therapist, patient, start)
    authorised_until(patient, clinic, times.clinic_day(start, clinic))

    page, _ = open_page(browser, viewport={"width": 1400, "height": 1000})
    sign_in(page, demo_site, FRONT_DESK)
    day = times.clinic_day(start, clinic)
    page.goto(f"{demo_site}/booking/staff/{clinic.slug}/week/{day.isoformat()}/"
              f"?therapist={therapist.pk}")  # fmt: skip
    asked: list[str] = []
    link = page.locator(f"#appointment-{visit.pk} .cal-block-link")

    # The person says no: nothing moves, and the calendar says why.
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    link.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.locator("#calendar-announce", has_text="Not moved").wait_for()  # the answer is in
    assert "is outside the dates authorized by Acme Health" in asked[0]
    assert "Not moved: Insurance authorization:" in page.locator("#calendar-announce").inner_text()
    assert Appointment.objects.get(pk=visit.pk).start == visit.start

    # The person says yes: the move is sent again, confirmed, and saved.
    page.once("dialog", lambda dialog: dialog.accept())
    link.focus()
    page.keyboard.press("ArrowRight")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert start_of(visit) == visit.start + ROW_DAY
    messages = page.locator(".messages").inner_text()
    assert "Moved to" in messages and "Insurance authorization:" in messages
