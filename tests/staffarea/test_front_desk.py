"""The front desk's home, "today": arrivals and their status, calls to make, intakes not sent
for first visits soon, questions not answered, no-shows and late cancellations; marked from
the home, only their clinics' rows, in a fixed number of queries."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from tests import calendar as shared
from tests import factories
from tests.audit.support import client_for
from tests.calendar import Calendar
from tests.clock import stopped_at
from tests.paperwork import support as paperwork
from tests.personas import Cast
from tests.staffarea.support import home_queries
from unknot.booking import attendance, prescreen, services
from unknot.booking.models import Appointment, AppointmentType, CancelledBy, Status
from unknot.booking.questions import question_ask
from unknot.staffarea.front_desk import front_desk_day

pytestmark = pytest.mark.django_db

NOW = shared.NOW  # Monday 2031-03-03 12:00 UTC: 07:00 at clinic A, 05:00 at clinic B
TODAY = dt.date(2031, 3, 3)
NO = {q.name: False for q in prescreen.QUESTIONS}


@pytest.fixture
def types(calendar: Calendar) -> dict[str, AppointmentType]:
    return {
        "evaluation": calendar.evaluation_a,
        "follow_up": calendar.follow_up_a,
        "evaluation_b": calendar.evaluation_b,
    }


def book(cast: Cast, kind: AppointmentType, patient: object, day: dt.date, hhmm: str,
         at: dt.datetime = NOW) -> Appointment:  # fmt: skip
    clinic, therapist = kind.clinic, cast.therapist_a
    by = cast.front_desk_a
    if clinic == cast.clinic_b:
        therapist, by = cast.therapist_b, cast.manager  # nobody at the desk of B in the cast
        by = factories.staff("desk_b", "front_desk", [cast.clinic_b])
    return services.appointment_book(
        by=by, clinic=clinic, appointment_type=kind, therapist=therapist.staff_member,
        patient=patient, start=shared.local(clinic, day, hhmm), now=at,
    )  # fmt: skip


LATE_MORNING = NOW + dt.timedelta(hours=4)  # 11:00 at clinic A


def online_with_call(cast: Cast, kind: AppointmentType, hhmm: str) -> Appointment:
    """An online first visit whose safety answers ask for a call before it."""
    held = services.hold_slot(clinic=kind.clinic, appointment_type=kind, therapist_id=None,
                              start=shared.local(kind.clinic, TODAY, hhmm), now=NOW)  # fmt: skip
    screen = prescreen.screen(NO | {"cancer": True})
    return services.confirm_hold(hold_id=held.pk, patient=cast.patient_p, now=NOW, screen=screen)


def test_each_list_holds_its_own_work(cast: Cast, types: dict[str, AppointmentType]) -> None:
    newcomer = factories.patient("Nadia", "New", cast.clinic_a)
    later = book(cast, types["follow_up"], newcomer, TODAY, "16:00")
    called = online_with_call(cast, types["evaluation"], "14:00")
    early = book(cast, types["follow_up"], newcomer, TODAY, "08:00")
    services.appointment_mark(
        by=cast.front_desk_a, appointment=early, status=Status.NO_SHOW, now=LATE_MORNING
    )
    last_week = book(cast, types["follow_up"], newcomer, TODAY - dt.timedelta(days=6), "09:00",
                     at=NOW - dt.timedelta(days=8))  # fmt: skip
    services.appointment_cancel(by=cast.front_desk_a, appointment=last_week,
                                now=last_week.start - dt.timedelta(hours=2),
                                cancelled_by=CancelledBy.PATIENT_BY_PHONE)  # fmt: skip
    question_ask(clinic=cast.clinic_a, name="Rosa Query", email="rosa@example.com", phone="",
                 message="Do you take walk-ins?", client_ip="198.51.100.4", now=NOW)  # fmt: skip

    desk = front_desk_day(cast.front_desk_a, LATE_MORNING)

    [clinic_a] = desk.clinics
    assert clinic_a.date == TODAY
    assert clinic_a.arrivals == [early, called, later]  # the no-show stays on the day's list
    # Only the marks that make sense at 11:00: the 8:00 no-show may be corrected or undone;
    # the afternoon visits may be marked arrived, not "did not attend" before they begin.
    marks = {a: [status for status, _ in m] for a, m in clinic_a.rows}
    assert marks == {
        early: ["arrived", "completed", "booked"], called: ["arrived"], later: ["arrived"],
    }  # fmt: skip
    assert [call.appointment for call in desk.calls] == [called]
    assert desk.intakes_missing == [called]  # a first visit today, its intake not started
    assert [q.name for q in desk.questions] == ["Rosa Query"]
    # Did not attend today, and called to cancel 2 hours before a visit last week: two misses,
    # within the clinic's policy (2 in 90 days), still to be followed up.
    [missed] = desk.missed
    assert (missed.patient, missed.misses, missed.over, missed.last_missed_at) == (
        newcomer, 2, False, early.start,
    )  # fmt: skip


def test_a_cancellation_with_notice_is_not_followed_up(
    cast: Cast, types: dict[str, AppointmentType]
) -> None:
    early_enough = book(cast, types["follow_up"], cast.patient_p, TODAY - dt.timedelta(days=3),
                        "09:00", at=NOW - dt.timedelta(days=8))  # fmt: skip
    services.appointment_cancel(by=cast.front_desk_a, appointment=early_enough,
                                now=early_enough.start - dt.timedelta(days=3),
                                cancelled_by=CancelledBy.PATIENT_BY_PHONE)  # fmt: skip
    assert front_desk_day(cast.front_desk_a, NOW).missed == []


def test_only_the_desks_clinics_are_shown(cast: Cast, types: dict[str, AppointmentType]) -> None:
    book(cast, types["evaluation_b"], cast.patient_q, TODAY, "10:00")
    question_ask(clinic=cast.clinic_b, name="Bea Birch", email="bea@example.com", phone="",
                 message="Parking?", client_ip="198.51.100.5", now=NOW)  # fmt: skip
    desk = front_desk_day(cast.front_desk_a, NOW)
    assert [d.clinic for d in desk.clinics] == [cast.clinic_a]
    assert desk.intakes_missing == [] and desk.questions == [] and desk.calls == []


def test_marking_an_arrival_from_the_home_comes_back_to_it(
    cast: Cast, types: dict[str, AppointmentType], monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)
    visit = book(cast, types["follow_up"], cast.patient_p, TODAY, "15:00")
    client = client_for(cast.front_desk_a)
    home = reverse("staffarea:dashboard")
    page = client.get(home).content.decode()
    assert "<h1>Today at the front desk</h1>" in page and "3:00 PM EST" in page
    response = client.post(reverse("booking:staff_mark", args=[visit.pk]),
                           {"status": "arrived", "next": home})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == home
    visit.refresh_from_db()
    assert visit.status == Status.ARRIVED


def test_a_foreign_next_is_ignored(
    cast: Cast, types: dict[str, AppointmentType], monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)  # the visit's day: arriving is possible
    visit = book(cast, types["follow_up"], cast.patient_p, TODAY, "15:00")
    response = client_for(cast.front_desk_a).post(
        reverse("booking:staff_mark", args=[visit.pk]),
        {"status": "arrived", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/booking/staff/clinic-a/day/")


def missed_last_week(cast: Cast, types: dict[str, AppointmentType], patient: object, hhmm: str,
                     days_back: int = 1) -> None:  # fmt: skip
    """A follow-up visit on a weekday of last week that the patient did not attend."""
    day = TODAY - dt.timedelta(days=7) + dt.timedelta(days=days_back % 5)
    made = book(cast, types["follow_up"], patient, day, hhmm, at=NOW - dt.timedelta(days=20))
    services.appointment_mark(
        by=cast.front_desk_a, appointment=made, status="no_show", now=made.end
    )


def test_the_home_keeps_a_fixed_number_of_queries(
    cast: Cast, types: dict[str, AppointmentType], monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)
    client = client_for(cast.front_desk_a)
    online_with_call(cast, types["evaluation"], "09:00")
    missed_last_week(cast, types, factories.patient("Early", "Miss", cast.clinic_a), "08:00")
    client.get(reverse("staffarea:dashboard"))  # the session's first request settles it
    few = home_queries(client)
    for n, hhmm in enumerate(("11:00", "13:00", "14:30", "16:00")):
        someone = factories.patient(f"Person{n}", "Many", cast.clinic_a)
        made = book(cast, types["evaluation"], someone, TODAY + dt.timedelta(days=n % 2), hhmm)
        if n % 2:
            services.appointment_mark(
                by=cast.front_desk_a, appointment=made, status="no_show", now=made.end
            )
        for _ in range(n + 1):  # some over the attendance policy, one of them followed up
            missed_last_week(cast, types, someone, hhmm, days_back=1 + _)
        if n == 3:
            attendance.attendance_follow_up(
                by=cast.front_desk_a, patient=someone, clinic=cast.clinic_a, note="Called.", now=NOW
            )
        question_ask(clinic=cast.clinic_a, name=f"Asker {n}", email=f"a{n}@example.com", phone="",
                     message="Hello", client_ip=f"198.51.100.{n + 10}", now=NOW)  # fmt: skip
    assert home_queries(client) == few
    page = client.get(reverse("staffarea:dashboard")).content.decode()
    # Person2 missed 3 visits (over the policy of 2); Person3 missed 4 and was followed up.
    assert page.count("Over the attendance policy") == 1 and "Person3" not in page
    assert "3 missed or late-cancelled visits in the last 90 days" in page


def test_first_visits_with_forms_not_signed_are_listed(
    cast: Cast, types: dict[str, AppointmentType], monkeypatch: pytest.MonkeyPatch,
    settings: Any, tmp_path: Any,
) -> None:  # fmt: skip
    settings.DATA_DIR = tmp_path  # where the signed copies are kept
    paperwork.with_default_documents()
    stopped_at(NOW, monkeypatch)
    wednesday = TODAY + dt.timedelta(days=2)
    book(cast, types["evaluation"], cast.patient_p, wednesday, "09:00")
    ready = factories.patient("Ready", "Reader", cast.clinic_a)
    book(cast, types["evaluation"], ready, wednesday, "12:00")
    for kind in ("consent", "privacy", "financial"):
        paperwork.signed(ready.user, ready, kind)
    paperwork.signed(cast.patient_p.user, cast.patient_p, "privacy")
    returning = factories.patient("Fran", "Follow", cast.clinic_a)
    book(cast, types["follow_up"], returning, wednesday, "15:00")  # not a first visit
    later = factories.patient("Lars", "Later", cast.clinic_a)
    book(cast, types["evaluation"], later, TODAY + dt.timedelta(days=10), "10:00")  # not soon
    desk = front_desk_day(cast.front_desk_a, NOW)
    listed = [(a.patient, words) for a, words in desk.paperwork_missing]
    assert listed == [(cast.patient_p, "Consent to treat, Financial and cancellation policy")]
    page = client_for(cast.front_desk_a).get(reverse("staffarea:dashboard")).content.decode()
    assert "Paperwork missing before the first visit" in page
    assert "Penny Parker</a>, Mar 5, 2031, 9:00 AM EST: Consent to treat, Financial" in page
    assert front_desk_day(cast.therapist_b, NOW).paperwork_missing == []  # not their clinic
