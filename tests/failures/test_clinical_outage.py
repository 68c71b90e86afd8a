"""The database goes away while a therapist signs a plan (which books its visit series) or
saves a visit note: the error page, and the plan, the series and the note whole or absent."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import calendar as cal
from tests.failures.outage import assert_plain_500, database_outage, inserts_into
from tests.failures.sweep import (
    Attempt,
    assert_audit_chain_intact,
    cut_before_every_statement,
    data_state,
)
from tests.personas import Cast
from tests.web import matrix_clinical as mc
from unknot.booking.models import Appointment, AppointmentType
from unknot.plans import services as plans
from unknot.plans.models import PlanOfCare, PlanStatus
from unknot.records.models import Visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def follow_up(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> AppointmentType:
    monkeypatch.setattr("django.utils.timezone.now", lambda: mc.NOW)  # the pages read the clock
    cal.works_weekdays(cast.therapist_a, cast.clinic_a)
    return cal.follow_up_type(cast.clinic_a)


def therapist(cast: Cast) -> Client:
    """Signed in and at work: the session's idle expiry slid on a first request, so the
    requests under test make the same statements each time (it slides once a minute)."""
    web = Client(raise_request_exception=False)
    web.force_login(cast.therapist_a)
    web.get(reverse("staffarea:dashboard"))
    return web


def plan_ready_to_sign(cast: Cast) -> PlanOfCare:
    plan = mc.draft(cast, mc.episode(cast))
    goals = plans.suggested_goals(plan.episode, 4)
    plans.plan_set_goals(by=cast.therapist_a, plan=plan, frequency=2, weeks=4, goals=goals)
    return plan


def sign_form(
    cast: Cast, follow_up: AppointmentType, hour: int = 9, first_day: str = "2031-03-04"
) -> dict[str, Any]:
    """Two visits a week for four weeks: eight appointments booked with the signature."""
    return {
        "agrees": "on",
        "appointment_type": follow_up.pk,
        "therapist": cast.therapist_a.staff_member.pk,
        "first_day": first_day,
        "weekdays": ["1", "3"],
        "local_time": f"{hour:02d}:00",
    }


def sign(web: Client, plan: PlanOfCare, data: dict[str, Any]) -> Any:
    return web.post(reverse("clinical:plan_sign", args=[plan.pk]), data)


def signed(response: Any) -> bool:
    return response.status_code == 302 and "/clinical/plans/" in response["Location"]


def test_a_cut_before_the_fifth_visit_of_the_series_books_none_and_signs_nothing(
    cast: Cast, follow_up: AppointmentType
) -> None:
    plan, web = plan_ready_to_sign(cast), therapist(cast)
    before = data_state()
    with database_outage(inserts_into("booking_appointment"), nth=5) as outage:
        response = sign(web, plan, sign_form(cast, follow_up))
    assert outage.happened
    assert_plain_500(response, cast.patient_p.last_name)
    assert data_state() == before
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not Appointment.objects.exists()
    assert_audit_chain_intact()
    assert signed(sign(web, plan, sign_form(cast, follow_up)))  # the next request works
    assert Appointment.objects.filter(patient=cast.patient_p).count() == 8


def test_every_cut_while_signing_keeps_the_plan_and_its_series_whole_or_absent(
    cast: Cast, follow_up: AppointmentType
) -> None:
    web = therapist(cast)

    def prepare(n: int) -> Attempt:
        plan = plan_ready_to_sign(cast)
        # Only the last attempts keep their series; each asks for its own hour so that a kept
        # series never blocks the next one. The measured first attempt books in April.
        if n == 0:
            data = sign_form(cast, follow_up, first_day="2031-04-01")
        else:
            data = sign_form(cast, follow_up, hour=8 + n % 8)
        return Attempt(lambda: sign(web, plan, data), (cast.patient_p.last_name,))

    outcomes = cut_before_every_statement(prepare, signed)
    assert outcomes.count("none") > 50  # eight visits, their emails and the audit trail


VISIT = {
    "performed_on": "2031-03-04",
    "rescreen_done": "on",
    "nprs": "5",
    "subjective": "Mornings are easier since the walks",
    "iv-TOTAL_FORMS": "1",
    "iv-INITIAL_FORMS": "0",
    "iv-0-intervention": "soft_tissue_massage",
    "iv-0-minutes": "12",
}


def write_visit(web: Client, episode_id: int) -> Any:
    return web.post(reverse("clinical:visit_new", args=[episode_id]), VISIT)


def visit_saved(response: Any) -> bool:
    return response.status_code == 302 and "/clinical/visits/" in response["Location"]


def test_a_cut_before_the_pain_score_saves_no_visit_note(cast: Cast, follow_up: Any) -> None:
    episode, web = mc.signed(cast).episode, therapist(cast)
    before = data_state()
    with database_outage(inserts_into("records_outcomescore")) as outage:
        response = write_visit(web, episode.pk)
    assert outage.happened
    assert_plain_500(response, "Mornings are easier", cast.patient_p.last_name)
    assert data_state() == before and not Visit.objects.exists()
    assert_audit_chain_intact()
    assert visit_saved(write_visit(web, episode.pk))
    assert Visit.objects.get().subjective == VISIT["subjective"]


def test_every_cut_while_saving_a_visit_note_keeps_it_whole_or_absent(
    cast: Cast, follow_up: Any
) -> None:
    web = therapist(cast)

    def prepare(n: int) -> Attempt:
        episode = mc.signed(cast).episode  # each attempt: visit 1 of its own episode
        secrets = ("Mornings are easier", cast.patient_p.last_name)
        return Attempt(lambda: write_visit(web, episode.pk), secrets)

    outcomes = cut_before_every_statement(prepare, visit_saved)
    assert outcomes.count("none") > 10


def test_the_sign_form_books_eight_visits_from_the_first_day(cast: Cast, follow_up: Any) -> None:
    """Guards the fixtures: the form above books eight visits on the days asked for."""
    plan, web = plan_ready_to_sign(cast), therapist(cast)
    assert signed(sign(web, plan, sign_form(cast, follow_up)))
    days = sorted({a.start.date() for a in Appointment.objects.all()})
    assert len(days) == 8 and days[0] == dt.date(2031, 3, 4)
