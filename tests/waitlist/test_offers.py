"""Freed times offered to the people waiting: who matches, in what order, how many at once;
the first acceptance wins and the others are told; offers run out and the next are asked;
no offer for a time in the past or inside the minimum notice."""

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests import factories
from tests.calendar import NOW, Calendar, local, works_weekdays
from tests.waitlist.support import (
    WEDNESDAY,
    booked_then_cancelled,
    emails,
    join,
    offer_of,
    offered,
    offered_to,
    someone,
)
from unknot.booking import services as booking
from unknot.booking.models import Appointment, Status
from unknot.clinics.models import Weekday
from unknot.waitlist import offers, tasks
from unknot.waitlist.errors import OfferAnswered, OfferExpired, OfferGone
from unknot.waitlist.models import EntryStatus, OfferStatus, OpeningStatus, TimeOfDay

pytestmark = pytest.mark.django_db

LATER = NOW + dt.timedelta(minutes=30)


def test_a_freed_time_is_offered_to_the_first_three_in_queue_order(calendar: Calendar) -> None:
    queue = [join(calendar, at=NOW - dt.timedelta(hours=n)) for n in (5, 1, 3, 4, 2)]
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None
    by_joining = sorted(queue, key=lambda e: e.joined_at)
    assert offered_to(opening) == by_joining[:3]
    assert len(emails("waitlist_offer")) == 3


@override_settings(WAITLIST_OFFERS_AT_ONCE=1)
def test_the_batch_size_is_a_setting(calendar: Calendar) -> None:
    first, _second = join(calendar), join(calendar, at=LATER)
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None and offered_to(opening) == [first]


def test_only_entries_that_want_this_time_are_offered_it(calendar: Calendar) -> None:
    cast = calendar.cast
    wanted = [
        join(calendar),  # anything
        join(calendar, therapist=cast.therapist_a),  # this therapist
        join(calendar, weekdays=1 << Weekday.WEDNESDAY, time_of_day=TimeOfDay.MORNING),
        join(
            calendar, time_of_day=TimeOfDay.BETWEEN, earliest=dt.time(9, 30), latest=dt.time(10, 1)
        ),
    ]
    other_therapist = factories.staff("therapist_a2", "therapist", [cast.clinic_a])
    works_weekdays(other_therapist, cast.clinic_a)  # also at clinic A, but not the one freed
    unwanted = [
        join(calendar, therapist=other_therapist),
        join(calendar, weekdays=1 << Weekday.THURSDAY),
        join(calendar, time_of_day=TimeOfDay.AFTERNOON),
        join(calendar, time_of_day=TimeOfDay.BETWEEN, earliest=dt.time(10, 1), latest=dt.time(12)),
        join(calendar, first_day=WEDNESDAY + dt.timedelta(days=1)),
        join(calendar, last_day=WEDNESDAY - dt.timedelta(days=1)),
        join(calendar, kind=calendar.evaluation_a),
    ]
    with override_settings(WAITLIST_OFFERS_AT_ONCE=20):
        opening = offered(booked_then_cancelled(calendar, "10:00"))
    assert opening is not None
    assert set(offered_to(opening)) == set(wanted)
    assert not set(offered_to(opening)) & set(unwanted)


def test_an_evening_wish_matches_an_evening_time(calendar: Calendar) -> None:
    evening = join(calendar, time_of_day=TimeOfDay.EVENING)
    join(calendar, time_of_day=TimeOfDay.MORNING)
    opening = offered(booked_then_cancelled(calendar, "17:00"))
    assert opening is not None and offered_to(opening) == [evening]


def test_nobody_waiting_writes_nothing(calendar: Calendar) -> None:
    assert offered(booked_then_cancelled(calendar)) is None
    assert emails("waitlist_offer") == []


def test_no_offer_for_a_time_in_the_past(calendar: Calendar) -> None:
    join(calendar)
    freed = booked_then_cancelled(calendar)
    assert offered(freed, now=freed.start + dt.timedelta(minutes=5)) is None
    assert emails("waitlist_offer") == []


def test_no_offer_inside_the_minimum_notice(calendar: Calendar) -> None:
    join(calendar)
    freed = booked_then_cancelled(calendar)
    notice = dt.timedelta(minutes=calendar.follow_up_a.min_notice_minutes)
    assert offered(freed, now=freed.start - notice + dt.timedelta(minutes=1)) is None


def test_an_offer_never_runs_past_the_minimum_notice(calendar: Calendar) -> None:
    entry = join(calendar)
    freed = booked_then_cancelled(calendar)
    notice = dt.timedelta(minutes=calendar.follow_up_a.min_notice_minutes)
    close = freed.start - notice - dt.timedelta(minutes=30)
    assert offered(freed, now=close) is not None
    assert offer_of(entry).expires_at == freed.start - notice
    far = offered(booked_then_cancelled(calendar, "14:00"), now=NOW)
    assert far is not None and far.offers.get().expires_at == NOW + dt.timedelta(hours=2)


def test_a_time_booked_again_meanwhile_is_not_offered(calendar: Calendar) -> None:
    join(calendar)
    freed = booked_then_cancelled(calendar)
    booking.appointment_book(
        by=calendar.cast.front_desk_a, clinic=freed.clinic, appointment_type=freed.appointment_type,
        therapist=freed.therapist, patient=someone(calendar), start=freed.start, now=NOW,
    )  # fmt: skip
    assert offered(freed) is None


def test_the_first_to_accept_gets_it_and_the_others_are_told(calendar: Calendar) -> None:
    first, second, third = join(calendar), join(calendar, at=LATER), join(calendar, at=LATER)
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None
    appointment = offers.offer_accept(offer_id=offer_of(second).pk, now=LATER)
    assert appointment.patient == second.patient and appointment.start == opening.start
    assert appointment.status == Status.BOOKED and appointment.source == "waitlist"
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.FILLED and opening.appointment == appointment
    assert [offer_of(e).status for e in (first, second, third)] == [
        OfferStatus.GONE, OfferStatus.ACCEPTED, OfferStatus.GONE,
    ]  # fmt: skip
    gone = emails("waitlist_gone")
    assert sorted(e.to for e in gone) == sorted([first.patient.email, third.patient.email])
    with pytest.raises(OfferGone):
        offers.offer_accept(offer_id=offer_of(first).pk, now=LATER)
    with pytest.raises(OfferAnswered):
        offers.offer_accept(offer_id=offer_of(second).pk, now=LATER)
    assert Appointment.objects.filter(start=opening.start, status=Status.BOOKED).count() == 1


@override_settings(WAITLIST_OFFERS_AT_ONCE=1)
def test_the_booked_entry_leaves_the_list_and_gives_back_its_other_offers(
    calendar: Calendar,
) -> None:
    entry, next_one = join(calendar), join(calendar, at=LATER)
    morning = offered(booked_then_cancelled(calendar, "10:00"))
    afternoon = offered(booked_then_cancelled(calendar, "14:00"))
    assert morning is not None and afternoon is not None
    appointment = offers.offer_accept(offer_id=morning.offers.get(entry=entry).pk, now=LATER)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.BOOKED and entry.booked_appointment == appointment
    assert afternoon.offers.get(entry=entry).status == OfferStatus.DECLINED
    assert offered_to(afternoon) == [entry, next_one]


def test_an_entry_leaves_the_list_when_booked_another_way(calendar: Calendar) -> None:
    entry = join(calendar)
    other_type = join(calendar, entry.patient, kind=calendar.evaluation_a)
    booking.appointment_book(
        by=calendar.cast.front_desk_a, clinic=calendar.cast.clinic_a,
        appointment_type=calendar.follow_up_a, therapist=calendar.cast.therapist_a.staff_member,
        patient=entry.patient, start=local(calendar.cast.clinic_a, WEDNESDAY, "15:00"), now=NOW,
    )  # fmt: skip
    entry.refresh_from_db()
    other_type.refresh_from_db()
    assert entry.status == EntryStatus.BOOKED and other_type.status == EntryStatus.WAITING


def test_an_expired_offer_cannot_be_accepted_and_nothing_changes(calendar: Calendar) -> None:
    entry = join(calendar)
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None
    late = offer_of(entry).expires_at
    with pytest.raises(OfferExpired):
        offers.offer_accept(offer_id=offer_of(entry).pk, now=late)
    assert offer_of(entry).status == OfferStatus.OPEN  # until the worker marks it
    assert not Appointment.objects.filter(patient=entry.patient).exists()


@override_settings(WAITLIST_OFFERS_AT_ONCE=2)
def test_when_a_round_expires_the_next_in_queue_are_offered(calendar: Calendar) -> None:
    queue = [join(calendar, at=NOW - dt.timedelta(minutes=10 - n)) for n in range(5)]
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None
    expiry = offer_of(queue[0]).expires_at
    offers.offers_expire(opening_id=opening.pk, now=expiry - dt.timedelta(minutes=1))
    assert offered_to(opening) == queue[:2]  # not yet: nothing changes
    offers.offers_expire(opening_id=opening.pk, now=expiry)
    assert offered_to(opening) == queue[:4]
    assert [offer_of(e).status for e in queue[:2]] == [OfferStatus.EXPIRED] * 2
    assert [offer_of(e).round for e in queue[2:4]] == [2, 2]
    offers.offers_expire(opening_id=opening.pk, now=offer_of(queue[2]).expires_at)
    offers.offers_expire(opening_id=opening.pk, now=offer_of(queue[4]).expires_at)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED and offered_to(opening) == queue


@override_settings(WAITLIST_OFFERS_AT_ONCE=1)
def test_a_decline_asks_the_next_at_once(calendar: Calendar) -> None:
    first, second = join(calendar), join(calendar, at=LATER)
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None
    offers.offer_decline(offer_id=offer_of(first).pk, now=LATER)
    assert offered_to(opening) == [first, second]
    first.refresh_from_db()
    assert first.status == EntryStatus.WAITING  # declining one time keeps the place


def test_a_time_booked_elsewhere_ends_the_offers(calendar: Calendar) -> None:
    first, second = join(calendar), join(calendar, at=LATER)
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None
    booking.appointment_book(
        by=calendar.cast.front_desk_a, clinic=opening.clinic,
        appointment_type=opening.appointment_type, therapist=opening.therapist,
        patient=someone(calendar), start=opening.start, now=NOW,
    )  # fmt: skip
    with pytest.raises(OfferGone):
        offers.offer_accept(offer_id=offer_of(first).pk, now=LATER)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.CLOSED
    assert offer_of(second).status == OfferStatus.GONE
    assert [e.to for e in emails("waitlist_gone")] == [second.patient.email]


def freed_time_tasks() -> list[list[object]]:
    rows = DBTaskResult.objects.filter(task_path="unknot.waitlist.tasks.offer_freed_time")
    return [row.args_kwargs["args"] for row in rows]


@pytest.mark.parametrize("change", ["cancel", "move"])
def test_a_cancelled_or_moved_visit_asks_the_worker_once_committed(
    calendar: Calendar, change: str, django_capture_on_commit_callbacks: Any
) -> None:
    cast = calendar.cast
    visit = booking.appointment_book(
        by=cast.front_desk_a, clinic=cast.clinic_a, appointment_type=calendar.follow_up_a,
        therapist=cast.therapist_a.staff_member, patient=someone(calendar),
        start=local(cast.clinic_a, WEDNESDAY, "13:00"), now=NOW,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        if change == "cancel":
            booking.appointment_cancel(by=cast.front_desk_a, appointment=visit, now=NOW)
        else:
            later = local(cast.clinic_a, WEDNESDAY, "15:00")
            booking.appointment_move(
                by=cast.front_desk_a, appointment=visit, new_start=later, now=NOW
            )
        assert freed_time_tasks() == []  # nothing before the commit
    for callback in waiting:
        callback()
    start = local(cast.clinic_a, WEDNESDAY, "13:00").isoformat()
    ids = [cast.clinic_a.pk, cast.therapist_a.staff_member.pk, calendar.follow_up_a.pk]
    assert freed_time_tasks() == [[*ids, start]]  # the old time, not the new one


def test_the_worker_task_offers_the_time(calendar: Calendar) -> None:
    entry = join(calendar)
    freed = booked_then_cancelled(calendar)
    args = (freed.clinic_id, freed.therapist_id, freed.appointment_type_id, freed.start.isoformat())
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        assert tasks.offer_freed_time.call(*args) == "offered"
        assert tasks.offer_freed_time.call(*args) == "offered"  # told twice: offered once
    assert offer_of(entry).status == OfferStatus.OPEN


def test_an_acceptance_that_fails_halfway_leaves_nothing_half_written(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = join(calendar), join(calendar, at=LATER)
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None

    def outbox_down(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the outbox is down")

    monkeypatch.setattr("unknot.waitlist.notifications.queue_gone", outbox_down)
    with pytest.raises(RuntimeError):
        offers.offer_accept(offer_id=offer_of(first).pk, now=LATER)
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OFFERING
    assert not Appointment.objects.filter(patient=first.patient).exists()
    assert [offer_of(e).status for e in (first, second)] == [OfferStatus.OPEN] * 2
    first.refresh_from_db()
    assert first.status == EntryStatus.WAITING
