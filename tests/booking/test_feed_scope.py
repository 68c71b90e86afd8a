"""A therapist's feed shows only what its creator may see, and names no patient unless chosen.

The cast's manager manages clinic A; here they also manage clinic B, and therapist A also
works at clinic C ("Cedar Clinic"), where nobody else of the cast works. Whoever creates a
feed, nothing of clinic C may reach it unless its creator may see clinic C.
"""

import datetime as dt
import importlib
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from icalendar import Calendar as ICalendar

from tests import calendar as cal
from tests import factories
from tests.booking.test_feeds import FEED_URL, create_feed, feed_path
from tests.booking.test_views_calendar import appointment, signed_in
from tests.calendar import NOW, Calendar
from unknot import audit
from unknot.audit.models import Action
from unknot.booking import feeds
from unknot.booking.models import Appointment, CalendarFeed
from unknot.clinics.models import Clinic, StaffMember


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@dataclass
class ThreeClinics:
    calendar: Calendar
    clinic_c: Clinic
    at_a: Appointment  # therapist A with Penny Parker at clinic A
    at_c: Appointment  # therapist A with Rosa Rowe at clinic C

    @property
    def cast(self) -> Any:
        return self.calendar.cast


@pytest.fixture
def world(calendar: Calendar) -> ThreeClinics:
    cast = calendar.cast
    clinic_c = factories.clinic("clinic-c", name="Cedar Clinic")
    cast.therapist_a.staff_member.clinics.add(clinic_c)
    cast.manager.staff_member.clinics.add(cast.clinic_b)  # manages A and B, not C
    cal.works_weekdays(cast.therapist_a, clinic_c, "18:00", "20:00")
    rosa = factories.patient("Rosa", "Rowe", clinic_c)
    soon = NOW + dt.timedelta(days=2)
    return ThreeClinics(
        calendar=calendar,
        clinic_c=clinic_c,
        at_a=appointment(calendar.evaluation_a, cast.therapist_a, cast.patient_p, soon),
        at_c=appointment(
            cal.evaluation_type(clinic_c), cast.therapist_a, rosa, soon + dt.timedelta(hours=8)
        ),
    )


def fetch(token: str) -> tuple[bytes, dict[str, Any]]:
    """The feed as an anonymous calendar app reads it: its bytes and its events by UID."""
    response = Client().get(feed_path(token))
    assert response.status_code == 200
    events = ICalendar.from_ical(response.content).walk("VEVENT")
    return response.content, {str(event["uid"]): event for event in events}


def uid(visit: Appointment) -> str:
    return f"appointment-{visit.pk}@unknot"


def assert_nothing_of_clinic_c(content: bytes, world: ThreeClinics) -> None:
    assert uid(world.at_c).encode() not in content
    for word in (b"Cedar", b"Rowe", b"Rosa", b"R.R."):
        assert word not in content


def create_feed_with_initials(user: Any, therapist_user: Any) -> str:
    response = signed_in(user).post(
        reverse("booking:staff_feeds"),
        {"therapist": therapist_user.staff_member.pk, "show_patient_initials": "on"},
    )
    found = FEED_URL.search(response.content.decode())
    assert found, "the new feed address is shown"
    return found.group(2)


# Who creates the feed


def test_a_managers_feed_never_shows_another_clinics_visits(world: ThreeClinics) -> None:
    """Manager of A and B, therapist of A and C: the feed lists A's visits, nothing of C."""
    _response, _url, token = create_feed(world.cast.manager, world.cast.therapist_a)
    content, events = fetch(token)
    assert set(events) == {uid(world.at_a)}
    assert_nothing_of_clinic_c(content, world)
    feed = CalendarFeed.objects.get()
    assert set(feed.clinics.all()) == {world.cast.clinic_a}  # B: the therapist does not work there


def test_a_managers_feed_with_initials_still_shows_nothing_of_clinic_c(
    world: ThreeClinics,
) -> None:
    content, events = fetch(create_feed_with_initials(world.cast.manager, world.cast.therapist_a))
    assert set(events) == {uid(world.at_a)}
    assert "P.P." in str(events[uid(world.at_a)]["summary"])
    assert_nothing_of_clinic_c(content, world)


def test_a_therapists_own_feed_covers_every_clinic_they_work_at(world: ThreeClinics) -> None:
    _response, _url, token = create_feed(world.cast.therapist_a, world.cast.therapist_a)
    _content, events = fetch(token)
    assert set(events) == {uid(world.at_a), uid(world.at_c)}
    assert "Cedar Clinic" in str(events[uid(world.at_c)]["location"])
    feed = CalendarFeed.objects.get()
    assert set(feed.clinics.all()) == {world.cast.clinic_a, world.clinic_c}


@pytest.mark.parametrize("persona", ["front_desk_a", "auditor", "patient_p"])
def test_front_desk_auditor_and_patients_cannot_make_a_feed(
    world: ThreeClinics, persona: str
) -> None:
    user = world.cast.users[persona]
    data = {"therapist": world.cast.therapist_a.staff_member.pk, "show_patient_initials": "on"}
    assert signed_in(user).post(reverse("booking:staff_feeds"), data).status_code == 403
    with pytest.raises(PermissionDenied):
        feeds.feed_create(by=user, therapist=world.cast.therapist_a.staff_member)
    assert not CalendarFeed.objects.exists()


def test_an_outsider_cannot_make_a_feed_of_another_clinics_therapist(world: ThreeClinics) -> None:
    """Therapist B works at clinic B only: therapist A's visits are none of their business."""
    outsider, therapist = world.cast.therapist_b, world.cast.therapist_a.staff_member
    response = signed_in(outsider).post(reverse("booking:staff_feeds"), {"therapist": therapist.pk})
    assert b"Select a valid choice" in response.content
    with pytest.raises(PermissionDenied):
        feeds.feed_create(by=outsider, therapist=therapist)
    assert not CalendarFeed.objects.exists()


# Names


def test_a_feed_names_no_patient_unless_its_creator_chose_so(world: ThreeClinics) -> None:
    _response, _url, token = create_feed(world.cast.therapist_a, world.cast.therapist_a)
    content, events = fetch(token)
    assert str(events[uid(world.at_a)]["summary"]) == "Booked visit (Initial evaluation)"
    for word in (b"P.P.", b"R.R.", b"Parker", b"Penny", b"Rowe", b"Rosa"):
        assert word not in content
    assert not CalendarFeed.objects.get().show_patient_initials


def test_initials_when_chosen_and_never_a_whole_name(world: ThreeClinics) -> None:
    _content, events = fetch(
        create_feed_with_initials(world.cast.therapist_a, world.cast.therapist_a)
    )
    assert "P.P." in str(events[uid(world.at_a)]["summary"])
    assert "R.R." in str(events[uid(world.at_c)]["summary"])
    for event in events.values():
        assert "Parker" not in event.to_ical().decode()
        assert "Rowe" not in event.to_ical().decode()
    assert CalendarFeed.objects.get().show_patient_initials


def test_the_feeds_page_says_what_each_feed_covers(world: ThreeClinics) -> None:
    create_feed(world.cast.manager, world.cast.therapist_a)
    create_feed_with_initials(world.cast.therapist_a, world.cast.therapist_a)
    page = signed_in(world.cast.therapist_a).get(reverse("booking:staff_feeds")).content.decode()
    assert "Alder Clinic, Cedar Clinic" in page
    assert "initials" in page
    assert "not named" in page


def test_choosing_initials_is_in_the_audit_trail(world: ThreeClinics) -> None:
    from unknot.audit.models import AuditEvent

    create_feed_with_initials(world.cast.therapist_a, world.cast.therapist_a)
    made = AuditEvent.objects.filter(object_type="therapist_feed", action=Action.CREATE).get()
    assert made.reason == "patient_initials"


# Feeds made before feeds had a scope: the data migration re-scopes them


def old_feed(therapist_user: Any, creator: Any | None) -> CalendarFeed:
    """A feed as the code before the scope made it: no clinics, its creator in the trail."""
    feed = CalendarFeed.objects.create(
        therapist=therapist_user.staff_member,
        token_hash=feeds.hash_token(f"old-{CalendarFeed.objects.count()}"),
        show_patient_initials=True,  # the old feeds showed initials to everyone
    )
    if creator is not None:
        audit.record(Action.CREATE, by=creator, object_type="therapist_feed", object_id=feed.pk)
    return feed


def rescope() -> None:
    """Runs the data migration's function, as `migrate` does, on the feeds made so far."""
    rescoping = importlib.import_module("unknot.booking.migrations.0004_feed_scope")
    rescoping.rescope_existing_feeds(apps, SimpleNamespace(connection=connection))


def scope(feed: CalendarFeed) -> set[Clinic]:
    feed.refresh_from_db()
    return set(feed.clinics.all())


def test_rescoping_a_managers_old_feed_keeps_only_the_clinics_they_manage(
    world: ThreeClinics,
) -> None:
    feed = old_feed(world.cast.therapist_a, world.cast.manager)
    rescope()
    assert scope(feed) == {world.cast.clinic_a}
    assert not feed.show_patient_initials
    assert feed.revoked_at is None
    assert set(feeds.feed_appointments(feed, NOW)) == {world.at_a}


def test_rescoping_a_therapists_own_old_feed_keeps_their_clinics(world: ThreeClinics) -> None:
    feed = old_feed(world.cast.therapist_a, world.cast.therapist_a)
    rescope()
    assert scope(feed) == {world.cast.clinic_a, world.clinic_c}
    assert not feed.show_patient_initials  # nobody chose initials: none until a new feed


def test_rescoping_gives_an_old_feed_of_an_unknown_creator_no_clinic(world: ThreeClinics) -> None:
    feed = old_feed(world.cast.therapist_a, None)
    rescope()
    assert scope(feed) == set()
    assert not feed.show_patient_initials
    assert list(feeds.feed_appointments(feed, NOW)) == []


@pytest.mark.parametrize("change", ["inactive", "not_staff", "front_desk", "other_therapist"])
def test_rescoping_gives_no_clinic_when_the_creator_may_no_longer_manage_it(
    world: ThreeClinics, change: str
) -> None:
    cast = world.cast
    creator = cast.therapist_b if change == "other_therapist" else cast.manager
    feed = old_feed(cast.therapist_a, creator)
    if change == "inactive":
        get_user_model().objects.filter(pk=creator.pk).update(is_active=False)
    elif change == "not_staff":
        StaffMember.objects.filter(user=creator).delete()
    elif change == "front_desk":
        StaffMember.objects.filter(user=creator).update(role="front_desk")
    rescope()
    assert scope(feed) == set()
    assert not feed.show_patient_initials


def test_rescoping_twice_changes_nothing_more(world: ThreeClinics) -> None:
    feed = old_feed(world.cast.therapist_a, world.cast.manager)
    rescope()
    rescope()
    assert scope(feed) == {world.cast.clinic_a}
