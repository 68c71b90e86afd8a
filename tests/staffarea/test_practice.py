"""The practice dashboard: every figure against values worked out by hand on a fixed month at
clinic A, who may see it, bad periods, the CSV, and a fixed number of queries."""

import csv
import datetime as dt
import io
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import calendar as shared
from tests import factories
from tests.audit.support import client_for
from tests.calendar import Calendar
from tests.clock import stopped_at
from tests.personas import Cast
from tests.web import matrix_clinical as clinical
from unknot.booking import services
from unknot.booking.models import Appointment, AppointmentType, CancelledBy, Status, TimeOff
from unknot.clinics.models import Clinic, Closure
from unknot.plans.home import services as home
from unknot.plans.models import HomeExercise, PlanOfCare
from unknot.records.models import Episode
from unknot.staffarea import practice

pytestmark = pytest.mark.django_db

MARCH = practice.Period(dt.date(2031, 3, 1), dt.date(2031, 3, 31))
BOOKED_AT = dt.datetime(2031, 2, 20, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def follow_up(calendar: Calendar) -> AppointmentType:
    """Therapist A works 08:00-18:00 on weekdays (10 hours a day); a follow-up is 45 minutes."""
    return calendar.follow_up_a


def at(cast: Cast, day: int, hhmm: str = "09:00", month: int = 3) -> dt.datetime:
    return shared.local(cast.clinic_a, dt.date(2031, month, day), hhmm)


def book(cast: Cast, kind: AppointmentType, patient: object, start: dt.datetime) -> Appointment:
    return services.appointment_book(
        by=cast.front_desk_a, clinic=cast.clinic_a, appointment_type=kind,
        therapist=cast.therapist_a.staff_member, patient=patient, start=start, now=BOOKED_AT,
    )  # fmt: skip


def mark(cast: Cast, appointment: Appointment, status: str) -> None:
    services.appointment_mark(
        by=cast.front_desk_a, appointment=appointment, status=status, now=appointment.end
    )


def cancel(cast: Cast, appointment: Appointment, now: dt.datetime, who: str) -> None:
    services.appointment_cancel(
        by=cast.front_desk_a, appointment=appointment, now=now, cancelled_by=who
    )


def opened_in_march(episode: Episode, day: int) -> None:
    Episode.objects.filter(pk=episode.pk).update(
        opened_at=dt.datetime(2031, 3, day, 14, tzinfo=dt.UTC)
    )


@pytest.fixture
def month(cast: Cast, follow_up: AppointmentType) -> dict[str, object]:
    """March 2031 at clinic A, each line a figure below."""
    newcomer = factories.patient("Nadia", "New", cast.clinic_a)
    for day in (4, 5, 6):
        mark(cast, book(cast, follow_up, cast.patient_p, at(cast, day)), Status.COMPLETED)
    mark(cast, book(cast, follow_up, cast.patient_p, at(cast, 27, month=2)), Status.COMPLETED)
    mark(cast, book(cast, follow_up, newcomer, at(cast, 10)), Status.NO_SHOW)
    late = book(cast, follow_up, newcomer, at(cast, 11))
    cancel(cast, late, at(cast, 11, "07:00"), CancelledBy.PATIENT_BY_PHONE)
    early = book(cast, follow_up, newcomer, at(cast, 12))
    cancel(cast, early, at(cast, 1), CancelledBy.PATIENT_BY_PHONE)
    ours = book(cast, follow_up, newcomer, at(cast, 13))  # the clinic's, late: never counted
    cancel(cast, ours, at(cast, 13, "07:00"), CancelledBy.CLINIC)
    # Before the period: a no-show of Feb 26 still inside the 90 days that end on Mar 31.
    mark(cast, book(cast, follow_up, cast.patient_p, at(cast, 26, month=2)), Status.NO_SHOW)
    Closure.objects.create(clinic=cast.clinic_a, start_date=dt.date(2031, 3, 17),
                           end_date=dt.date(2031, 3, 17), reason="Staff training")  # fmt: skip
    TimeOff.objects.create(therapist=cast.therapist_a.staff_member, start=at(cast, 20, "09:00"),
                           end=at(cast, 20, "13:00"))  # fmt: skip

    # Penny's course of care: signed on Mar 3, two visits (pain 7 then 4), discharged Mar 20.
    plan = clinical.signed(cast)
    opened_in_march(plan.episode, 2)
    clinical.visit(cast, plan.episode, performed_on=dt.date(2031, 3, 4), nprs=7)
    clinical.visit(cast, plan.episode, performed_on=dt.date(2031, 3, 5), nprs=4)
    for day, status in ((6, "done"), (7, "done"), (8, "done"), (9, "skipped"), (2, "done")):
        home.log_session(by=cast.patient_p.user, episode=plan.episode,
                         performed_on=dt.date(2031, 3 if day > 2 else 4, day), status=status,
                         pain_before=None, pain_after=None)  # fmt: skip
    home.discharge(by=cast.therapist_a, episode=plan.episode, now=at(cast, 20, "11:00"))
    # Nadia's: signed on Mar 3, never seen again and nothing booked: a drop-out.
    other = clinical.signed(cast, clinical.episode(cast, patient=newcomer))
    opened_in_march(other.episode, 3)
    return {"penny": plan, "nadia": other}


def per_week(plan: PlanOfCare) -> int:
    return max(HomeExercise.objects.filter(plan=plan).values_list("sessions_per_week", flat=True))


def test_every_figure_matches_the_hand_count(cast: Cast, month: dict[str, PlanOfCare]) -> None:
    Clinic.objects.filter(pk=cast.clinic_a.pk).update(attendance_allowed=1)
    board = practice.dashboard(cast.manager, MARCH, [Clinic.objects.get(pk=cast.clinic_a.pk)])
    activity = board.activity[cast.clinic_a.pk]
    # Mar 4, 5, 6 attended (Feb 27 is outside); the Mar 10 no-show; Nadia called to cancel
    # Mar 11 2 hours before (late: the type asks 24) and Mar 12 ten days before; the clinic
    # cancelled Mar 13 2 hours before (not late: the clinic's). Over the policy (1 allowed in
    # 90 days) on Mar 31: Nadia, 2 (the no-show, the late cancellation); Penny has only her
    # Feb 26 no-show, outside the period's visits but inside the window.
    assert vars(activity) == {"attended": 3, "new_patients": 2, "cancelled": 3,
                              "late_cancelled": 1, "cancelled_by_clinic": 1, "no_shows": 1,
                              "over_policy": 1}  # fmt: skip

    [use] = board.utilisation
    # 21 weekdays in March 2031, one closed (Mar 17): 20 x 10 h, less 4 h off = 196 h.
    # Booked: three attended and the no-show, 45 minutes each = 3 h.
    assert (use.therapist, use.available_hours, use.booked_hours, use.percent) == (
        cast.therapist_a.staff_member, 196.0, 3.0, 2,
    )  # fmt: skip

    penny = month["penny"]
    planned = penny.frequency_per_week * penny.duration_weeks
    done = board.completion[cast.clinic_a.pk]
    assert (done.discharged, done.visits_attended, done.visits_planned) == (1, 2, planned)
    assert (done.completed_plan, done.drop_outs, done.percent) == (0, 1, round(200 / planned))

    # Pain went from 7 to 4 over Penny's visits: 3 points, past the 2-point meaningful change.
    shares = {
        s.measure.key: (s.patients, s.improved) for s in board.outcomes_by_clinic[cast.clinic_a.pk]
    }
    assert shares["nprs"] == (1, 1)
    assert all(patients == 0 for key, (patients, _) in shares.items() if key != "nprs")
    by_therapist = board.outcomes_by_therapist[cast.therapist_a.staff_member.pk]
    assert [(s.patients, s.improved) for s in by_therapist if s.measure.key == "nprs"] == [(1, 1)]

    # Penny's programme ran Mar 3-20 (18 days) with 3 sessions done (the April log is outside);
    # Nadia's ran Mar 3-31 (29 days) with none.
    nadia = month["nadia"]
    prescribed = math.ceil(per_week(penny) * 18 / 7) + math.ceil(per_week(nadia) * 29 / 7)
    home_figures = board.adherence[cast.clinic_a.pk]
    assert (home_figures.programmes, home_figures.done, home_figures.prescribed) == (
        2,
        3,
        prescribed,
    )


def test_a_manager_sees_only_their_clinics(cast: Cast, month: dict[str, object]) -> None:
    elsewhere = factories.staff("manager_b", "manager", [cast.clinic_b])
    client = client_for(elsewhere)
    page = client.get(reverse("staffarea:practice"), {"first": "2031-03-01", "last": "2031-03-31"})
    assert page.status_code == 200
    assert cast.clinic_a.name not in page.content.decode()
    march_at_a = {"first": "2031-03-01", "last": "2031-03-31", "clinic": cast.clinic_a.pk}
    chosen = client.get(reverse("staffarea:practice"), march_at_a)
    assert "Select a valid choice" in chosen.content.decode()


@pytest.mark.parametrize("persona", ["therapist_a", "front_desk_a", "auditor", "patient"])
def test_other_roles_are_refused(cast: Cast, persona: str) -> None:
    user = cast.patient_p.user if persona == "patient" else cast.users[persona]
    for name in ("staffarea:practice", "staffarea:practice_csv"):
        assert client_for(user).get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_sign_in(client: object) -> None:
    response = client.get(reverse("staffarea:practice"))  # type: ignore[attr-defined]
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first": "2031-03-31", "last": "2031-03-01"}, "must end on or after"),
        ({"first": "2001-01-01", "last": "2031-03-01"}, "five years or less"),
        ({"first": "3031-01-01", "last": "3031-03-01"}, "Please give a date"),
        ({"first": "yesterday", "last": "2031-03-01"}, "Enter a valid date"),
    ],
)
def test_a_bad_period_is_explained_and_the_month_shown(
    cast: Cast, query: dict[str, str], message: str
) -> None:
    response = client_for(cast.manager).get(reverse("staffarea:practice"), query)
    assert response.status_code == 200 and message in response.content.decode()


def test_the_csv_has_every_figure(cast: Cast, month: dict[str, object]) -> None:
    response = client_for(cast.manager).get(
        reverse("staffarea:practice_csv"),
        {"first": "2031-03-01", "last": "2031-03-31", "clinic": cast.clinic_a.pk},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["period", "2031-03-01", "2031-03-31"]
    found = {(r[0], r[1], r[2]): r[3:] for r in rows[2:]}
    assert found[("activity", cast.clinic_a.name, "late cancelled")] == ["1", ""]
    assert found[("activity", cast.clinic_a.name, "cancelled by clinic")] == ["1", ""]
    assert found[("activity", cast.clinic_a.name, "over policy")] == ["0", ""]  # allows 2
    assert found[("utilisation", f"{cast.therapist_a.staff_member.display_name} at "
                  f"{cast.clinic_a.name}", "booked hours")] == ["3.0", "196.0"]  # fmt: skip
    assert ("outcomes at discharge", cast.clinic_a.name,
            "reached the meaningful change: Pain (NPRS 0-10)") in found  # fmt: skip


def test_the_manager_lands_on_the_dashboard_with_charts_and_tables(
    cast: Cast, month: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(dt.datetime(2031, 3, 31, 20, tzinfo=dt.UTC), monkeypatch)
    page = client_for(cast.manager).get(reverse("accounts:home"), follow=True).content.decode()
    assert "<h1>Practice dashboard</h1>" in page
    assert page.count('role="img"') >= 3 and "<table>" in page
    assert "Mar 1, 2031 to Mar 31, 2031" in page  # this month so far, in the clinic's days


def test_the_dashboard_keeps_a_fixed_number_of_queries(
    cast: Cast, follow_up: AppointmentType
) -> None:
    client = client_for(cast.manager)
    query = {"first": "2031-03-01", "last": "2031-03-31"}
    client.get(reverse("staffarea:practice"), query)  # the session's first request settles it
    with CaptureQueriesContext(connection) as empty:
        client.get(reverse("staffarea:practice"), query)
    for n in range(4):
        someone = factories.patient(f"Person{n}", "Many", cast.clinic_a)
        plan = clinical.signed(cast, clinical.episode(cast, patient=someone))
        clinical.visit(cast, plan.episode, performed_on=dt.date(2031, 3, 4 + n), nprs=6 - n)
        home.discharge(by=cast.therapist_a, episode=plan.episode, now=at(cast, 20 + n, "11:00"))
        mark(cast, book(cast, follow_up, someone, at(cast, 4 + n, "14:00")), Status.NO_SHOW)
    with CaptureQueriesContext(connection) as full:
        client.get(reverse("staffarea:practice"), query)
    assert len(full) == len(empty)
