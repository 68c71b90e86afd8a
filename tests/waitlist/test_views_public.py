"""The offer's page, from its signed link: GET shows the offer, POST answers it; a gone,
expired or used link says so and changes nothing; a forged or hostile one is a 4xx."""

import datetime as dt

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from tests.calendar import NOW, Calendar
from tests.clock import stopped_at
from tests.waitlist.support import booked_then_cancelled, emails, join, link_path, offer_of, offered
from unknot.booking.models import Appointment, Status
from unknot.waitlist import links
from unknot.waitlist.models import EntryStatus, OfferStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offers(calendar: Calendar, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """P and someone else are offered Wednesday 10:00 with therapist A; their links' paths."""
    stopped_at(NOW, monkeypatch)
    join(calendar, calendar.cast.patient_p)
    join(calendar, at=NOW + dt.timedelta(minutes=1))
    offered(booked_then_cancelled(calendar))
    first, second = emails("waitlist_offer")
    return link_path(first), link_path(second)


def test_the_offer_shows_the_time_in_the_clinics_zone(two_offers: tuple[str, str]) -> None:
    response = Client().get(two_offers[0])
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Wednesday, March 5, 2031, 10:00 AM EST" in page and "America/New_York" in page
    assert "Follow-up" in page and "Therapist_A Staff" in page and "Alder Clinic" in page
    assert "Accept: book this time" in page


def test_accepting_books_and_the_link_is_then_used(
    two_offers: tuple[str, str], calendar: Calendar
) -> None:
    client = Client()
    response = client.post(two_offers[0], {"action": "accept"}, follow=True)
    page = response.content.decode()
    assert "your visit is booked" in page and "Accept: book this time" not in page
    booked = Appointment.objects.get(patient=calendar.cast.patient_p, status=Status.BOOKED)
    assert booked.source == "waitlist"
    again = client.post(two_offers[0], {"action": "accept"}, follow=True).content.decode()
    assert "already been answered" in again
    assert Appointment.objects.filter(patient=calendar.cast.patient_p).count() == 1


def test_the_second_to_accept_is_told_it_has_gone(two_offers: tuple[str, str]) -> None:
    Client().post(two_offers[0], {"action": "accept"})
    response = Client().post(two_offers[1], {"action": "accept"}, follow=True)
    assert "this time has gone" in response.content.decode()
    assert Appointment.objects.filter(source="waitlist").count() == 1
    [gone] = emails("waitlist_gone")
    assert "has gone" in gone.subject


def test_an_expired_offer_says_so_and_changes_nothing(
    two_offers: tuple[str, str], calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    stopped_at(NOW + dt.timedelta(hours=3), monkeypatch)
    page = Client().get(two_offers[0]).content.decode()
    assert "this offer has run out" in page and "Accept: book this time" not in page
    response = Client().post(two_offers[0], {"action": "accept"}, follow=True)
    assert "this offer has run out" in response.content.decode()
    assert not Appointment.objects.filter(source="waitlist").exists()


def test_declining_and_leaving_from_the_link(
    two_offers: tuple[str, str], calendar: Calendar
) -> None:
    client = Client()
    client.post(two_offers[0], {"action": "decline"})
    entry = calendar.cast.patient_p.waitlist_entries.get()
    assert offer_of(entry).status == OfferStatus.DECLINED and entry.status == EntryStatus.WAITING
    page = client.post(two_offers[0], {"action": "leave"}, follow=True).content.decode()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LEFT and "You have left the waitlist" in page


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"o": 999999}, salt=links.SALT),
        signing.dumps({"a": 1}, salt=links.SALT),
        signing.dumps({"o": 1}, salt="unknot.booking.manage"),  # another link's signature
        signing.dumps(["o", 1], salt=links.SALT),
    ],
)
def test_a_forged_or_foreign_link_is_404(two_offers: tuple[str, str], token: str) -> None:
    assert Client().get(reverse("waitlist:offer", args=[token])).status_code == 404
    assert (
        Client().post(reverse("waitlist:offer", args=[token]), {"action": "accept"}).status_code
        == 404
    )


@pytest.mark.parametrize("action", ["", "book", "accept\x00", "x" * 5000, "<script>"])
def test_hostile_answers_change_nothing(two_offers: tuple[str, str], action: str) -> None:
    response = Client().post(two_offers[0], {"action": action})
    assert response.status_code in (302, 400)
    assert not Appointment.objects.filter(source="waitlist").exists()


def test_an_old_link_is_refused(
    two_offers: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(links, "MAX_AGE_SECONDS", -1)
    assert Client().get(two_offers[0]).status_code == 404


def test_the_page_and_answer_are_audited(two_offers: tuple[str, str]) -> None:
    from tests.audit.support import events

    Client().get(two_offers[0])
    Client().post(two_offers[0], {"action": "decline"})
    reads = events(object_type="waitlist_offer", action="read")
    assert reads and all(e.reason == "link" for e in reads)
    assert [e.reason for e in events(object_type="waitlist_offer", action="update")] == ["declined"]
