"""Private calendar feeds: the token is shown once, stored hashed, and revocable."""

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar as ICalendar

from tests.booking.test_views_calendar import appointment, signed_in
from tests.calendar import NOW, Calendar
from unknot.booking import feeds
from unknot.booking.models import CalendarFeed, Status

FEED_URL = re.compile(r'value="(http[^"]+/booking/staff/feed/([A-Za-z0-9_-]+)\.ics)"')


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


def create_feed(user: Any, therapist_user: Any) -> tuple[Any, str, str]:
    """POSTs the form; returns the response, the full address shown and the token in it."""
    response = signed_in(user).post(
        reverse("booking:staff_feeds"), {"therapist": therapist_user.staff_member.pk}
    )
    found = FEED_URL.search(response.content.decode())
    assert found, "the new feed address is shown"
    return response, found.group(1), found.group(2)


def feed_path(token: str) -> str:
    return reverse("booking:therapist_feed", args=[token])


def parse(response: Any) -> ICalendar:
    return ICalendar.from_ical(response.content)


def test_the_token_is_shown_once_and_stored_only_as_a_hash(calendar: Calendar) -> None:
    cast = calendar.cast
    response, _url, token = create_feed(cast.therapist_a, cast.therapist_a)
    assert "no-store" in response["Cache-Control"]
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    assert len(token) >= 43  # 32 random bytes
    again = signed_in(cast.therapist_a).get(reverse("booking:staff_feeds"))
    assert token.encode() not in again.content


def test_feed_is_valid_icalendar_with_the_therapists_visits(calendar: Calendar) -> None:
    cast = calendar.cast
    kind = calendar.evaluation_a
    soon = appointment(kind, cast.therapist_a, cast.patient_p, NOW + dt.timedelta(days=2))
    gone = appointment(
        kind, cast.therapist_a, cast.patient_p, NOW + dt.timedelta(days=3), Status.CANCELLED
    )
    appointment(kind, cast.therapist_a, cast.patient_p, NOW - dt.timedelta(days=31))  # too old
    appointment(kind, cast.therapist_a, cast.patient_p, NOW + dt.timedelta(days=181))  # too far
    appointment(kind, cast.therapist_a, cast.patient_p, NOW + dt.timedelta(days=5), Status.HELD)
    appointment(calendar.evaluation_b, cast.therapist_b, cast.patient_q, NOW + dt.timedelta(days=2))
    _response, _url, token = create_feed(cast.therapist_a, cast.therapist_a)
    response = Client().get(feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    events = {e["uid"]: e for e in parse(response).walk("VEVENT")}
    assert set(events) == {f"appointment-{soon.pk}@unknot", f"appointment-{gone.pk}@unknot"}
    assert events[f"appointment-{gone.pk}@unknot"]["status"] == "CANCELLED"
    assert events[f"appointment-{soon.pk}@unknot"]["status"] == "CONFIRMED"
    assert events[f"appointment-{soon.pk}@unknot"].decoded("dtstart") == soon.start
    assert b"Parker" not in response.content  # feeds end up on phones
    assert b"P.P." not in response.content  # initials only when chosen (test_feed_scope.py)
    summary = str(events[f"appointment-{soon.pk}@unknot"]["summary"])
    assert summary == "Booked visit (Initial evaluation)"


def test_a_revoked_feed_answers_404(calendar: Calendar) -> None:
    cast = calendar.cast
    _response, _url, token = create_feed(cast.therapist_a, cast.therapist_a)
    assert Client().get(feed_path(token)).status_code == 200
    feed = CalendarFeed.objects.get()
    revoke = reverse("booking:staff_feed_revoke", args=[feed.pk])
    assert signed_in(cast.therapist_a).post(revoke).status_code == 302
    assert Client().get(feed_path(token)).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at == NOW


def test_wrong_tokens_answer_404(calendar: Calendar) -> None:
    create_feed(calendar.cast.therapist_a, calendar.cast.therapist_a)
    for token in ("x", "A" * 43, CalendarFeed.objects.get().token_hash):  # not even the hash
        assert Client().get(feed_path(token)).status_code == 404
    assert feeds.feed_for_token("nope") is None


def test_the_feed_takes_only_get(calendar: Calendar) -> None:
    _response, _url, token = create_feed(calendar.cast.therapist_a, calendar.cast.therapist_a)
    assert Client().post(feed_path(token)).status_code == 405


def test_manager_makes_a_feed_for_a_therapist_of_their_clinic(calendar: Calendar) -> None:
    cast = calendar.cast
    create_feed(cast.manager, cast.therapist_a)
    assert CalendarFeed.objects.get().therapist == cast.therapist_a.staff_member
    response = signed_in(cast.manager).post(
        reverse("booking:staff_feeds"), {"therapist": cast.therapist_b.staff_member.pk}
    )
    assert b"Select a valid choice" in response.content
    assert CalendarFeed.objects.count() == 1


def test_a_therapist_cannot_make_a_feed_for_a_colleague(calendar: Calendar) -> None:
    cast = calendar.cast
    response = signed_in(cast.therapist_b).post(
        reverse("booking:staff_feeds"), {"therapist": cast.therapist_a.staff_member.pk}
    )
    assert b"Select a valid choice" in response.content
    assert not CalendarFeed.objects.exists()


def test_feed_pages_access(calendar: Calendar) -> None:
    cast = calendar.cast
    create_feed(cast.therapist_a, cast.therapist_a)
    feed = CalendarFeed.objects.get()
    pages = reverse("booking:staff_feeds")
    revoke = reverse("booking:staff_feed_revoke", args=[feed.pk])
    data = {"therapist": cast.therapist_a.staff_member.pk}
    for user in (cast.front_desk_a, cast.auditor, cast.patient_p.user):
        assert signed_in(user).post(pages, data).status_code == 403
        assert signed_in(user).post(revoke).status_code == 403
    assert signed_in(cast.therapist_b).post(revoke).status_code == 404
    anonymous = Client().post(revoke)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert signed_in(cast.therapist_a).put(pages).status_code == 405
    assert signed_in(cast.therapist_a).delete(revoke).status_code == 405
    feed.refresh_from_db()
    assert feed.revoked_at is None
    assert CalendarFeed.objects.count() == 1


def test_feed_lists_only_feeds_one_may_manage(calendar: Calendar) -> None:
    cast = calendar.cast
    feeds.feed_create(by=cast.therapist_b, therapist=cast.therapist_b.staff_member)
    page = signed_in(cast.therapist_a).get(reverse("booking:staff_feeds"))
    assert b"Therapist_B" not in page.content
    assert b"No feeds yet" in page.content
