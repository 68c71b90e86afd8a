"""Reads of the waitlist: the front desk's section (how many wait per clinic and the first
few, open offers, times filled lately) in a fixed number of queries; only the user's clinics."""

import datetime as dt

import pytest

from tests import factories
from tests.audit.support import client_for
from tests.calendar import NOW, Calendar
from tests.clock import stopped_at
from tests.staffarea.support import home_queries
from tests.waitlist.support import booked_then_cancelled, join, offered
from unknot.waitlist import offers
from unknot.waitlist.selectors import FIRST_FEW, desk_waitlist, entries_visible_to

pytestmark = pytest.mark.django_db


def test_the_desk_sees_each_clinics_queue_and_offers(calendar: Calendar) -> None:
    queue = [join(calendar, at=NOW + dt.timedelta(minutes=n)) for n in range(5)]
    morning = offered(booked_then_cancelled(calendar, "10:00"))
    offered(booked_then_cancelled(calendar, "14:00"))
    assert morning is not None
    offers.offer_accept(offer_id=morning.offers.get(entry=queue[0]).pk, now=NOW)
    desk = desk_waitlist(calendar.cast.front_desk_a, [calendar.cast.clinic_a], NOW)
    [clinic_a] = desk.queues
    assert clinic_a.waiting == 4 and clinic_a.first == queue[1:4]
    assert len(clinic_a.first) == FIRST_FEW
    # 14:00 was offered to the first three; the first, booked at 10:00, gave theirs back
    assert {o.entry for o in desk.offers} == set(queue[1:3])
    assert [o.appointment.patient for o in desk.filled] == [queue[0].patient]


def test_another_clinics_desk_sees_none_of_it(calendar: Calendar) -> None:
    join(calendar, calendar.cast.patient_p)
    offered(booked_then_cancelled(calendar))
    desk_b = factories.staff("desk_b", "front_desk", [calendar.cast.clinic_b])
    desk = desk_waitlist(desk_b, [calendar.cast.clinic_a], NOW)
    assert [q.waiting for q in desk.queues] == [0] and desk.offers == [] and desk.filled == []
    assert not entries_visible_to(desk_b).exists()


def test_the_front_desk_home_keeps_a_fixed_number_of_queries(
    calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW, monkeypatch)
    client = client_for(calendar.cast.front_desk_a)
    client.get("/staff/")  # the session's first request settles it
    few = home_queries(client)
    for n in range(6):
        join(calendar, at=NOW + dt.timedelta(minutes=n))
    morning = offered(booked_then_cancelled(calendar, "10:00"))
    offered(booked_then_cancelled(calendar, "14:00"))
    assert morning is not None
    offers.offer_accept(offer_id=morning.offers.earliest("pk").pk, now=NOW)
    page = client.get("/staff/").content.decode()
    assert "Alder Clinic: 5 waiting" in page and "runs until" in page
    assert home_queries(client) == few
