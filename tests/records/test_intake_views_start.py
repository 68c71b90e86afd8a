"""The link in the booking confirmation: signed, first password, or sign in."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core import signing
from django.test import Client
from django.urls import reverse

from tests import calendar as cal
from tests import factories
from tests.calendar import NOW, Calendar, local
from tests.personas import Cast
from tests.records.intake_support import open_intake, signed_in
from unknot.booking import services as booking
from unknot.outbox.models import OutboxEmail
from unknot.records.intake import links

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "quiet harbour morning 42"


@pytest.fixture
def calendar(cast: Cast) -> Calendar:
    cal.works_weekdays(cast.therapist_a, cast.clinic_a)
    return Calendar(
        cast=cast,
        evaluation_a=cal.evaluation_type(cast.clinic_a),
        follow_up_a=cal.follow_up_type(cast.clinic_a),
        evaluation_b=cal.evaluation_type(cast.clinic_b),
    )


def newcomer(cast: Cast, email: str = "nina.new@example.org") -> object:
    return factories.patient("Nina", "New", cast.clinic_a, login=False, email=email)


def start_url(intake: object) -> str:
    patient_id = intake.episode.patient_id  # type: ignore[attr-defined]
    return reverse("intake:start", args=[links.start_token(patient_id, intake.pk)])  # type: ignore[attr-defined]


def test_the_confirmation_email_carries_the_intake_link(calendar: Calendar) -> None:
    cast = calendar.cast
    patient = newcomer(cast)
    booking.appointment_book(
        by=cast.front_desk_a,
        clinic=cast.clinic_a,
        appointment_type=calendar.evaluation_a,
        therapist=cast.therapist_a.staff_member,
        patient=patient,
        start=local(cast.clinic_a, dt.date(2031, 3, 4), "09:00"),
        now=NOW,
    )
    body = OutboxEmail.objects.get(kind="confirmation").body
    found = re.search(r"http://\S+/intake/start/(\S+)/", body)
    assert found, body
    intake = patient.episodes.get().intake  # type: ignore[attr-defined]
    assert links.ids_from_token(found.group(1)) == (patient.pk, intake.pk)  # type: ignore[attr-defined]
    assert "Before your visit, please tell us about your back" in body
    # The time is the clinic's wall clock, not UTC (the date filter converts unless told not to).
    assert "Tuesday, March 4, 2031, 9:00 AM EST (America/New_York)" in body


def test_follow_up_confirmations_have_no_intake_link(calendar: Calendar) -> None:
    cast = calendar.cast
    booking.appointment_book(
        by=cast.front_desk_a,
        clinic=cast.clinic_a,
        appointment_type=calendar.follow_up_a,
        therapist=cast.therapist_a.staff_member,
        patient=cast.patient_p,
        start=local(cast.clinic_a, dt.date(2031, 3, 4), "09:00"),
        now=NOW,
    )
    assert "/intake/start/" not in OutboxEmail.objects.get(kind="confirmation").body


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        signing.dumps({"p": 1, "i": 1}, salt="some.other.salt"),
        signing.dumps({"p": "1", "i": 1}, salt=links.SALT),
    ],
)
def test_a_bad_token_is_404(cast: Cast, token: str) -> None:
    open_intake(cast.patient_p)
    assert Client().get(reverse("intake:start", args=[token])).status_code == 404


def test_a_token_for_someone_elses_intake_is_404(cast: Cast) -> None:
    intake = open_intake(cast.patient_p)
    forged = links.start_token(cast.patient_q.pk, intake.pk)
    assert Client().get(reverse("intake:start", args=[forged])).status_code == 404


def test_an_expired_token_is_404(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    intake = open_intake(cast.patient_p)
    url = start_url(intake)
    monkeypatch.setattr(links, "MAX_AGE_SECONDS", -1)
    assert Client().get(url).status_code == 404


def test_the_link_holds_no_health_data(cast: Cast) -> None:
    intake = open_intake(cast.patient_p)
    token = links.start_token(cast.patient_p.pk, intake.pk)
    assert signing.loads(token, salt=links.SALT) == {"p": cast.patient_p.pk, "i": intake.pk}


def test_a_newcomer_sets_a_password_and_lands_in_their_intake(cast: Cast) -> None:
    patient = newcomer(cast, email="Nina.New@Example.org")
    intake = open_intake(patient)
    client = Client()
    page = client.get(start_url(intake))
    assert b"Choose a password" in page.content
    response = client.post(
        start_url(intake), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert response["Location"] == reverse("intake:overview")
    patient.refresh_from_db()  # type: ignore[attr-defined]
    user = patient.user  # type: ignore[attr-defined]
    assert user.username == "nina.new@example.org"
    assert client.get(reverse("intake:overview")).status_code == 200
    # The plain check: user.check_password may re-hash and save, which would end the session.
    assert check_password(GOOD_PASSWORD, user.password)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("short", "short", "too short"),
        ("password123456", "password123456", "too common"),
        (GOOD_PASSWORD, GOOD_PASSWORD + "x", "not the same"),
        ("nina.new.example", "nina.new.example", "too similar"),
    ],
)
def test_password_rules_apply(cast: Cast, first: str, second: str, message: str) -> None:
    intake = open_intake(newcomer(cast))
    response = Client().post(start_url(intake), {"password1": first, "password2": second})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="nina.new@example.org").exists()


def test_a_taken_username_gets_a_suffix(cast: Cast) -> None:
    factories.user("nina.new@example.org", email="someone.else@example.org")
    intake = open_intake(newcomer(cast))
    Client().post(start_url(intake), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert intake.episode.patient.__class__.objects.get(
        pk=intake.episode.patient_id
    ).user.username == ("nina.new@example.org-2")


def test_an_email_used_by_another_login_asks_the_person_to_call(cast: Cast) -> None:
    factories.user("other", email="nina.new@example.org")
    intake = open_intake(newcomer(cast))
    response = Client().post(
        start_url(intake), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert b"Please call" in response.content
    assert cast.clinic_a.phone.encode() in response.content


def test_someone_with_a_login_is_sent_to_sign_in(cast: Cast) -> None:
    intake = open_intake(cast.patient_p)
    response = Client().get(start_url(intake))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=" + reverse("intake:overview")


def test_the_signed_in_patient_goes_straight_to_the_intake(cast: Cast) -> None:
    intake = open_intake(cast.patient_p)
    response = signed_in(cast.patient_p.user).get(start_url(intake))
    assert response["Location"] == reverse("intake:overview")


def test_someone_else_signed_in_is_asked_to_sign_out(cast: Cast) -> None:
    intake = open_intake(newcomer(cast))
    response = signed_in(cast.patient_q.user).get(start_url(intake))
    assert b"This link is for someone else" in response.content
    response = signed_in(cast.patient_q.user).post(
        start_url(intake), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )
    assert intake.episode.patient.__class__.objects.get(pk=intake.episode.patient_id).user is None
