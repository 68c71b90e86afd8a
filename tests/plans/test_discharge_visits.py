"""Discharge closes cleanly: the visits still to come are listed on the confirmation, cancelled
with the discharge (unless kept), their reminders stopped, and the person told in one email.

Time is real here, as on the page: the visits are booked around today.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar as ICalendar

from tests import calendar as cal
from tests.outbox.test_tasks import run_worker
from tests.personas import Cast
from tests.web.matrix_care import care_episode
from unknot.audit.models import AuditEvent
from unknot.booking import cancel_together, ics, services
from unknot.booking.errors import BookingError
from unknot.booking.models import Appointment, AppointmentType, Status
from unknot.clinics.models import Clinic
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.plans.home import services as home
from unknot.records.models import Episode, EpisodeStatus

KIND = "discharge_cancellation"
KEEP_BOX = 'type="checkbox" name="keep"'


@dataclass
class World:
    cast: Cast
    episode: Episode
    future: list[Appointment]  # the episode's visits still to come, in order
    past: Appointment  # booked, never marked, already over
    elsewhere: Appointment  # the same person's visit at clinic B


def weekday_from(day: dt.date, days: int) -> dt.date:
    day += dt.timedelta(days=days)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    return day


def book(
    cast: Cast, by: Any, kind: AppointmentType, day: dt.date, hhmm: str, now: dt.datetime
) -> Appointment:
    clinic: Clinic = kind.clinic
    therapist = (cast.therapist_a if clinic == cast.clinic_a else cast.therapist_b).staff_member
    return services.appointment_book(
        by=by, clinic=clinic, appointment_type=kind, therapist=therapist,
        patient=cast.patient_p, start=cal.local(clinic, day, hhmm), now=now,
    )  # fmt: skip


@pytest.fixture
def world(cast: Cast) -> World:
    cal.works_weekdays(cast.therapist_a, cast.clinic_a)
    cal.works_weekdays(cast.therapist_b, cast.clinic_b)
    follow_up_a = cal.follow_up_type(cast.clinic_a)
    now = timezone.now()
    today = now.astimezone(zoneinfo.ZoneInfo(cast.clinic_a.time_zone)).date()
    first = weekday_from(today, 2)
    second = weekday_from(first, 1)
    third = weekday_from(second, 1)
    future = [
        book(cast, cast.front_desk_a, follow_up_a, first, "09:30", now),
        book(cast, cast.front_desk_a, follow_up_a, second, "14:00", now),
        book(cast, cast.front_desk_a, follow_up_a, third, "11:15", now),
    ]
    gone = weekday_from(today, -10)
    past = book(cast, cast.front_desk_a, follow_up_a, gone, "10:00", now - dt.timedelta(days=14))
    there = cal.follow_up_type(cast.clinic_b)
    elsewhere = book(cast, cast.therapist_b, there, first, "10:00", now)
    episode = care_episode(cast.patient_p, cast.therapist_a)
    return World(cast, episode, future, past, elsewhere)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_url(episode: Episode) -> str:
    return reverse("home_programme:episode_discharge", args=[episode.pk])


def confirm_url(episode: Episode) -> str:
    return reverse("home_programme:episode_discharge_confirm", args=[episode.pk])


def us_when(appointment: Appointment) -> str:
    """Written here independently of the code under test:
    'Tuesday, December 15, 2026, 9:30 AM EST'."""
    local = appointment.start.astimezone(zoneinfo.ZoneInfo(appointment.clinic.time_zone))
    hour, noon = local.hour % 12 or 12, "AM" if local.hour < 12 else "PM"
    day = f"{local:%A, %B} {local.day}, {local.year}"
    return f"{day}, {hour}:{local:%M} {noon} {local.tzname()}"


def ids(*appointments: Appointment) -> list[int]:
    return [a.pk for a in appointments]


def posted(w: World, keep: list[Any] | None = None, shown: list[Any] | None = None) -> dict:
    """What the page sends: the confirmation, every listed visit, the ones ticked to keep."""
    return {"confirm": "on", "shown": ids(*w.future) if shown is None else shown} | (
        {"keep": keep} if keep else {}
    )


def statuses(*appointments: Appointment) -> list[str]:
    return [Appointment.objects.get(pk=a.pk).status for a in appointments]


def unchanged(w: World) -> None:
    """Nothing happened: the episode is open, every visit booked, no email written."""
    w.episode.refresh_from_db()
    assert w.episode.status == EpisodeStatus.OPEN and w.episode.discharged_at is None
    assert set(statuses(*w.future, w.past, w.elsewhere)) == {Status.BOOKED}
    reminders = OutboxEmail.objects.filter(kind="reminder", appointment__in=w.future)
    assert set(reminders.values_list("status", flat=True)) == {OutboxStatus.QUEUED}
    assert not OutboxEmail.objects.filter(kind=KIND).exists()
    assert not AuditEvent.objects.filter(reason=cancel_together.AUDIT_REASON).exists()


# --- the confirmation page --------------------------------------------------------------------


def test_local_time_is_written_the_american_way_in_the_clinic_zone(cast: Cast) -> None:
    winter = Appointment(
        clinic=cast.clinic_a, start=dt.datetime(2026, 12, 15, 14, 30, tzinfo=dt.UTC)
    )
    summer = Appointment(clinic=cast.clinic_b, start=dt.datetime(2026, 7, 14, 21, 5, tzinfo=dt.UTC))
    assert cancel_together.local_when(winter) == "Tuesday, December 15, 2026, 9:30 AM EST"
    assert cancel_together.local_when(summer) == "Tuesday, July 14, 2026, 3:05 PM MDT"


def test_the_confirmation_lists_the_visits_still_to_come(world: World) -> None:
    html = client_for(world.cast.therapist_a).get(page_url(world.episode)).content.decode()
    for visit in world.future:
        assert us_when(visit) in html, us_when(visit)
        assert f'name="keep" value="{visit.pk}"' in html
    assert html.count(KEEP_BOX) == 3 and " checked" not in html  # kept only if ticked
    assert html.count(">Keep this visit<") == 3
    assert "Therapist_A Staff" in html and "Follow-up" in html
    assert us_when(world.past) not in html and us_when(world.elsewhere) not in html
    assert "cancels every visit below" in html and "in one email" in html


def test_the_confirmation_says_when_there_is_nothing_to_cancel(cast: Cast) -> None:
    episode = care_episode(cast.patient_p, cast.therapist_a)
    html = client_for(cast.manager).get(page_url(episode)).content.decode()
    assert "no visit is booked" in html and KEEP_BOX not in html


# --- discharging ------------------------------------------------------------------------------


def test_discharge_cancels_the_visits_not_kept_and_tells_the_person_once(world: World) -> None:
    first, kept, third = world.future
    response = client_for(world.cast.therapist_a).post(
        confirm_url(world.episode), posted(world, keep=[kept.pk]), follow=True
    )
    page = response.content.decode()
    assert "Penny Parker is discharged. 2 visits are cancelled." in page
    assert "Penny gets one email listing them. 1 visit stays booked" in page
    world.episode.refresh_from_db()
    assert world.episode.status == EpisodeStatus.DISCHARGED
    for visit in (first, third):
        visit.refresh_from_db()
        assert visit.status == Status.CANCELLED and visit.cancel_reason == "Discharged"
        assert visit.cancelled_at == world.episode.discharged_at
        reminder = OutboxEmail.objects.get(appointment=visit, kind="reminder")
        assert reminder.status == OutboxStatus.CANCELLED  # never sent
    email = OutboxEmail.objects.get(kind=KIND)
    assert email.to == "penny.parker@test.example" and email.status == OutboxStatus.QUEUED
    assert us_when(first) in email.body and us_when(third) in email.body
    assert us_when(kept) not in email.body
    assert not OutboxEmail.objects.filter(kind="cancellation").exists()  # not one per visit
    calendar = ICalendar.from_ical(email.ics)
    assert calendar["method"] == "CANCEL"
    events = calendar.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [first.start, third.start]
    assert {str(e["status"]) for e in events} == {"CANCELLED"}


def test_kept_visits_stay_booked_and_untouched(world: World) -> None:
    kept = world.future[1]
    before = Appointment.objects.get(pk=kept.pk)
    client_for(world.cast.therapist_a).post(confirm_url(world.episode), posted(world, [kept.pk]))
    assert statuses(world.future[0], world.future[2]) == [Status.CANCELLED] * 2  # not kept
    after = Appointment.objects.get(pk=kept.pk)
    assert after.status == Status.BOOKED and after.updated_at == before.updated_at
    assert after.cancelled_at is None and after.cancel_reason == ""
    reminder = OutboxEmail.objects.get(appointment=kept, kind="reminder")
    assert reminder.status == OutboxStatus.QUEUED


def test_past_visits_and_other_clinics_visits_are_left_alone(world: World) -> None:
    client_for(world.cast.therapist_a).post(confirm_url(world.episode), posted(world))
    assert statuses(*world.future) == [Status.CANCELLED] * 3
    assert statuses(world.past, world.elsewhere) == [Status.BOOKED, Status.BOOKED]
    elsewhere = OutboxEmail.objects.get(appointment=world.elsewhere, kind="reminder")
    assert elsewhere.status == OutboxStatus.QUEUED
    calendar = ICalendar.from_ical(OutboxEmail.objects.get(kind=KIND).ics)
    uids = {str(event["uid"]) for event in calendar.walk("VEVENT")}
    assert uids == {ics.uid(visit) for visit in world.future}


def test_an_audit_row_for_the_discharge_and_each_cancelled_visit(world: World) -> None:
    client_for(world.cast.manager).post(confirm_url(world.episode), posted(world))
    rows = AuditEvent.objects.filter(reason=cancel_together.AUDIT_REASON)
    assert sorted(int(r.object_id) for r in rows) == ids(*world.future)
    assert {(r.object_type, r.action, r.actor_username) for r in rows} == {
        ("appointment", "update", "manager")
    }
    assert {(r.patient_id, r.clinic_id) for r in rows} == {
        (world.cast.patient_p.pk, world.cast.clinic_a.pk)
    }
    assert AuditEvent.objects.filter(reason="discharged", object_id=str(world.episode.pk)).count()


def test_no_email_without_an_address_or_without_a_cancelled_visit(world: World) -> None:
    therapist = client_for(world.cast.therapist_a)
    every = ids(*world.future)
    kept_all = therapist.post(confirm_url(world.episode), posted(world, keep=every), follow=True)
    assert "3 visits stay booked" in kept_all.content.decode()
    assert not OutboxEmail.objects.filter(kind=KIND).exists()
    assert statuses(*world.future) == [Status.BOOKED] * 3

    world.cast.patient_p.email = ""
    world.cast.patient_p.save()
    again = care_episode(world.cast.patient_p, world.cast.therapist_a)
    done = therapist.post(confirm_url(again), posted(world), follow=True).content.decode()
    assert "Penny has no email address on file: please tell them." in done
    assert statuses(*world.future) == [Status.CANCELLED] * 3
    assert not OutboxEmail.objects.filter(kind=KIND).exists()


# --- bad input changes nothing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("keep", "message"),
    [
        ("past", "is not one of this episode"),
        ("elsewhere", "is not one of this episode"),
        ("999999", "is not one of this episode"),
        ("-1", "is not one of this episode"),
        ("abc", "Choose the visits to keep from the list."),
        ("1.5", "Choose the visits to keep from the list."),
    ],
)
def test_keeping_something_that_is_not_listed_is_refused(
    world: World, keep: str, message: str
) -> None:
    value = str(getattr(world, keep).pk) if keep in ("past", "elsewhere") else keep
    therapist = client_for(world.cast.therapist_a)
    response = therapist.post(confirm_url(world.episode), posted(world, keep=[value]))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Not discharged" in page
    unchanged(world)


def test_a_visit_cancelled_meanwhile_is_refused_with_nothing_changed(world: World) -> None:
    therapist = client_for(world.cast.therapist_a)
    shown = ids(*world.future)  # what the page listed
    gone = world.future[2]
    services.appointment_cancel(by=world.cast.front_desk_a, appointment=gone, now=timezone.now())
    response = therapist.post(confirm_url(world.episode), posted(world, [gone.pk], shown))
    assert response.status_code == 400
    page = response.content.decode()
    assert "changed while this page was open" in page and "Nothing changed" in page
    assert page.count(KEEP_BOX) == 2  # the list shown again is today's
    world.episode.refresh_from_db()
    assert world.episode.status == EpisodeStatus.OPEN
    assert statuses(*world.future[:2]) == [Status.BOOKED] * 2
    assert not OutboxEmail.objects.filter(kind=KIND).exists()


def test_a_visit_booked_meanwhile_is_not_cancelled_unseen(world: World) -> None:
    shown = ids(*world.future[:2])  # the third was booked after the page was opened
    response = client_for(world.cast.therapist_a).post(
        confirm_url(world.episode), posted(world, shown=shown)
    )
    assert response.status_code == 400 and "changed while this page" in response.content.decode()
    unchanged(world)


def test_a_second_submission_changes_nothing(world: World) -> None:
    therapist = client_for(world.cast.therapist_a)
    therapist.post(confirm_url(world.episode), posted(world))
    world.episode.refresh_from_db()
    first = world.episode.discharged_at
    again = therapist.post(confirm_url(world.episode), posted(world), follow=True)
    assert "already discharged; nothing changed" in again.content.decode()
    world.episode.refresh_from_db()
    assert world.episode.discharged_at == first
    assert OutboxEmail.objects.filter(kind=KIND).count() == 1
    cancelled = AuditEvent.objects.filter(reason=cancel_together.AUDIT_REASON)
    assert cancelled.count() == 3
    with pytest.raises(ValidationError) as refused:  # the service itself refuses, too
        home.discharge(by=world.cast.therapist_a, episode=world.episode)
    assert refused.value.code == "already_discharged"


def test_a_step_that_fails_undoes_the_whole_discharge(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> None:  # the last step: every visit is already cancelled by then
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(cancel_together, "_tell_patient", broken)
    with pytest.raises(RuntimeError):
        home.discharge(by=world.cast.therapist_a, episode=world.episode)
    unchanged(world)


def test_the_booking_side_cancels_all_or_none(world: World) -> None:
    """A visit cancelled between listing and locking refuses the lot: the others stay booked."""
    last = world.future[2]
    services.appointment_cancel(by=world.cast.front_desk_a, appointment=last, now=timezone.now())
    with pytest.raises(BookingError) as refused:
        cancel_together.appointments_cancel_together(
            by=world.cast.therapist_a, appointments=world.future, now=timezone.now(),
            reason="Discharged", message_key="test",
        )  # fmt: skip
    assert "no longer booked" in refused.value.message and us_when(last) in refused.value.message
    assert statuses(*world.future[:2]) == [Status.BOOKED] * 2
    assert not OutboxEmail.objects.filter(kind=KIND).exists()


def test_the_booking_side_refuses_who_may_not_change_the_calendar(world: World) -> None:
    for outsider in (world.cast.therapist_b, world.cast.auditor):
        with pytest.raises(PermissionDenied):
            cancel_together.appointments_cancel_together(
                by=outsider, appointments=world.future, now=timezone.now(),
                reason="Discharged", message_key="test",
            )  # fmt: skip
    with pytest.raises(ValidationError):  # a visit of another clinic is not this episode's
        home.discharge(by=world.cast.therapist_a, episode=world.episode, keep=[world.elsewhere.pk])
    unchanged(world)


# --- who may (the persona matrix) ---------------------------------------------------------------


def test_who_sees_the_visits_on_the_confirmation(world: World) -> None:
    url = page_url(world.episode)
    expected = {
        "therapist_a": (200, True), "manager": (200, True), "auditor": (200, False),
        "front_desk_a": (403, False), "therapist_b": (404, False),
        "patient_p": (403, False), "patient_q": (403, False),
    }  # fmt: skip
    for persona, (status, lists) in expected.items():
        response = client_for(world.cast.users[persona]).get(url)
        assert response.status_code == status, persona
        assert (KEEP_BOX in response.content.decode()) == lists, persona
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_who_may_discharge_and_cancel(world: World) -> None:
    """Outsider 404, read-only and other roles 403, anonymous to sign in, GET 405 — each with
    nothing changed; then the episode's therapist does it, and the visits go with it."""
    url, data = confirm_url(world.episode), posted(world)
    refused = {"therapist_b": 404, "auditor": 403, "front_desk_a": 403, "patient_p": 403}
    for persona, status in refused.items():
        assert client_for(world.cast.users[persona]).post(url, data).status_code == status
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(world.cast.therapist_a).get(url).status_code == 405
    unchanged(world)
    assert client_for(world.cast.therapist_a).post(url, data).status_code == 302
    assert statuses(*world.future) == [Status.CANCELLED] * 3


# --- the real worker ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_one_email(world: World, smtp_inbox: Any) -> None:
    run_worker()  # the bookings' own confirmations go first
    smtp_inbox.messages.clear()
    client_for(world.cast.therapist_a).post(confirm_url(world.episode), posted(world))
    run_worker()
    run_worker()  # a second pass sends nothing again
    (message,) = smtp_inbox.messages
    assert message["To"] == "penny.parker@test.example"
    assert message["Subject"] == "Your visits are cancelled · Alder Clinic"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert all(us_when(visit) in body for visit in world.future), body
    attachment = next(part for part in message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "CANCEL"
    events = ICalendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert sorted(e.decoded("dtstart") for e in events) == [v.start for v in world.future]
    assert OutboxEmail.objects.get(kind=KIND).status == OutboxStatus.SENT
