"""The booking services on the default database: holds, bookings, changes, series."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied

from tests.calendar import NOW, Calendar, local
from unknot import scheduling as core
from unknot.booking import selectors, services
from unknot.booking.errors import BookingError, HoldExpired, SeriesConflicts, SlotTaken
from unknot.booking.models import Appointment, Status
from unknot.outbox.models import OutboxEmail
from unknot.patients.services import PersonDetails

TUESDAY = dt.date(2031, 3, 4)


def local_on(day: dt.date, hhmm: str) -> dt.datetime:
    """A wall-clock time in New York, clinic A's zone, before the cast exists."""
    wall = dt.datetime.combine(day, dt.time.fromisoformat(hhmm))
    return wall.replace(tzinfo=zoneinfo.ZoneInfo("America/New_York")).astimezone(dt.UTC)


def therapist_a(cal: Calendar) -> object:
    return cal.cast.therapist_a.staff_member


def hold(
    cal: Calendar, hhmm: str = "10:00", now: dt.datetime = NOW, therapist: int | None = None
) -> Appointment:
    return services.hold_slot(
        clinic=cal.cast.clinic_a,
        appointment_type=cal.evaluation_a,
        therapist_id=therapist,
        start=local(cal.cast.clinic_a, TUESDAY, hhmm),
        now=now,
    )


def new_patient(cal: Calendar) -> PersonDetails:
    """Someone new to clinic A, as typed in the online booking."""
    return PersonDetails(
        first_name="Nia",
        last_name="New",
        date_of_birth=dt.date(1990, 1, 2),
        email="nia@test.example",
    )


def test_availability_lists_working_time_on_the_grid(calendar: Calendar) -> None:
    slots = selectors.availability(
        clinic=calendar.cast.clinic_a,
        appointment_type=calendar.evaluation_a,
        therapist_ids=[therapist_a(calendar).pk],
        first_day=TUESDAY,
        last_day=TUESDAY,
        now=NOW,
    )
    starts = [s.start_utc for s in slots]
    assert starts[0] == local(calendar.cast.clinic_a, TUESDAY, "08:00")
    assert starts[-1] == local(calendar.cast.clinic_a, TUESDAY, "16:50") or starts[-1] == local(
        calendar.cast.clinic_a, TUESDAY, "17:00"
    )


def test_hold_then_confirm_books_and_queues_emails(calendar: Calendar) -> None:
    held = hold(calendar)
    assert held.status == Status.HELD and held.therapist == therapist_a(calendar)
    booked = services.confirm_hold(hold_id=held.pk, patient=new_patient(calendar), now=NOW)
    assert booked.status == Status.BOOKED and booked.patient.email == "nia@test.example"
    kinds = set(OutboxEmail.objects.filter(appointment=booked).values_list("kind", flat=True))
    assert kinds == {"confirmation", "reminder"}


def test_a_held_slot_is_not_offered_and_cannot_be_held_twice(calendar: Calendar) -> None:
    held = hold(calendar)
    slots = selectors.availability(
        clinic=calendar.cast.clinic_a,
        appointment_type=calendar.evaluation_a,
        therapist_ids=[therapist_a(calendar).pk],
        first_day=TUESDAY,
        last_day=TUESDAY,
        now=NOW,
    )
    assert held.start not in [s.start_utc for s in slots]
    with pytest.raises(SlotTaken):
        hold(calendar)


def test_an_expired_hold_frees_the_slot(calendar: Calendar) -> None:
    first = hold(calendar)
    later = NOW + dt.timedelta(minutes=11)
    second = hold(calendar, now=later)
    assert not Appointment.objects.filter(pk=first.pk).exists()
    with pytest.raises(HoldExpired):
        services.confirm_hold(hold_id=first.pk, patient=new_patient(calendar), now=later)
    assert Appointment.objects.get(pk=second.pk).status == Status.HELD


def test_confirming_late_still_works_when_nobody_took_the_slot(calendar: Calendar) -> None:
    held = hold(calendar)
    late = NOW + dt.timedelta(minutes=30)
    booked = services.confirm_hold(hold_id=held.pk, patient=new_patient(calendar), now=late)
    assert booked.status == Status.BOOKED


def test_minimum_notice_is_enforced(calendar: Calendar) -> None:
    with pytest.raises(BookingError) as refused:
        services.hold_slot(
            clinic=calendar.cast.clinic_a,
            appointment_type=calendar.evaluation_a,
            therapist_id=None,
            start=NOW + dt.timedelta(minutes=60),
            now=NOW,
        )
    assert refused.value.code == "too_soon"


def test_buffers_keep_the_next_slot_clear(calendar: Calendar) -> None:
    services.confirm_hold(
        hold_id=hold(calendar, "10:00").pk, patient=new_patient(calendar), now=NOW
    )
    with pytest.raises(SlotTaken):
        hold(calendar, "11:00")  # 10:00-11:00 plus a 10-minute buffer after
    assert hold(calendar, "11:15").status == Status.HELD


def test_patient_cancels_within_notice_and_the_slot_is_free_again(calendar: Calendar) -> None:
    booked = services.confirm_hold(
        hold_id=hold(calendar).pk, patient=new_patient(calendar), now=NOW
    )
    services.appointment_cancel(by=None, appointment=booked, now=NOW)
    assert booked.status == Status.CANCELLED
    assert OutboxEmail.objects.get(appointment=booked, kind="reminder").status == "cancelled"
    assert OutboxEmail.objects.filter(appointment=booked, kind="cancellation").exists()
    assert hold(calendar).status == Status.HELD


def test_patient_cannot_cancel_too_late(calendar: Calendar) -> None:
    booked = services.confirm_hold(
        hold_id=hold(calendar).pk, patient=new_patient(calendar), now=NOW
    )
    with pytest.raises(BookingError) as refused:
        services.appointment_cancel(
            by=None, appointment=booked, now=booked.start - dt.timedelta(hours=2)
        )
    assert refused.value.code == "change_too_late"
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


def test_staff_book_move_and_mark(calendar: Calendar) -> None:
    cast = calendar.cast
    booked = services.appointment_book(
        by=cast.front_desk_a,
        clinic=cast.clinic_a,
        appointment_type=calendar.follow_up_a,
        therapist=therapist_a(calendar),
        patient=cast.patient_p,
        start=local(cast.clinic_a, TUESDAY, "09:05"),
        now=NOW,  # staff may book off the grid
    )
    moved = services.appointment_move(
        by=cast.front_desk_a,
        appointment=booked,
        new_start=local(cast.clinic_a, TUESDAY, "14:00"),
        now=NOW,
    )
    assert moved.start == local(cast.clinic_a, TUESDAY, "14:00")
    services.appointment_mark(
        by=cast.front_desk_a, appointment=moved, status=Status.ARRIVED, now=moved.start
    )
    assert Appointment.objects.get(pk=booked.pk).status == Status.ARRIVED


# Marks only when they can be true: arrived on the visit's day at the clinic, "did not
# attend" and "completed" once it has begun; back to booked (an undo) whenever.


def desk_booking(cal: Calendar, hhmm: str = "10:00") -> Appointment:
    cast = cal.cast
    return services.appointment_book(
        by=cast.front_desk_a, clinic=cast.clinic_a, appointment_type=cal.follow_up_a,
        therapist=therapist_a(cal), patient=cast.patient_p,
        start=local(cast.clinic_a, TUESDAY, hhmm), now=NOW,
    )  # fmt: skip


def mark(cal: Calendar, visit: Appointment, status: str, now: dt.datetime) -> Appointment:
    return services.appointment_mark(
        by=cal.cast.front_desk_a, appointment=visit, status=status, now=now
    )


@pytest.mark.parametrize(
    ("at", "allowed"),
    [
        # Monday 20:00 in New York is already Tuesday in UTC: still not the visit's day there.
        (dt.datetime(2031, 3, 4, 1, 0, tzinfo=dt.UTC), False),
        (local_on(TUESDAY, "00:01"), True),
        (local_on(TUESDAY, "23:59"), True),  # Wednesday 04:59 in UTC, Tuesday at the clinic
        (local_on(dt.date(2031, 3, 5), "00:01"), False),
    ],
)
def test_arrived_only_on_the_visits_day_at_the_clinic(
    calendar: Calendar, at: dt.datetime, allowed: bool
) -> None:
    visit = desk_booking(calendar)
    if allowed:
        assert mark(calendar, visit, Status.ARRIVED, at).status == Status.ARRIVED
        return
    with pytest.raises(BookingError, match="only on the day of the visit"):
        mark(calendar, visit, Status.ARRIVED, at)
    assert Appointment.objects.get(pk=visit.pk).status == Status.BOOKED


@pytest.mark.parametrize("status", [Status.NO_SHOW, Status.COMPLETED])
def test_not_seen_or_seen_only_once_the_visit_has_begun(calendar: Calendar, status: str) -> None:
    visit = desk_booking(calendar)
    with pytest.raises(BookingError, match="has not started yet"):
        mark(calendar, visit, status, visit.start - dt.timedelta(minutes=1))
    assert Appointment.objects.get(pk=visit.pk).status == Status.BOOKED
    assert mark(calendar, visit, status, visit.start).status == status


def test_undo_is_always_possible_and_the_choices_follow_the_clock(calendar: Calendar) -> None:
    visit = desk_booking(calendar)
    assert services.allowed_marks(visit, NOW) == []  # the day before: nothing to mark yet
    morning = visit.start - dt.timedelta(hours=1)
    assert services.allowed_marks(visit, morning) == [Status.ARRIVED]
    during = visit.start + dt.timedelta(minutes=10)
    assert services.allowed_marks(visit, during) == [
        Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW,
    ]  # fmt: skip
    mark(calendar, visit, Status.NO_SHOW, during)
    later = visit.start + dt.timedelta(days=30)
    assert Status.BOOKED in services.allowed_marks(visit, later)
    assert mark(calendar, visit, Status.BOOKED, later).status == Status.BOOKED


def test_a_cancelled_visit_cannot_be_marked(calendar: Calendar) -> None:
    visit = desk_booking(calendar)
    services.appointment_cancel(by=calendar.cast.front_desk_a, appointment=visit, now=NOW)
    with pytest.raises(BookingError, match="not possible"):
        mark(calendar, visit, Status.COMPLETED, visit.end)
    assert services.allowed_marks(visit, visit.end) == []


def test_outsiders_cannot_write_the_calendar(calendar: Calendar) -> None:
    cast = calendar.cast
    for outsider in (cast.therapist_b, cast.auditor):
        with pytest.raises(PermissionDenied):
            services.appointment_book(
                by=outsider,
                clinic=cast.clinic_a,
                appointment_type=calendar.follow_up_a,
                therapist=therapist_a(calendar),
                patient=cast.patient_p,
                start=local(cast.clinic_a, TUESDAY, "09:00"),
                now=NOW,
            )
    assert not Appointment.objects.exists()


def test_series_is_all_or_nothing_with_conflicts_named(calendar: Calendar) -> None:
    cast = calendar.cast
    blocker = services.appointment_book(
        by=cast.front_desk_a,
        clinic=cast.clinic_a,
        appointment_type=calendar.follow_up_a,
        therapist=therapist_a(calendar),
        patient=cast.patient_p,
        start=local(cast.clinic_a, dt.date(2031, 3, 20), "10:00"),
        now=NOW,  # a Thursday
    )
    pattern = core.SeriesPattern(
        first_day=TUESDAY, weekdays=(1, 3), local_time=dt.time(10), weeks=6
    )
    with pytest.raises(SeriesConflicts) as refused:
        services.series_reserve(
            by=cast.therapist_a,
            clinic=cast.clinic_a,
            appointment_type=calendar.follow_up_a,
            therapist=therapist_a(calendar),
            patient=cast.patient_p,
            pattern=pattern,
            now=NOW,
        )
    assert [c.day for c in refused.value.conflicts] == [dt.date(2031, 3, 20)]
    assert Appointment.objects.filter(series__isnull=False).count() == 0
    services.appointment_cancel(by=cast.front_desk_a, appointment=blocker, now=NOW)
    visits = services.series_reserve(
        by=cast.therapist_a,
        clinic=cast.clinic_a,
        appointment_type=calendar.follow_up_a,
        therapist=therapist_a(calendar),
        patient=cast.patient_p,
        pattern=pattern,
        now=NOW,
    )
    assert len(visits) == 12
