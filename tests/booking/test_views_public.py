"""The public booking flow and the manage link, step by step, through Django's test client."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from tests.calendar import NOW, Calendar, local
from tests.clock import Clock, stopped_at
from unknot.booking import links, prescreen, services
from unknot.booking.errors import SlotTaken
from unknot.booking.models import Appointment, Status
from unknot.outbox.models import OutboxEmail
from unknot.patients.models import Patient

MONDAY = NOW.date()  # 2031-03-03; clinic A is in New York (EST, UTC-5, before the DST change)
TUESDAY = MONDAY + dt.timedelta(days=1)
PERSON = {
    "first_name": "Rosa",
    "last_name": "Marsh",
    "date_of_birth": "1984-07-23",
    "email": "rosa.marsh@example.org",
    "phone": "(207) 555-0199",
}
ALL_NO = {q.name: "no" for q in prescreen.QUESTIONS}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return stopped_at(NOW, monkeypatch)


@pytest.fixture
def web(calendar: Calendar, clock: Clock) -> Client:
    return Client()


def url(name: str, calendar: Calendar, **kwargs: Any) -> str:
    return reverse(f"booking:{name}", kwargs={"slug": calendar.cast.clinic_a.slug} | kwargs)


def times_url(calendar: Calendar, who: str = "any") -> str:
    return url("book_times", calendar, type_id=calendar.evaluation_a.pk, who=who)


def hold(web: Client, calendar: Calendar, start: dt.datetime, who: str = "any") -> Any:
    data = {"type_id": calendar.evaluation_a.pk, "who": who, "start": start.isoformat()}
    return web.post(url("book_hold", calendar), data)


def through_details(web: Client, calendar: Calendar, start: dt.datetime, **person: str) -> None:
    assert hold(web, calendar, start).status_code == 302
    response = web.post(url("book_details", calendar), PERSON | person)
    assert response.status_code == 302
    assert response["Location"] == url("book_safety", calendar)


def book(web: Client, calendar: Calendar, start: dt.datetime, **answers: str) -> Any:
    through_details(web, calendar, start)
    return web.post(url("book_safety", calendar), ALL_NO | answers)


# ---- choosing ------------------------------------------------------------------------------


def test_start_page_offers_only_what_new_patients_may_book(web: Client, calendar: Calendar) -> None:
    page = web.get(reverse("site:book_start", args=[calendar.cast.clinic_a.slug])).content.decode()
    assert "New patients can book only an initial evaluation online" in page
    assert url("book_therapist", calendar, type_id=calendar.evaluation_a.pk) in page
    assert str(calendar.follow_up_a.pk) not in re.findall(r"/type/(\d+)/", page)


def test_a_type_not_open_to_new_patients_is_not_found(web: Client, calendar: Calendar) -> None:
    assert (
        web.get(url("book_therapist", calendar, type_id=calendar.follow_up_a.pk)).status_code == 404
    )
    wrong_clinic = url("book_therapist", calendar, type_id=calendar.evaluation_b.pk)
    assert web.get(wrong_clinic).status_code == 404


def test_therapist_step_lists_the_clinics_therapists_and_any(
    web: Client, calendar: Calendar
) -> None:
    page = web.get(url("book_therapist", calendar, type_id=calendar.evaluation_a.pk))
    text = page.content.decode()
    assert "Any therapist" in text
    assert calendar.cast.therapist_a.staff_member.display_name in text
    assert calendar.cast.therapist_b.staff_member.display_name not in text


def test_times_are_shown_in_the_clinics_zone_and_named(web: Client, calendar: Calendar) -> None:
    text = web.get(times_url(calendar)).content.decode()
    assert "America/New_York" in text
    # NOW is 7:00 AM in New York; two hours' notice makes 9:00 AM EST the first start.
    assert ">9:00 AM EST<" in text
    assert (
        local(calendar.cast.clinic_a, MONDAY, "09:00")
        .astimezone(dt.timezone(dt.timedelta(hours=-5)))
        .isoformat()
        in text
    )
    assert ">8:45 AM EST<" not in text


def test_a_day_can_be_chosen_and_only_free_days_are_listed(web: Client, calendar: Calendar) -> None:
    text = web.get(times_url(calendar) + "?day=2031-03-04").content.decode()
    assert 'aria-current="date"' in text and "Times on Tuesday, March 4, 2031" in text
    assert "?day=2031-03-08" not in text, "Saturday: nobody works, so the day is not offered"


def test_an_unknown_therapist_is_not_found(web: Client, calendar: Calendar) -> None:
    assert web.get(times_url(calendar, who="999999")).status_code == 404
    other = str(calendar.cast.therapist_b.staff_member.pk)
    assert web.get(times_url(calendar, who=other)).status_code == 404


def test_picking_a_time_holds_it_and_keeps_the_hold_in_the_session(
    web: Client, calendar: Calendar
) -> None:
    start = local(calendar.cast.clinic_a, TUESDAY, "10:00")
    response = hold(web, calendar, start)
    assert response["Location"] == url("book_details", calendar)
    held = Appointment.objects.get(status=Status.HELD)
    assert held.start == start and held.source == "online"
    assert web.session["public_booking"]["hold"] == held.pk
    page = web.get(url("book_details", calendar)).content.decode()
    # Until the details are sent the hold is the short first one (docs/booking.md, "Holds").
    assert "Tuesday, March 4, 2031 at 10:00 AM EST" in page and "about 5 minutes left" in page
    # The hold is timed from now, not from the slot.
    assert "until <strong>10:05 AM EST</strong>" not in page
    assert "until <strong>7:05 AM EST</strong>" in page
    assert "we hold the time for 10 minutes more" in page


def test_picking_another_time_lets_the_first_one_go(web: Client, calendar: Calendar) -> None:
    hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "14:00"))
    held = Appointment.objects.get()
    assert held.start == local(calendar.cast.clinic_a, TUESDAY, "14:00")


def test_start_again_and_choose_another_time_release_the_hold(
    web: Client, calendar: Calendar
) -> None:
    hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    response = web.post(url("book_release", calendar), {"to": "times"})
    assert response["Location"] == times_url(calendar)
    assert not Appointment.objects.exists()
    hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    response = web.post(url("book_release", calendar), {"to": "start"})
    assert response["Location"] == reverse("site:book_start", args=["clinic-a"])
    assert not Appointment.objects.exists() and "public_booking" not in web.session


def test_a_time_off_the_list_is_refused_politely(web: Client, calendar: Calendar) -> None:
    response = hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:07"))
    assert response["Location"] == times_url(calendar)
    assert not Appointment.objects.exists()
    garbage = web.post(url("book_hold", calendar), {"type_id": "x", "who": "any", "start": "soon"})
    assert garbage.status_code == 302 and not Appointment.objects.exists()


def test_a_taken_time_is_refused_politely(web: Client, calendar: Calendar) -> None:
    start = local(calendar.cast.clinic_a, TUESDAY, "10:00")
    hold(Client(), calendar, start)  # someone else is holding it
    response = hold(web, calendar, start)
    assert response["Location"] == times_url(calendar)
    follow = web.get(response["Location"]).content.decode()
    assert "that time was just taken" in follow
    assert Appointment.objects.count() == 1


# ---- details and safety ---------------------------------------------------------------------


def test_steps_without_a_hold_send_the_person_to_the_start(web: Client, calendar: Calendar) -> None:
    start = reverse("site:book_start", args=["clinic-a"])
    for step in ("book_details", "book_safety", "book_done"):
        assert web.get(url(step, calendar))["Location"] == start


def test_bad_details_get_a_message_per_field_and_change_nothing(
    web: Client, calendar: Calendar
) -> None:
    hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    bad = {"first_name": "", "date_of_birth": "2040-01-01", "email": "rosa@", "phone": "call me"}
    response = web.post(url("book_details", calendar), bad)
    text = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Please enter your first name.",
        "Please enter your last name.",
        "Your date of birth cannot be in the future.",
        "Please enter an email address like name@example.com.",
        "Please enter a phone number with its area code",
    ):
        assert message in text
    # Each message sits next to its field and the field points at it.
    assert (
        'id="id_email_error"' in text
        and 'aria-describedby="id_email_helptext id_email_error"' in text
    )
    assert 'href="#id_first_name_error"' in text
    assert "details" not in web.session["public_booking"]
    assert Patient.objects.count() == 2  # only the cast's
    assert Appointment.objects.get().status == Status.HELD


def test_safety_questions_must_all_be_answered(web: Client, calendar: Calendar) -> None:
    through_details(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    response = web.post(url("book_safety", calendar), {"bladder": "no"})
    assert response.status_code == 200
    assert (
        response.content.decode().count("Please answer yes or no.") >= len(prescreen.QUESTIONS) - 1
    )
    assert Appointment.objects.get().status == Status.HELD


def test_safety_step_needs_the_details_first(web: Client, calendar: Calendar) -> None:
    hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    assert web.get(url("book_safety", calendar))["Location"] == url("book_details", calendar)


# ---- booking ---------------------------------------------------------------------------------


def test_a_full_booking(web: Client, calendar: Calendar) -> None:
    start = local(calendar.cast.clinic_a, TUESDAY, "10:00")
    response = book(web, calendar, start)
    assert response["Location"] == url("book_done", calendar)
    booked = Appointment.objects.get()
    assert booked.status == Status.BOOKED and booked.start == start
    patient = booked.patient
    assert patient is not None and patient.email == PERSON["email"]
    assert patient.preferred_clinic == calendar.cast.clinic_a and patient.user is None
    kinds = set(OutboxEmail.objects.values_list("kind", flat=True))
    assert kinds == {"confirmation", "reminder"}
    assert "public_booking" not in web.session, "the draft and its details are forgotten"
    page = web.get(response["Location"])
    text = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert "Tuesday, March 4, 2031 at 10:00 AM EST" in text and "America/New_York" in text
    assert calendar.cast.therapist_a.staff_member.display_name in text
    assert calendar.cast.clinic_a.one_line_address in text
    assert reverse("booking:manage", args=[links.manage_token(booked.pk)]) in text
    assert "email" in text and "will call you" not in text


def test_nothing_personal_travels_in_a_url(web: Client, calendar: Calendar) -> None:
    through_details(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    response = web.post(url("book_safety", calendar), ALL_NO | {"cancer": "yes"})
    for value in (*PERSON.values(), "cancer", "yes"):
        assert value not in response["Location"]


def test_an_emergency_answer_stops_the_booking(web: Client, calendar: Calendar) -> None:
    patients = Patient.objects.count()
    response = book(
        web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"), saddle_numbness="yes"
    )
    assert response["Location"] == url("book_stop", calendar)
    assert not Appointment.objects.exists(), "the hold is released and nothing is booked"
    assert Patient.objects.count() == patients and not OutboxEmail.objects.exists()
    assert "public_booking" not in web.session
    text = web.get(response["Location"]).content.decode()
    assert "emergency department now" in text and "911" in text
    assert calendar.cast.clinic_a.phone in text


@pytest.mark.parametrize("answer", ["bladder", "leg_weakness", "serious_accident", "fainting"])
def test_each_emergency_sign_stops_the_booking(
    web: Client, calendar: Calendar, answer: str
) -> None:
    response = book(
        web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"), **{answer: "yes"}
    )
    assert response["Location"] == url("book_stop", calendar)
    assert not Appointment.objects.exists()


def test_an_urgent_answer_books_but_the_therapist_calls_first(
    web: Client, calendar: Calendar
) -> None:
    response = book(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"), cancer="yes")
    assert Appointment.objects.get().status == Status.BOOKED
    text = web.get(response["Location"]).content.decode()
    assert "Your therapist will call you before your visit." in text


def test_an_existing_patient_is_reused_without_saying_so(web: Client, calendar: Calendar) -> None:
    existing = Patient.objects.create(
        first_name="Rosa",
        last_name="Marsh-Lee",
        date_of_birth=dt.date(1984, 7, 23),
        email="Rosa.Marsh@example.org",
        preferred_clinic=calendar.cast.clinic_a,
    )
    count = Patient.objects.count()
    response = book(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    assert Patient.objects.count() == count
    assert Appointment.objects.get().patient == existing
    assert "Marsh-Lee" not in web.get(response["Location"]).content.decode()


def test_a_patient_of_another_clinic_is_not_reused(web: Client, calendar: Calendar) -> None:
    Patient.objects.create(
        first_name="Rosa",
        last_name="Marsh",
        date_of_birth=dt.date(1984, 7, 23),
        email=PERSON["email"],
        preferred_clinic=calendar.cast.clinic_b,
    )
    book(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    assert Appointment.objects.get().patient.preferred_clinic == calendar.cast.clinic_a


def test_a_hold_that_ran_out_sends_the_person_back_to_the_times(
    web: Client, calendar: Calendar, clock: Clock
) -> None:
    through_details(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    clock.advance(minutes=services.hold_minutes() + 1)
    response = web.post(url("book_safety", calendar), ALL_NO)
    assert response["Location"] == times_url(calendar)
    assert "the hold has run out" in web.get(response["Location"]).content.decode()
    assert not Appointment.objects.exists() and Patient.objects.count() == 2


def test_a_time_taken_between_hold_and_confirm(
    web: Client, calendar: Calendar, clock: Clock
) -> None:
    start = local(calendar.cast.clinic_a, TUESDAY, "10:00")
    through_details(web, calendar, start)
    # While the hold is live nobody else can take the time; the race needs the hold to lapse
    # and someone else to book it before this person presses the last button.
    clock.advance(minutes=services.hold_minutes() + 1)
    other = services.hold_slot(
        clinic=calendar.cast.clinic_a,
        appointment_type=calendar.evaluation_a,
        therapist_id=None,
        start=start,
        now=clock.now,
    )
    services.confirm_hold(hold_id=other.pk, patient=calendar.cast.patient_p, now=clock.now)
    response = web.post(url("book_safety", calendar), ALL_NO)
    assert response["Location"] == times_url(calendar)
    assert "choose a time again" in web.get(response["Location"]).content.decode()
    assert list(Appointment.objects.values_list("patient", flat=True)) == [
        calendar.cast.patient_p.pk
    ]
    assert not Patient.objects.filter(email=PERSON["email"]).exists()


def test_slot_taken_at_confirm_is_said_politely_and_keeps_nothing(
    web: Client, calendar: Calendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    through_details(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))

    def lost_race(**_: object) -> None:
        raise SlotTaken()

    monkeypatch.setattr(services, "confirm_hold", lost_race)
    response = web.post(url("book_safety", calendar), ALL_NO)
    assert response["Location"] == times_url(calendar)
    assert "that time was just taken" in web.get(response["Location"]).content.decode()
    assert not Appointment.objects.exists(), "the hold is let go"
    assert "public_booking" not in web.session
    assert not Patient.objects.filter(email=PERSON["email"]).exists()


# ---- the manage link -------------------------------------------------------------------------


@pytest.fixture
def booked(web: Client, calendar: Calendar) -> Appointment:
    book(web, calendar, local(calendar.cast.clinic_a, MONDAY + dt.timedelta(days=3), "10:00"))
    return Appointment.objects.get()


def manage_url(appointment: Appointment, name: str = "manage") -> str:
    return reverse(f"booking:{name}", args=[links.manage_token(appointment.pk)])


def assert_redirects_to_manage(response: Any, appointment: Appointment, name: str) -> None:
    """The answer sends the person to that page of this booking. Compared by what the link
    names, not its text: a token signed in another second differs in its timestamp."""
    match = resolve(response["Location"])
    assert match.view_name == f"booking:{name}"
    assert links.appointment_from_token(match.kwargs["token"]) == appointment.pk


def test_manage_page_shows_the_booking_and_is_not_cached(web: Client, booked: Appointment) -> None:
    response = Client().get(manage_url(booked))
    text = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Thursday, March 6, 2031 at 10:00 AM EST" in text
    assert "up to 24 hours before" in text and "Change the time" in text


def test_cancel_within_the_notice(web: Client, booked: Appointment) -> None:
    response = Client().post(manage_url(booked), {"action": "cancel"})
    assert "no-store" in response["Cache-Control"]
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED
    assert OutboxEmail.objects.filter(kind="cancellation").count() == 1
    assert not OutboxEmail.objects.filter(kind="reminder", status="queued").exists()


def test_cancel_too_late_is_refused_with_the_rule(
    web: Client, booked: Appointment, clock: Clock
) -> None:
    clock.now = booked.start - dt.timedelta(hours=5)
    client = Client()
    response = client.post(manage_url(booked), {"action": "cancel"}, follow=True)
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED
    assert "up to 24 hours before they start" in response.content.decode()
    assert "Cancel this appointment" not in response.content.decode()


def test_change_offers_other_times_of_the_same_therapist(web: Client, booked: Appointment) -> None:
    response = Client().get(manage_url(booked, "manage_change"))
    text = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Times on" in text and ">9:00 AM EST<" in text


def test_change_within_the_notice_moves_the_booking(
    web: Client, booked: Appointment, calendar: Calendar
) -> None:
    new_start = local(calendar.cast.clinic_a, MONDAY + dt.timedelta(days=4), "14:00")
    response = Client().post(manage_url(booked, "manage_change"), {"start": new_start.isoformat()})
    assert_redirects_to_manage(response, booked, "manage")
    booked.refresh_from_db()
    assert booked.start == new_start and booked.status == Status.BOOKED
    assert OutboxEmail.objects.filter(kind="confirmation").count() == 2


def test_change_too_late_is_refused(
    web: Client, booked: Appointment, calendar: Calendar, clock: Clock
) -> None:
    clock.now = booked.start - dt.timedelta(hours=5)
    page = Client().get(manage_url(booked, "manage_change")).content.decode()
    assert "up to 24 hours before they start" in page and "Times on" not in page
    new_start = local(calendar.cast.clinic_a, MONDAY + dt.timedelta(days=4), "14:00")
    client = Client()
    client.post(manage_url(booked, "manage_change"), {"start": new_start.isoformat()})
    booked.refresh_from_db()
    assert booked.start == local(calendar.cast.clinic_a, MONDAY + dt.timedelta(days=3), "10:00")


def test_change_to_a_taken_or_bad_time_changes_nothing(
    web: Client, booked: Appointment, calendar: Calendar
) -> None:
    before = booked.start
    for value in ("not-a-time", "2031-03-07T10:07:00-05:00"):
        response = Client().post(manage_url(booked, "manage_change"), {"start": value})
        assert_redirects_to_manage(response, booked, "manage_change")
    booked.refresh_from_db()
    assert booked.start == before


@pytest.mark.parametrize("token", ["garbage", "eyJhIjoxfQ:1abc:forged"])
def test_forged_or_garbage_tokens_are_not_found(
    web: Client, booked: Appointment, token: str
) -> None:
    for name in ("booking:manage", "booking:manage_change"):
        assert Client().get(reverse(name, args=[token])).status_code == 404
        assert Client().post(reverse(name, args=[token]), {"action": "cancel"}).status_code == 404
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


def test_a_token_for_a_hold_is_not_found(web: Client, calendar: Calendar) -> None:
    hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00"))
    held = Appointment.objects.get()
    assert Client().get(manage_url(held)).status_code == 404
