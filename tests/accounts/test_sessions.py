"""Session keys change at sign-in, sign-out ends the session on the server, and sessions end
after an idle period and, however active, a fixed time after the sign-in."""

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.flows import client_at, code_step, password_step
from tests.accounts.totp import next_unused_code
from tests.personas import Cast
from unknot.accounts.middleware import SLID_AT_SESSION_KEY, SLIDE_EVERY_SECONDS
from unknot.accounts.second_factor import give_app_device
from unknot.accounts.signals import SIGNED_IN_AT_SESSION_KEY

COOKIE = settings.SESSION_COOKIE_NAME
DASHBOARD = "staffarea:dashboard"


def planted_session(client: Client) -> str:
    """A session key an attacker made and slipped into the victim's browser."""
    store = SessionStore()
    store["planted"] = True
    store.create()
    client.cookies[COOKIE] = store.session_key
    return str(store.session_key)


def test_the_session_key_changes_at_sign_in(cast: Cast) -> None:
    client = client_at()
    planted = planted_session(client)
    password_step(client, cast.patient_p.user.username)
    after = client.cookies[COOKIE].value
    assert after != planted
    assert not Session.objects.filter(session_key=planted).exists()
    fixated = Client()
    fixated.cookies[COOKIE] = planted
    assert fixated.get(reverse("portal:home")).status_code == 302  # the planted key: nobody


def test_the_session_key_changes_again_at_the_second_factor(cast: Cast) -> None:
    device = give_app_device(cast.therapist_a)
    client = client_at()
    planted = planted_session(client)
    password_step(client, "therapist_a")
    between = client.cookies[COOKIE].value
    code_step(client, next_unused_code(device))
    after = client.cookies[COOKIE].value
    assert len({planted, between, after}) == 3
    stale = Client()
    stale.cookies[COOKIE] = between
    assert stale.get(reverse(DASHBOARD)).status_code == 302


def test_sign_out_is_post_only_and_ends_the_session_on_the_server(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.therapist_a)
    key = client.cookies[COOKIE].value
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    old_cookie = Client()
    old_cookie.cookies[COOKIE] = key
    response = old_cookie.get(reverse(DASHBOARD))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_idle_session_ends(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.therapist_a)
    client.get(reverse(DASHBOARD))
    assert client.session.get_expiry_age() == settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse(DASHBOARD))["Location"].startswith(reverse("accounts:login"))


def signed_in_hours_ago(client: Client, hours: float) -> None:
    session = client.session
    session[SIGNED_IN_AT_SESSION_KEY] = int(time.time() - hours * 3600)
    session.save()


def test_a_busy_staff_session_still_ends_after_the_absolute_limit(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.therapist_a)
    signed_in_hours_ago(client, settings.STAFF_ABSOLUTE_SESSION_HOURS - 0.1)
    assert client.get(reverse(DASHBOARD)).status_code == 200
    signed_in_hours_ago(client, settings.STAFF_ABSOLUTE_SESSION_HOURS)
    assert client.get(reverse(DASHBOARD))["Location"].startswith(reverse("accounts:login"))
    assert client.get(reverse(DASHBOARD)).status_code == 302  # and it stays ended


def test_the_patient_limit_is_its_own_setting(cast: Cast, settings: Any) -> None:
    settings.PATIENT_ABSOLUTE_SESSION_HOURS = 2
    client = Client()
    client.force_login(cast.patient_p.user)
    signed_in_hours_ago(client, 1.9)
    assert client.get(reverse("portal:home")).status_code == 200
    signed_in_hours_ago(client, 2)
    assert client.get(reverse("portal:home")).status_code == 302


def test_a_session_without_a_sign_in_time_is_ended(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.therapist_a)
    session = client.session
    del session[SIGNED_IN_AT_SESSION_KEY]
    session.save()
    assert client.get(reverse(DASHBOARD)).status_code == 302


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies[COOKIE].value)


def test_the_idle_expiry_slides_at_most_once_a_minute(cast: Cast) -> None:
    """Requests within a minute of the last slide write nothing; a later one slides it again."""
    client = Client()
    client.force_login(cast.therapist_a)
    client.get(reverse(DASHBOARD))
    first = session_row(client).expire_date
    client.get(reverse(DASHBOARD))
    assert session_row(client).expire_date == first  # no write: the same row as before
    session = client.session
    session[SLID_AT_SESSION_KEY] -= SLIDE_EVERY_SECONDS
    session.save()  # as if the last slide were a minute ago
    saved = session_row(client).expire_date
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert session_row(client).expire_date > saved  # pushed forward again, and a new cookie
    assert response.cookies[COOKIE]["max-age"] == settings.STAFF_IDLE_TIMEOUT_MINUTES * 60


def test_a_session_that_moves_from_patient_to_staff_limits_slides_at_once(cast: Cast) -> None:
    """The idle limit is re-applied at once when it differs from the one in force."""
    client = Client()
    client.force_login(cast.therapist_a)
    client.get(reverse(DASHBOARD))
    session = client.session
    session.set_expiry(settings.PATIENT_IDLE_TIMEOUT_MINUTES * 60)  # the longer, wrong limit
    session.save()
    client.get(reverse(DASHBOARD))
    assert client.session.get_expiry_age() == settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
