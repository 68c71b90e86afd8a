"""The therapist's home, "my day": today's and tomorrow's patients in time order with what
needs attention, the notes left to sign, the therapist's own work only, in a fixed number of
queries."""

import datetime as dt

import pytest
from django.urls import reverse

from tests import calendar as shared
from tests import factories
from tests.audit.support import client_for
from tests.calendar import Calendar
from tests.clock import stopped_at
from tests.personas import Cast
from tests.staffarea.support import home_queries
from tests.web import matrix_clinical as clinical
from unknot.booking import services
from unknot.booking.models import Appointment, AppointmentType
from unknot.staffarea.my_day import my_day

pytestmark = pytest.mark.django_db

NOW = clinical.NOW  # Monday 2031-03-03 12:00 UTC, 07:00 at clinic A (New York)
TODAY = dt.date(2031, 3, 3)


@pytest.fixture
def follow_up(calendar: Calendar) -> AppointmentType:
    return calendar.follow_up_a


def book(
    cast: Cast, kind: AppointmentType, patient: object, day: dt.date, hhmm: str
) -> Appointment:
    return services.appointment_book(
        by=cast.front_desk_a, clinic=cast.clinic_a, appointment_type=kind,
        therapist=cast.therapist_a.staff_member, patient=patient,
        start=shared.local(cast.clinic_a, day, hhmm), now=NOW,
    )  # fmt: skip


def keys(row: object) -> list[str]:
    return [item.key for item in row.items]  # type: ignore[attr-defined]


def test_today_and_tomorrow_in_time_order_with_what_needs_attention(
    cast: Cast, follow_up: AppointmentType
) -> None:
    plan = clinical.signed(cast)
    clinical.visit(cast, plan.episode)  # recorded, not signed
    newcomer = factories.patient("Nadia", "New", cast.clinic_a)
    book(cast, follow_up, cast.patient_p, TODAY, "15:00")
    book(cast, follow_up, newcomer, TODAY, "09:00")
    book(cast, follow_up, cast.patient_p, TODAY + dt.timedelta(days=1), "10:00")
    book(cast, follow_up, newcomer, TODAY + dt.timedelta(days=2), "10:00")  # not shown

    day = my_day(cast.therapist_a, cast.therapist_a.staff_member, NOW)

    today, tomorrow = day.days
    assert (today.label, today.date, tomorrow.date) == ("Today", TODAY, dt.date(2031, 3, 4))
    assert [r.appointment.patient for r in today.rows] == [newcomer, cast.patient_p]
    assert [r.local_start.strftime("%H:%M") for r in today.rows] == ["09:00", "15:00"]
    assert keys(today.rows[0]) == []  # no episode yet: nothing to do before the visit
    assert "unsigned_notes" in keys(today.rows[1])
    assert today.rows[1].visits_left == plan.frequency_per_week * plan.duration_weeks - 1
    assert [r.appointment.patient for r in tomorrow.rows] == [cast.patient_p]
    assert [v.episode_id for v in day.notes_to_sign] == [plan.episode_id]


def test_an_intake_to_review_and_an_open_referral_are_urgent(
    cast: Cast, follow_up: AppointmentType
) -> None:
    plan = clinical.signed(cast)
    clinical.visit(cast, plan.episode, positive_flags={"unexplained_weight_loss"})
    plan.episode.intake.status = "submitted"
    plan.episode.intake.save()
    book(cast, follow_up, cast.patient_p, TODAY, "15:00")
    [row] = my_day(cast.therapist_a, cast.therapist_a.staff_member, NOW).days[0].rows
    assert {"referral", "intake_to_review"} <= set(keys(row))
    assert row.urgent


def test_another_clinics_therapist_sees_none_of_it(cast: Cast, follow_up: AppointmentType) -> None:
    book(cast, follow_up, cast.patient_p, TODAY, "15:00")
    clinical.visit(cast, clinical.signed(cast).episode)
    # Asked with therapist A's staff record, therapist B's access still decides what is read.
    day = my_day(cast.therapist_b, cast.therapist_a.staff_member, NOW)
    assert [row for d in day.days for row in d.rows] == [] and day.notes_to_sign == []


def test_the_home_keeps_a_fixed_number_of_queries_as_the_day_fills(
    cast: Cast, follow_up: AppointmentType, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)
    client = client_for(cast.therapist_a)
    clinical.visit(cast, clinical.signed(cast).episode)
    book(cast, follow_up, cast.patient_p, TODAY, "15:00")
    home_queries(client)  # the first request of a session also settles the session itself
    few = home_queries(client)
    for n, hhmm in enumerate(("09:00", "10:00", "11:00", "13:00", "14:00")):
        someone = factories.patient(f"Person{n}", "Many", cast.clinic_a)
        clinical.signed(cast, clinical.episode(cast, patient=someone))
        book(cast, follow_up, someone, TODAY + dt.timedelta(days=n % 2), hhmm)
    assert home_queries(client) == few


def test_the_therapist_lands_on_my_day_after_sign_in(
    cast: Cast, follow_up: AppointmentType, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)
    book(cast, follow_up, cast.patient_p, TODAY, "15:00")
    client = client_for(cast.therapist_a)
    landed = client.get(reverse("accounts:home"), follow=True)
    page = landed.content.decode()
    assert landed.redirect_chain[-1][0] == reverse("staffarea:dashboard")
    assert "<h1>My day</h1>" in page and cast.patient_p.full_name in page
    assert "3:00 PM" in page and "EST" in page  # the clinic's time, with its zone


@pytest.mark.parametrize("persona", ["front_desk_a", "manager", "auditor"])
def test_other_roles_do_not_get_a_therapists_day(cast: Cast, persona: str) -> None:
    page = client_for(cast.users[persona]).get(reverse("staffarea:dashboard")).content.decode()
    assert "<h1>My day</h1>" not in page


def test_recovery_off_track_is_flagged_with_what_to_do(
    cast: Cast, follow_up: AppointmentType
) -> None:
    """Signed Mar 3; pain 7 then 6 at the visits of week 4: no meaningful change (2 points)
    after 4 weeks of care, so COURSE-1 suggests the referral the guideline names."""
    plan = clinical.signed(cast)
    clinical.visit(cast, plan.episode, performed_on=dt.date(2031, 3, 31), nprs=7)
    clinical.visit(cast, plan.episode, performed_on=dt.date(2031, 4, 2), nprs=6)
    monday = dt.date(2031, 4, 7)
    book(cast, follow_up, cast.patient_p, monday, "15:00")
    later = dt.datetime(2031, 4, 7, 12, tzinfo=dt.UTC)
    [row] = my_day(cast.therapist_a, cast.therapist_a.staff_member, later).days[0].rows
    [flag] = [item for item in row.items if item.key == "off_track"]
    assert flag.urgent and "consider referral" in flag.words


def test_a_recovering_episode_is_not_flagged(cast: Cast, follow_up: AppointmentType) -> None:
    plan = clinical.signed(cast)
    clinical.visit(cast, plan.episode, performed_on=dt.date(2031, 3, 31), nprs=7)
    clinical.visit(cast, plan.episode, performed_on=dt.date(2031, 4, 2), nprs=3)
    book(cast, follow_up, cast.patient_p, dt.date(2031, 4, 7), "15:00")
    later = dt.datetime(2031, 4, 7, 12, tzinfo=dt.UTC)
    [row] = my_day(cast.therapist_a, cast.therapist_a.staff_member, later).days[0].rows
    assert "off_track" not in keys(row)
