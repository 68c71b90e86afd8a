"""Email addresses in the public forms: refused with a plain message, or booked and usable.

An address longer than its column used to pass the details step and fail at confirmation on
every retry (255-320 characters), or book and then never get a portal password (151-254,
longer than a username); an address with non-ASCII before the @ was booked, and then the
confirmation, manage and intake emails could never be sent. The same held for the question
form.
"""

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.accounts.flows import client_at, password_step
from tests.accounts.test_emails import NOT_ASCII_BEFORE_THE_AT, address_of
from tests.booking.test_questions import ask
from tests.booking.test_views_public import ALL_NO, PERSON, TUESDAY, Clock, hold, url
from tests.calendar import NOW, Calendar, local
from tests.personas import Cast
from unknot.accounts.emails import NOT_LATIN, TOO_LONG
from unknot.booking.models import Appointment, ContactQuestion, Status
from unknot.outbox.models import OutboxEmail
from unknot.patients.models import Patient

GOOD_PASSWORD = "quiet harbour morning 42"


@pytest.fixture
def web(calendar: Calendar, monkeypatch: pytest.MonkeyPatch) -> Client:
    fixed = Clock(NOW)
    monkeypatch.setattr("django.utils.timezone.now", lambda: fixed.now)
    return Client()


def details(web: Client, calendar: Calendar, email: str) -> Any:
    assert hold(web, calendar, local(calendar.cast.clinic_a, TUESDAY, "10:00")).status_code == 302
    return web.post(url("book_details", calendar), PERSON | {"email": email})


def assert_refused(web: Client, calendar: Calendar, response: Any, message: str) -> None:
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "details" not in web.session["public_booking"]
    # The next step sends the person back to their details; nothing is booked or filed.
    assert web.post(url("book_safety", calendar), ALL_NO)["Location"] == url(
        "book_details", calendar
    )
    assert Appointment.objects.get().status == Status.HELD
    assert Patient.objects.count() == 2  # only the cast's
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize("length", [255, 300, 320])
def test_an_address_longer_than_254_is_refused_at_the_details_step(
    web: Client, calendar: Calendar, length: int
) -> None:
    response = details(web, calendar, address_of(length))
    assert_refused(web, calendar, response, TOO_LONG)


@pytest.mark.parametrize("email", NOT_ASCII_BEFORE_THE_AT)
def test_non_latin_before_the_at_is_refused_at_the_details_step(
    web: Client, calendar: Calendar, email: str
) -> None:
    assert_refused(web, calendar, details(web, calendar, email), NOT_LATIN)


def test_an_address_longer_than_a_username_books_and_gets_a_portal_login(
    web: Client, calendar: Calendar
) -> None:
    email = address_of(200)
    assert details(web, calendar, email).status_code == 302
    response = web.post(url("book_safety", calendar), ALL_NO)
    assert response["Location"] == url("book_done", calendar)
    patient = Appointment.objects.get(status=Status.BOOKED).patient
    assert patient is not None and patient.email == email
    confirmation = OutboxEmail.objects.get(kind="confirmation")
    assert confirmation.to == email
    link = re.search(r"https?://[^/\s]+(/intake/start/\S+/)", confirmation.body)
    assert link, confirmation.body
    person = Client()
    chosen = {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    assert person.post(link.group(1), chosen)["Location"] == reverse("intake:overview")
    user = get_user_model().objects.get(patient=patient)
    assert user.email == email and len(user.username) <= 150
    # Later, on the sign-in page, with the email address
    assert password_step(client_at(), email, GOOD_PASSWORD).status_code == 302


def test_details_kept_from_before_the_rule_are_asked_for_again(
    web: Client, calendar: Calendar
) -> None:
    """A session that holds an address from before the rule: no server error at the last
    step, but the details page again, with the time still held."""
    assert details(web, calendar, PERSON["email"]).status_code == 302
    session = web.session
    session["public_booking"]["details"]["email"] = NOT_ASCII_BEFORE_THE_AT[1]
    session.save()
    response = web.post(url("book_safety", calendar), ALL_NO)
    assert response["Location"] == url("book_details", calendar)
    assert "Please check your details again." in web.get(response["Location"]).content.decode()
    assert Appointment.objects.get().status == Status.HELD
    assert Patient.objects.count() == 2 and not OutboxEmail.objects.exists()


# --- the question form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "message"),
    [(address_of(255), TOO_LONG), (address_of(320), TOO_LONG)]
    + [(email, NOT_LATIN) for email in NOT_ASCII_BEFORE_THE_AT],
)
def test_the_question_form_refuses_what_cannot_be_answered(
    cast: Cast, email: str, message: str
) -> None:
    response = ask(cast, email=email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContactQuestion.objects.exists() and not OutboxEmail.objects.exists()
