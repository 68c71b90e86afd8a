"""Chart, caseload and a patient's episodes: what they show, bounded queries, and who may write."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests import calendar as cal
from tests import factories
from tests.web import matrix_clinical as mc
from unknot.booking.models import Appointment, Status
from unknot.plans.models import PlanOfCare, PlanStatus
from unknot.records.models import OutcomeScore, Visit

# Whatever the number of rows: session, user, staff profile, therapists, the caseload query...
LIST_QUERIES = 10


def _fill(cast, count: int) -> None:
    """`count` open episodes of therapist A, each with a visit, a signed plan and a booking."""
    kind = cal.follow_up_type(cast.clinic_a)
    member = cast.therapist_a.staff_member
    for n in range(count):
        person = factories.patient(f"P{n}", "Caseload", cast.clinic_a, login=False)
        made = mc.episode(cast, patient=person)
        PlanOfCare.objects.create(episode=made, version=1, status=PlanStatus.SIGNED)
        Visit.objects.create(episode=made, therapist=member, number=1, performed_on=mc.DAY)
        start = dt.datetime(2031, 3, 10, 14, tzinfo=dt.UTC) + dt.timedelta(hours=n)
        Appointment.objects.create(
            clinic=cast.clinic_a, therapist=member, appointment_type=kind, patient=person,
            start=start, end=start + dt.timedelta(minutes=45), blocked_start=start,
            blocked_end=start + dt.timedelta(minutes=45), status=Status.BOOKED,
        )  # fmt: skip


@pytest.mark.parametrize("rows", [3, 30])
def test_the_caseload_uses_a_bounded_number_of_queries(
    cast, client, rows, django_assert_max_num_queries
):
    _fill(cast, rows)
    client.force_login(cast.therapist_a)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("clinical:caseload"))
    assert len(response.context["rows"]) == rows
    page = response.content.decode()
    assert "Mar 10, 2031, 10:00 AM EDT" in page  # the first, in clinic time, the zone named
    assert "Symptom relief (passive care first)" in page and "symptom_relief" not in page


@pytest.mark.parametrize("rows", [3, 30])
def test_a_patients_episode_list_uses_a_bounded_number_of_queries(
    cast, client, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        mc.episode(cast)
    client.force_login(cast.front_desk_a)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("clinical:patient_episodes", args=[cast.patient_p.pk]))
    assert len(response.context["rows"]) == rows


def test_a_manager_picks_a_therapist_and_an_outsider_cannot(cast, client):
    _fill(cast, 2)
    member = cast.therapist_a.staff_member
    client.force_login(cast.manager)
    assert client.get(reverse("clinical:caseload")).context["therapist"] is None
    page = client.get(reverse("clinical:caseload") + f"?therapist={member.pk}")
    assert len(page.context["rows"]) == 2
    client.force_login(cast.therapist_b)
    assert client.get(reverse("clinical:caseload") + f"?therapist={member.pk}").status_code == 404


def test_the_chart_shows_intake_evaluation_plan_visits_and_scores(cast, client):
    plan = mc.signed(cast)
    mc.visit(cast, plan.episode, nprs=5)
    client.force_login(cast.auditor)
    page = client.get(reverse("clinical:episode", args=[plan.episode.pk])).content.decode()
    assert "Baseline: Pain (NPRS) 7" in page
    assert "Signed plan v1" in page and "current phase: Symptom relief (passive care first)" in page
    assert reverse("clinical:visit", args=[Visit.objects.get().pk]) in page
    assert OutcomeScore.objects.filter(source="visit").exists() and "visit</td>" in page
    assert "Write a visit note" not in page  # read-only role


POSTS = [
    ("clinical:plan_propose", lambda p: [p.episode.pk], {}),
    ("clinical:plan_revise", lambda p: [p.pk], {}),
    ("clinical:plan_element_add", lambda p: [p.pk],
     {"phase": "active_care", "item": "int:cold", "reason": "x"}),
    ("clinical:plan_element_remove", lambda p: [p.pk, "e1"], {}),
    ("clinical:plan_element_dose", lambda p: [p.pk, "e1"], {"dose": "x"}),
    ("clinical:plan_element_override", lambda p: [p.pk, "e1"], {"reason": "x"}),
]  # fmt: skip
EXPECTED = {"anonymous": "login", "therapist_b": 404, "auditor": 403, "front_desk_a": 403,
            "patient_p": 403, "patient_q": 403, "therapist_a": 302, "manager": 302}  # fmt: skip


def _client(cast, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(cast.users[persona])
    return client


def _check(response, want) -> None:  # type: ignore[no-untyped-def]
    if want == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want


@pytest.mark.parametrize("persona", sorted(EXPECTED))
@pytest.mark.parametrize(("name", "args", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_plan_writes_by_persona(cast, persona, name, args, data):
    plan = mc.draft(cast, mc.episode(cast))
    response = _client(cast, persona).post(reverse(name, args=args(plan)), data)
    _check(response, EXPECTED[persona])


@pytest.mark.parametrize("persona", sorted(EXPECTED))
@pytest.mark.parametrize("name", ["clinical:visit_sign", "clinical:visit_accept_progression"])
def test_visit_writes_by_persona(cast, persona, name):
    plan = mc.signed(cast)
    visit = mc.visit(cast, plan.episode)
    response = _client(cast, persona).post(reverse(name, args=[visit.pk]))
    _check(response, EXPECTED[persona])
    visit.refresh_from_db()
    allowed = EXPECTED[persona] == 302
    assert (visit.signed_at is not None) == (name.endswith("sign") and allowed)


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_visit_and_evaluation_forms_refuse_posts_by_persona(cast, persona):
    made = mc.episode(cast)
    client = _client(cast, persona)
    for url in (reverse("clinical:visit_new", args=[made.pk]),
                reverse("clinical:evaluation_new", args=[made.pk])):  # fmt: skip
        want = EXPECTED[persona]
        response = client.post(url, {})
        _check(response, 200 if want == 302 else want)  # an empty form comes back with errors
    assert not Visit.objects.exists()


# The chart shows everything about one episode; its query count must not grow with its visits.
# Measured with calls before the visit and referrals, 1 visit as 8; 4 of them the person's goals
# (their read's audit row, the goals, their wordings and their ratings).
CHART_QUERIES = 21


@pytest.mark.parametrize("visits", [1, 8])
def test_the_chart_uses_a_bounded_number_of_queries(
    cast, client, visits, django_assert_max_num_queries
):
    plan = mc.signed(cast)
    for _ in range(visits):
        mc.visit(cast, plan.episode, nprs=5)
    client.force_login(cast.therapist_a)
    with django_assert_max_num_queries(CHART_QUERIES):
        response = client.get(reverse("clinical:episode", args=[plan.episode.pk]))
    assert response.status_code == 200
    assert len(response.context["visits"]) == visits
