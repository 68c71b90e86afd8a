"""A whole episode of care in headless Chromium, as the patient and the therapist live it.

Book online -> the confirmation email (real worker, real SMTP) -> the intake from its link ->
review, evaluation, a plan proposed, edited and signed with its visit series -> three visits,
the third a re-assessment where the progression check says "ready for active care" and the
therapist accepts it. (The home programme logged on a phone, the progress chart and the
discharge summary follow once those pages exist; `episode_steps` already has their steps.)

Every page on the way goes through axe-core; the problems are collected and listed together at
the end, so one run shows all of them.

Time is real here: the booking and the series are in the future, and the therapist writes the
visit notes for today, as the pages offer. Why the re-assessment is visit 3: "ready for active
care" (PROG-1) needs the Oswestry measured again, and Oswestry is asked again only at a
re-assessment, so the progression can be accepted at the re-assessment and not before it.
"""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser import episode_steps as steps
from unknot.booking.models import Appointment, Status
from unknot.demo.load import load_demo
from unknot.plans.models import PlanOfCare, PlanStatus
from unknot.records.models import OutcomeScore, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PER_WEEK, WEEKS = 2, 3
SERIES_DAYS = ["Monday", "Tuesday"]  # the weekdays of the follow-up series (as the form names them)
VISITS = [
    steps.VisitPlan(nprs=6, course="stable"),
    steps.VisitPlan(nprs=5, course="centralising"),
    steps.VisitPlan(nprs=3, course="centralising", reassess=True, accept_progression=True),
]


@pytest.fixture
def journey(live_server: Any, settings: Any, axe_check: Any, artifacts_dir: Path) -> Any:
    settings.UNKNOT_BASE_URL = live_server.url  # links in emails lead back to this server
    settings.UNKNOT_REASSESS_EVERY_VISITS = 3
    load_demo()
    return steps.Journey(base=str(live_server.url), artifacts=artifacts_dir, axe_check=axe_check)


def test_an_episode_from_booking_to_active_care(
    browser: Any, journey: Any, smtp_inbox: Any
) -> None:
    try:
        play(browser, journey, smtp_inbox)
    finally:
        journey.report("episode-accessibility.txt")  # also when a step fails half-way
    assert journey.problems == [], "accessibility problems on the journey:\n" + "\n".join(
        journey.problems
    )


def play(browser: Any, journey: Any, smtp_inbox: Any) -> None:
    # The patient books an initial evaluation online; the real worker sends the confirmation.
    visitor = browser.new_page()
    start = steps.book_online(journey, visitor)
    booked = Appointment.objects.get(patient__email=steps.PATIENT_EMAIL)
    assert booked.start == dt.datetime.fromisoformat(start)
    call_command("db_worker", "--batch", "--no-startup-delay")
    link = steps.intake_link(smtp_inbox, journey.base)

    # The intake, from the email's link: a password, eleven sections, sent to the clinic.
    steps.do_intake(journey, visitor, link)
    visitor.close()

    # The therapist who was booked: review, evaluation, plan (proposed, edited, goals, signed).
    therapist = booked.therapist
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    steps.sign_in_staff(journey, page, therapist.user.username)
    steps.review_intake(journey, page)
    steps.open_chart(journey, page)
    assert "Baseline: pain (NPRS) 7" in steps.main_text(page)
    steps.write_evaluation(journey, page)
    steps.propose_and_edit_plan(journey, page)
    steps.set_goals(journey, page, PER_WEEK, WEEKS)
    first_day = steps.next_weekday(dt.date.today() + dt.timedelta(days=1), 0)
    steps.sign_plan(journey, page, therapist.display_name, SERIES_DAYS, first_day)
    journey.shot(page, "episode-plan.png")
    plan = PlanOfCare.objects.get(episode__patient__email=steps.PATIENT_EMAIL)
    assert plan.status == PlanStatus.SIGNED and plan.goals.exists()
    assert plan.current_phase == "symptom_relief", plan.current_phase
    series = Appointment.objects.filter(patient=booked.patient, series__isnull=False)
    assert series.count() == PER_WEEK * WEEKS
    assert all(a.status == Status.BOOKED for a in series)
    steps.complete_evaluation_appointment(journey, page)
    booked.refresh_from_db()
    assert booked.status == Status.COMPLETED

    # Three visits, pain falling; the third is the re-assessment and the step to active care.
    steps.open_chart(journey, page)
    verdicts = [steps.record_visit(journey, page, n, v) for n, v in enumerate(VISITS, start=1)]
    assert verdicts[-1] == "yes" and "yes" not in verdicts[:-1], verdicts
    plan.refresh_from_db()
    assert plan.current_phase == "active_care"
    assert list(Visit.objects.order_by("number").values_list("nprs", flat=True)) == [6, 5, 3]
    again = {s.instrument: s.value for s in OutcomeScore.objects.filter(source="reassessment")}
    assert again == {"odi": 12.0, "psfs": 6.0}, again
    third = Visit.objects.get(number=3)
    verdict = {c["measure"]: c["verdict"] for c in third.progression["change"]}
    assert set(verdict.values()) == {"improved"}, third.progression["change"]
