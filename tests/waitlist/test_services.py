"""Joining and leaving the waitlist: who may put whom on it, what is checked, what leaving
does to open offers; every write audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from tests.audit.support import events
from tests.booking.test_portal_booking import completed_evaluation
from tests.calendar import NOW, Calendar
from tests.waitlist.support import (
    booked_then_cancelled,
    join,
    offer_of,
    offered,
    offered_to,
    wishes,
)
from unknot.booking.errors import NotForPatients
from unknot.booking.models import OnlineBooking
from unknot.waitlist import offers, services
from unknot.waitlist.errors import NotWaiting, WaitlistRefused
from unknot.waitlist.models import EntryStatus, JoinedFrom, OfferStatus, TimeOfDay

pytestmark = pytest.mark.django_db


def patient_joins(cal: Calendar, **wish: object) -> object:
    patient = cal.cast.patient_p
    return services.entry_join(
        by=patient.user, patient=patient, clinic=cal.cast.clinic_a,
        appointment_type=cal.follow_up_a, therapist=None, wishes=wishes(**wish), now=NOW,
    )  # fmt: skip


def test_a_patient_with_a_plan_joins_for_themselves(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    entry = patient_joins(calendar)
    assert entry.joined_from == JoinedFrom.PORTAL and entry.status == EntryStatus.WAITING
    [event] = events(object_type="waitlist_entry")
    assert (event.action, event.reason, event.patient_id) == ("create", "joined", entry.patient_id)


def test_a_patient_without_a_plan_is_told_to_call(calendar: Calendar) -> None:
    with pytest.raises(NotForPatients):
        patient_joins(calendar)


def test_a_patient_cannot_join_for_a_type_only_staff_book(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    calendar.follow_up_a.online_booking = OnlineBooking.STAFF_ONLY
    calendar.follow_up_a.save()
    with pytest.raises(NotForPatients):
        patient_joins(calendar)


def test_a_patient_cannot_put_someone_else_on_the_list(calendar: Calendar) -> None:
    cast = calendar.cast
    with pytest.raises(PermissionDenied):
        services.entry_join(
            by=cast.patient_q.user, patient=cast.patient_p, clinic=cast.clinic_a,
            appointment_type=calendar.follow_up_a, therapist=None, wishes=wishes(), now=NOW,
        )  # fmt: skip


@pytest.mark.parametrize("who", ["therapist_b", "auditor"])
def test_staff_of_another_clinic_or_who_only_read_cannot_add(calendar: Calendar, who: str) -> None:
    cast = calendar.cast
    with pytest.raises(PermissionDenied):
        services.entry_join(
            by=cast.users[who], patient=cast.patient_p, clinic=cast.clinic_a,
            appointment_type=calendar.follow_up_a, therapist=None, wishes=wishes(), now=NOW,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("wish", "code"),
    [
        ({"weekdays": 0}, "weekdays"),
        (
            {
                "last_day": NOW.date() - dt.timedelta(days=1),
                "first_day": NOW.date() - dt.timedelta(days=3),
            },
            "days",
        ),
        ({"first_day": NOW.date() + dt.timedelta(days=9), "last_day": NOW.date()}, "days"),
        ({"time_of_day": TimeOfDay.BETWEEN}, "times"),
        (
            {"time_of_day": TimeOfDay.BETWEEN, "earliest": dt.time(14), "latest": dt.time(9)},
            "times",
        ),
    ],
)
def test_impossible_wishes_are_refused_in_plain_words(
    calendar: Calendar, wish: dict[str, object], code: str
) -> None:
    with pytest.raises(WaitlistRefused) as refused:
        join(calendar, calendar.cast.patient_p, **wish)
    assert refused.value.code == code and refused.value.message.endswith(".")


def test_a_therapist_of_another_clinic_is_refused(calendar: Calendar) -> None:
    with pytest.raises(WaitlistRefused, match="does not take bookings at this clinic"):
        join(calendar, therapist=calendar.cast.therapist_b)


def test_one_place_per_patient_and_type(calendar: Calendar) -> None:
    join(calendar, calendar.cast.patient_p)
    with pytest.raises(WaitlistRefused, match="already on the waitlist"):
        join(calendar, calendar.cast.patient_p)
    join(calendar, calendar.cast.patient_p, kind=calendar.evaluation_a)  # another type is fine


@override_settings(WAITLIST_OFFERS_AT_ONCE=1)
def test_leaving_declines_open_offers_and_the_next_is_asked(calendar: Calendar) -> None:
    first, second = join(calendar), join(calendar, at=NOW + dt.timedelta(minutes=1))
    opening = offered(booked_then_cancelled(calendar))
    assert opening is not None
    services.entry_leave(by=calendar.cast.front_desk_a, entry=first, now=NOW)
    first.refresh_from_db()
    assert first.status == EntryStatus.LEFT and first.left_at == NOW
    assert offer_of(first).status == OfferStatus.DECLINED
    assert offered_to(opening) == [first, second]
    with pytest.raises(NotWaiting):
        services.entry_leave(by=calendar.cast.front_desk_a, entry=first, now=NOW)
    assert [e.reason for e in events(object_type="waitlist_entry", action="update")] == ["left"]


def test_a_patient_who_left_cannot_accept(calendar: Calendar) -> None:
    entry = join(calendar)
    offered(booked_then_cancelled(calendar))
    services.entry_leave(by=None, entry=entry, now=NOW)  # through the offer's link
    with pytest.raises(WaitlistRefused):
        offers.offer_accept(offer_id=offer_of(entry).pk, now=NOW)


@pytest.mark.parametrize("who", ["therapist_b", "auditor", "patient_q"])
def test_outsiders_cannot_remove_an_entry(calendar: Calendar, who: str) -> None:
    entry = join(calendar, calendar.cast.patient_p)
    with pytest.raises(PermissionDenied):
        services.entry_leave(by=calendar.cast.users[who], entry=entry, now=NOW)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WAITING


def test_an_offer_to_a_patient_who_joined_is_booked_as_the_patient(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    entry = patient_joins(calendar)
    offered(booked_then_cancelled(calendar))
    appointment = offers.offer_accept(offer_id=offer_of(entry).pk, now=NOW)
    assert appointment.booked_by == calendar.cast.patient_p.user
