"""A person's private calendar feed: shown once, stored hashed, revocable, always current."""

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar as ICalendar

from tests.calendar import NOW, Calendar, local
from unknot.audit.models import AuditEvent
from unknot.booking import services
from unknot.booking.models import Appointment
from unknot.exports.models import PatientFeed

FEED_URL = re.compile(r'value="(http[^"]+/portal/feed/([A-Za-z0-9_-]+)\.ics)"')
WEDNESDAY = dt.date(2031, 3, 5)  # NOW is Monday 3 March 2031, noon UTC


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from django.utils import timezone

    moving = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moving.now)
    return moving


def portal(patient: Any) -> Client:
    client = Client()
    client.force_login(patient.user)
    return client


def turn_on(patient: Any, action: str = "on") -> tuple[Any, str]:
    response = portal(patient).post(reverse("exports:my_feed"), {"action": action})
    found = FEED_URL.search(response.content.decode())
    assert found, "the new feed address is shown"
    return response, found.group(2)


def fetch(token: str) -> Any:
    return Client().get(reverse("exports:patient_feed", args=[token]))


def events(token: str) -> dict[str, Any]:
    response = fetch(token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    return {str(e["uid"]): e for e in ICalendar.from_ical(response.content).walk("VEVENT")}


def book(calendar: Calendar, patient: Any, day: dt.date, hhmm: str) -> Appointment:
    cast = calendar.cast
    return services.appointment_book(
        by=cast.therapist_a, clinic=cast.clinic_a, appointment_type=calendar.follow_up_a,
        therapist=cast.therapist_a.staff_member, patient=patient,
        start=local(cast.clinic_a, day, hhmm), now=NOW,
    )  # fmt: skip


def uid(appointment: Appointment) -> str:
    return f"appointment-{appointment.pk}@unknot"


def test_the_address_is_shown_once_and_stored_only_as_a_hash(calendar: Calendar) -> None:
    patient = calendar.cast.patient_p
    response, token = turn_on(patient)
    assert "no-store" in response["Cache-Control"]
    feed = PatientFeed.objects.get()
    assert feed.patient == patient and feed.revoked_at is None
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 43
    again = portal(patient).get(reverse("exports:my_feed"))
    assert token.encode() not in again.content and b"feed is on" in again.content
    home = portal(patient).get(reverse("portal:home")).content.decode()
    for name in ("exports:my_feed", "exports:my_bundle", "exports:my_summary"):
        assert reverse(name) in home


def test_the_feed_follows_every_booking_move_and_cancellation(
    calendar: Calendar, clock: Clock
) -> None:
    cast = calendar.cast
    _response, token = turn_on(cast.patient_p)
    assert events(token) == {}
    visit = book(calendar, cast.patient_p, WEDNESDAY, "10:00")
    shown = events(token)[uid(visit)]
    assert shown.decoded("dtstart") == visit.start and str(shown["status"]) == "CONFIRMED"
    first_sequence = int(shown["sequence"])

    clock.advance(minutes=5)
    moved = services.appointment_move(
        by=cast.therapist_a, appointment=visit, new_start=local(cast.clinic_a, WEDNESDAY, "14:00"),
        now=clock.now,
    )  # fmt: skip
    assert moved.pk == visit.pk  # a move keeps the booking, so the event keeps its UID
    shown = events(token)[uid(visit)]
    assert shown.decoded("dtstart") == local(cast.clinic_a, WEDNESDAY, "14:00")
    assert int(shown["sequence"]) > first_sequence

    clock.advance(minutes=5)
    services.appointment_cancel(
        by=cast.therapist_a, appointment=Appointment.objects.get(pk=visit.pk), now=clock.now
    )
    assert str(events(token)[uid(visit)]["status"]) == "CANCELLED"


def test_the_feed_holds_only_my_visits_and_no_health_data(calendar: Calendar) -> None:
    cast = calendar.cast
    mine = book(calendar, cast.patient_p, WEDNESDAY, "10:00")
    other_patient = cast.patient_p.__class__.objects.create(
        first_name="Olive", last_name="Other", date_of_birth=dt.date(1980, 1, 1),
        preferred_clinic=cast.clinic_a,
    )  # fmt: skip
    book(calendar, other_patient, WEDNESDAY, "11:00")
    _response, token = turn_on(cast.patient_p)
    found = events(token)
    assert set(found) == {uid(mine)}
    event = found[uid(mine)]
    assert str(event["summary"]) == f"{calendar.follow_up_a.name} at {cast.clinic_a.name}"
    therapist = cast.therapist_a.staff_member.display_name
    assert therapist in str(event["description"]) and cast.clinic_a.name in str(event["location"])
    text = fetch(token).content.decode()
    for private in ("Penny", "Parker", "Olive", "pain", "intake"):
        assert private not in text


def test_turning_off_or_renewing_makes_the_old_address_404(calendar: Calendar) -> None:
    patient = calendar.cast.patient_p
    _response, first = turn_on(patient)
    assert fetch(first).status_code == 200
    _response, second = turn_on(patient)
    assert fetch(first).status_code == 404 and fetch(second).status_code == 200
    off = portal(patient).post(reverse("exports:my_feed"), {"action": "off"})
    assert off.status_code == 302
    assert fetch(second).status_code == 404
    assert not PatientFeed.objects.filter(revoked_at__isnull=True).exists()
    assert b"feed is off" in portal(patient).get(reverse("exports:my_feed")).content


def test_wrong_tokens_and_methods(calendar: Calendar) -> None:
    _response, token = turn_on(calendar.cast.patient_p)
    for wrong in ("x", "A" * 43, PatientFeed.objects.get().token_hash):
        assert fetch(wrong).status_code == 404
    url = reverse("exports:patient_feed", args=[token])
    assert Client().post(url).status_code == 405


def test_each_fetch_is_recorded_as_the_person_without_the_token(calendar: Calendar) -> None:
    patient = calendar.cast.patient_p
    _response, token = turn_on(patient)
    feed = PatientFeed.objects.get()
    fetch(token)
    event = AuditEvent.objects.filter(object_type="calendar_feed", action="read").get()
    assert (event.actor_id, event.actor_role, event.outcome) == (
        patient.user.pk,
        "patient",
        "allowed",
    )
    assert (event.object_id, event.patient_id) == (str(feed.pk), patient.pk)
    for row in AuditEvent.objects.values_list(*[f.attname for f in AuditEvent._meta.fields]):
        assert not any(token in str(value) for value in row)
