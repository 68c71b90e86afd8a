"""The attendance policy (booking.attendance): the late rule at its boundary, who cancelled on
every path, the stored verdict that a later change of notice does not rewrite, the policy's
count and window edges, and the follow-up that closes a flag until the next miss."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests import calendar as shared
from tests import factories
from tests.audit.support import client_for, last_event
from tests.calendar import Calendar
from tests.clock import stopped_at
from unknot.booking import attendance, cancel_together, links, services
from unknot.booking.errors import BookingError
from unknot.booking.models import Appointment, AppointmentType, CancelledBy, Status
from unknot.clinics.models import Clinic
from unknot.patients.models import Patient

pytestmark = pytest.mark.django_db

NOW = shared.NOW  # Monday 2031-03-03 12:00 UTC, 07:00 at clinic A
NOTICE = dt.timedelta(hours=24)  # the follow-up type's change notice


def visit(cal: Calendar, patient: Patient, start: dt.datetime) -> Appointment:
    """A follow-up at clinic A, booked by the front desk three days ahead of it."""
    return services.appointment_book(
        by=cal.cast.front_desk_a, clinic=cal.cast.clinic_a, appointment_type=cal.follow_up_a,
        therapist=cal.cast.therapist_a.staff_member, patient=patient, start=start,
        now=start - dt.timedelta(days=3),
    )  # fmt: skip


def at(cal: Calendar, day: dt.date, hhmm: str = "09:00") -> dt.datetime:
    return shared.local(cal.cast.clinic_a, day, hhmm)


def days_ago(n: int) -> dt.date:
    """A weekday about `n` days before NOW (Monday): the Friday before for a weekend."""
    day = NOW.date() - dt.timedelta(days=n)
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def no_show(cal: Calendar, appointment: Appointment) -> Appointment:
    return services.appointment_mark(
        by=cal.cast.front_desk_a, appointment=appointment, status=Status.NO_SHOW,
        now=appointment.end,
    )  # fmt: skip


def phoned_late(cal: Calendar, appointment: Appointment, before: dt.timedelta) -> Appointment:
    """The patient called the desk to cancel, `before` the visit."""
    return services.appointment_cancel(
        by=cal.cast.front_desk_a, appointment=appointment, now=appointment.start - before,
        cancelled_by=CancelledBy.PATIENT_BY_PHONE,
    )  # fmt: skip


# ---- the late rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "late"),
    [
        (NOTICE, False),  # exactly the notice before: still in time
        (NOTICE - dt.timedelta(seconds=1), True),
        (NOTICE + dt.timedelta(seconds=1), False),
        (dt.timedelta(minutes=5), True),
    ],
)
def test_the_late_rule_at_its_boundary(
    calendar: Calendar, before: dt.timedelta, late: bool
) -> None:
    cancelled = phoned_late(
        calendar,
        visit(calendar, calendar.cast.patient_p, at(calendar, dt.date(2031, 3, 12))),
        before,
    )
    cancelled.refresh_from_db()
    assert (cancelled.cancelled_by, cancelled.cancelled_late) == ("patient_by_phone", late)


def test_the_clinics_cancellation_inside_the_notice_is_never_late(calendar: Calendar) -> None:
    booked = visit(calendar, calendar.cast.patient_p, at(calendar, dt.date(2031, 3, 12)))
    services.appointment_cancel(
        by=calendar.cast.front_desk_a, appointment=booked, now=booked.start - dt.timedelta(hours=1),
        cancelled_by=CancelledBy.CLINIC,
    )  # fmt: skip
    booked.refresh_from_db()
    assert (booked.cancelled_by, booked.cancelled_late) == ("clinic", False)


def test_a_later_change_of_notice_does_not_rewrite_history(calendar: Calendar) -> None:
    booked = visit(calendar, calendar.cast.patient_p, at(calendar, dt.date(2031, 3, 12)))
    phoned_late(calendar, booked, dt.timedelta(hours=20))
    AppointmentType.objects.filter(pk=calendar.follow_up_a.pk).update(change_notice_hours=12)
    booked.refresh_from_db()
    assert booked.cancelled_late is True
    standing = attendance.standings(calendar.cast.front_desk_a, booked.start, [booked.patient_id])
    assert standing[(booked.patient_id, booked.clinic_id)].misses == 1


# ---- who cancelled, on every path ----------------------------------------------------------


def test_the_portal_records_the_patient_online(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)
    booked = visit(calendar, calendar.cast.patient_p, at(calendar, dt.date(2031, 3, 12)))
    client = client_for(calendar.cast.patient_p.user)
    client.post(reverse("portal:cancel_appointment", args=[booked.pk]))
    booked.refresh_from_db()
    assert (booked.status, booked.cancelled_by, booked.cancelled_late) == (
        "cancelled", "patient_online", False,
    )  # fmt: skip


def test_the_email_link_records_the_patient_online(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)
    booked = visit(calendar, calendar.cast.patient_p, at(calendar, dt.date(2031, 3, 12)))
    token = links.manage_token(booked.pk)
    Client().post(reverse("booking:manage", args=[token]), {"action": "cancel"})
    booked.refresh_from_db()
    assert (booked.status, booked.cancelled_by) == ("cancelled", "patient_online")


@pytest.mark.parametrize(("who", "late"), [("patient_by_phone", True), ("clinic", False)])
def test_the_staff_form_records_who_cancelled(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch, who: str, late: bool
) -> None:
    stopped_at(NOW, monkeypatch)
    booked = visit(calendar, calendar.cast.patient_p, NOW + dt.timedelta(hours=3))
    client = client_for(calendar.cast.front_desk_a)
    response = client.post(
        reverse("booking:staff_cancel", args=[booked.pk]), {"cancelled_by": who, "reason": ""}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.status, booked.cancelled_by, booked.cancelled_late) == ("cancelled", who, late)
    assert last_event().reason == "cancelled"


@pytest.mark.parametrize("sent", [{}, {"cancelled_by": "patient_online"}, {"cancelled_by": "x"}])
def test_the_staff_form_asks_who_and_changes_nothing_without_an_answer(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch, sent: dict[str, str]
) -> None:
    stopped_at(NOW, monkeypatch)
    booked = visit(calendar, calendar.cast.patient_p, at(calendar, dt.date(2031, 3, 12)))
    client = client_for(calendar.cast.front_desk_a)
    page = client.get(reverse("booking:staff_appointment", args=[booked.pk])).content.decode()
    assert "Who is cancelling?" in page and "checked" not in page  # no answer chosen for them
    response = client.post(reverse("booking:staff_cancel", args=[booked.pk]), sent)
    assert response.status_code == 200
    assert "Please say who is cancelling" in response.content.decode() or (
        "Please choose the patient or the clinic." in response.content.decode()
    )
    booked.refresh_from_db()
    assert (booked.status, booked.cancelled_by) == ("booked", "")


def test_the_service_refuses_staff_saying_the_patient_cancelled_online(
    calendar: Calendar,
) -> None:
    booked = visit(calendar, calendar.cast.patient_p, at(calendar, dt.date(2031, 3, 12)))
    with pytest.raises(BookingError):
        services.appointment_cancel(by=calendar.cast.front_desk_a, appointment=booked, now=NOW,
                                    cancelled_by=CancelledBy.PATIENT_ONLINE)  # fmt: skip
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


def test_a_staff_caller_that_does_not_ask_records_not_recorded(calendar: Calendar) -> None:
    """The APIs do not ask who cancelled: such a cancellation never counts against anyone."""
    booked = visit(calendar, calendar.cast.patient_p, NOW + dt.timedelta(hours=2))
    services.appointment_cancel(by=calendar.cast.front_desk_a, appointment=booked, now=NOW)
    booked.refresh_from_db()
    assert (booked.cancelled_by, booked.cancelled_late) == ("not_recorded", False)


def test_a_discharge_cancels_as_the_clinic(calendar: Calendar) -> None:
    booked = visit(calendar, calendar.cast.patient_p, NOW + dt.timedelta(hours=2))
    cancel_together.appointments_cancel_together(
        by=calendar.cast.therapist_a, appointments=[booked], now=NOW, reason="Discharged",
        message_key="discharge-test",
    )  # fmt: skip
    booked.refresh_from_db()
    assert (booked.cancelled_by, booked.cancelled_late) == ("clinic", False)


# ---- the policy: count and window --------------------------------------------------------


def misses(cal: Calendar, patient: Patient, *ago: int, hhmm: str = "09:00") -> list[Appointment]:
    """No-shows this many days before NOW, at clinic A."""
    return [no_show(cal, visit(cal, patient, at(cal, days_ago(n), hhmm))) for n in ago]


def standing_of(cal: Calendar, patient: Patient, now: dt.datetime = NOW) -> attendance.Standing:
    found = attendance.standings(cal.cast.front_desk_a, now, [patient.pk])
    return found[(patient.pk, cal.cast.clinic_a.pk)]


def test_one_more_than_the_policy_allows_flags_the_patient(calendar: Calendar) -> None:
    penny = calendar.cast.patient_p
    misses(calendar, penny, 10, 20)
    assert (standing_of(calendar, penny).misses, standing_of(calendar, penny).over) == (2, False)
    late = visit(calendar, penny, at(calendar, days_ago(5)))
    phoned_late(calendar, late, dt.timedelta(hours=3))
    standing = standing_of(calendar, penny)
    assert (standing.misses, standing.over, standing.flagged) == (3, True, True)
    assert standing.words == (
        "3 missed or late-cancelled visits in the last 90 days; the clinic's policy allows 2"
    )


def test_only_the_patients_late_cancellations_count(calendar: Calendar) -> None:
    penny = calendar.cast.patient_p
    misses(calendar, penny, 10)
    for who in (CancelledBy.CLINIC, None):  # the clinic's, and one nobody said who made
        booked = visit(calendar, penny, at(calendar, days_ago(6)))
        services.appointment_cancel(by=calendar.cast.front_desk_a, appointment=booked,
                                    now=booked.start - dt.timedelta(hours=1),
                                    cancelled_by=who)  # fmt: skip
    in_time = visit(calendar, penny, at(calendar, days_ago(7)))
    phoned_late(calendar, in_time, dt.timedelta(days=2))
    assert standing_of(calendar, penny).misses == 1


def test_the_window_counts_from_now_back_the_clinics_days(calendar: Calendar) -> None:
    penny = calendar.cast.patient_p
    Clinic.objects.filter(pk=calendar.cast.clinic_a.pk).update(
        attendance_window_days=30, attendance_allowed=0
    )
    [missed] = misses(calendar, penny, 28)
    edge = missed.start + dt.timedelta(days=30)
    assert standing_of(calendar, penny, edge - dt.timedelta(seconds=1)).misses == 1
    assert attendance.standings(calendar.cast.front_desk_a, edge, [penny.pk]) == {}
    # A visit not yet come is not missed, even marked so.
    assert (
        attendance.standings(
            calendar.cast.front_desk_a, missed.start - dt.timedelta(seconds=1), [penny.pk]
        )
        == {}
    )


def test_the_policy_is_each_clinics_own(calendar: Calendar) -> None:
    penny = calendar.cast.patient_p
    misses(calendar, penny, 10)
    Clinic.objects.filter(pk=calendar.cast.clinic_a.pk).update(attendance_allowed=0)
    assert standing_of(calendar, penny).over is True
    assert attendance.standings(calendar.cast.therapist_b, NOW, [penny.pk]) == {}  # not B's


def test_naming_another_clinic_shows_nothing_of_it(calendar: Calendar) -> None:
    cast = calendar.cast
    quinn = cast.patient_q
    gone = factories.booked_appointment(calendar, patient=quinn, now=NOW - dt.timedelta(days=30))
    desk_b = factories.staff("desk_b", "front_desk", [cast.clinic_b])
    services.appointment_mark(by=desk_b, appointment=gone, status=Status.NO_SHOW, now=gone.end)
    Clinic.objects.filter(pk=cast.clinic_b.pk).update(attendance_allowed=0)
    clinic_b = Clinic.objects.get(pk=cast.clinic_b.pk)
    assert attendance.standings(cast.therapist_b, NOW, [quinn.pk])[(quinn.pk, clinic_b.pk)].over
    assert attendance.standings(cast.front_desk_a, NOW, [quinn.pk], [clinic_b]) == {}


def test_standings_of_many_patients_are_one_query(
    calendar: Calendar, django_assert_num_queries: object
) -> None:
    people = [factories.patient(f"P{n}", "Many", calendar.cast.clinic_a) for n in range(4)]
    for n, person in enumerate(people):
        misses(calendar, person, *range(3, 3 + 7 * (n + 1), 7), hhmm=f"{10 + n}:00")
    clinics = [calendar.cast.clinic_a]
    with django_assert_num_queries(1):  # type: ignore[operator]
        found = attendance.standings(calendar.cast.front_desk_a, NOW, [p.pk for p in people],
                                     clinics)  # fmt: skip
    assert [found[(p.pk, clinics[0].pk)].misses for p in people] == [1, 2, 3, 4]


# ---- the follow-up -------------------------------------------------------------------------


def test_a_follow_up_closes_the_flag_until_the_next_miss(calendar: Calendar) -> None:
    penny, desk = calendar.cast.patient_p, calendar.cast.front_desk_a
    misses(calendar, penny, 3, 10, 20)
    assert [s.patient for s in attendance.to_follow_up(desk, NOW)] == [penny]
    attendance.attendance_follow_up(by=desk, patient=penny, clinic=calendar.cast.clinic_a,
                                    note="Called, discussed the policy.", now=NOW)  # fmt: skip
    event = last_event()
    assert (event.action, event.object_type, event.patient_id) == (
        "create", "attendance_follow_up", penny.pk,
    )  # fmt: skip
    assert attendance.to_follow_up(desk, NOW) == []
    assert standing_of(calendar, penny).flagged is False
    [again] = misses(calendar, penny, -2)  # Wednesday's visit, missed
    later = again.start + dt.timedelta(hours=1)
    assert [s.misses for s in attendance.to_follow_up(desk, later)] == [4]
    assert standing_of(calendar, penny, later).flagged is True


def test_a_single_recent_miss_is_followed_up_too_and_an_old_one_is_not(
    calendar: Calendar,
) -> None:
    penny, desk = calendar.cast.patient_p, calendar.cast.front_desk_a
    misses(calendar, penny, 30)
    assert attendance.to_follow_up(desk, NOW) == []  # not over the policy, and not recent
    misses(calendar, penny, 5)
    [item] = attendance.to_follow_up(desk, NOW)
    assert (item.patient, item.misses, item.over) == (penny, 2, False)


@pytest.mark.parametrize("note", ["", "   ", "x" * 501, "a\x00b"])
def test_a_follow_up_needs_a_short_note(calendar: Calendar, note: str) -> None:
    with pytest.raises(attendance.FollowUpRefused):
        attendance.attendance_follow_up(
            by=calendar.cast.front_desk_a, patient=calendar.cast.patient_p,
            clinic=calendar.cast.clinic_a, note=note, now=NOW,
        )  # fmt: skip


def test_only_the_clinics_writers_record_a_follow_up(calendar: Calendar) -> None:
    cast = calendar.cast
    for outsider in (cast.auditor, cast.therapist_b):
        with pytest.raises(PermissionDenied):
            attendance.attendance_follow_up(
                by=outsider, patient=cast.patient_p, clinic=cast.clinic_a, note="Called.", now=NOW
            )
