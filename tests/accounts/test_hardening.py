"""No health page is cached; production mode sends HSTS and marks cookies secure."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from tests.web.test_settings import PRODUCTION, run_manage


def no_store(response: object) -> bool:
    return "no-store" in response.get("Cache-Control", "")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("therapist_a", "/staff/"),
        ("therapist_a", "/staff/patients/"),
        ("therapist_a", "/clinical/caseload/"),
        ("auditor", "/intake/review/"),
        ("patient_p", "/portal/"),
        ("patient_p", "/portal/details/"),
        ("patient_p", "/"),  # any page, once signed in: the header and menus name the person
    ],
)
def test_signed_in_pages_are_never_stored(cast: Cast, persona: str, url: str) -> None:
    client = Client()
    client.force_login(cast.users[persona])
    response = client.get(url)
    assert response.status_code == 200
    assert no_store(response)
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_intake_and_booking_pages_are_never_stored_even_signed_out() -> None:
    for url in ("/intake/start/not-a-real-token/", "/accounts/login/"):
        assert no_store(Client().get(url)), url


@pytest.mark.django_db
def test_public_pages_signed_out_may_be_cached() -> None:
    assert not no_store(Client().get(reverse("site:home")))


def test_production_sends_hsts_and_secure_cookies() -> None:
    script = (
        "import json; from django.conf import settings; from django.test import Client; "
        "r = Client().get('/accounts/home/', secure=True, headers={'host': 'clinic.example'}); "
        "print(json.dumps({'hsts': r.get('Strict-Transport-Security'), 'status': r.status_code, "
        "'session_secure': settings.SESSION_COOKIE_SECURE, "
        "'csrf_secure': settings.CSRF_COOKIE_SECURE, "
        "'ssl_redirect': settings.SECURE_SSL_REDIRECT}))"
    )
    result = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    one_year = int(dt.timedelta(days=365).total_seconds())
    assert seen["hsts"] == f"max-age={one_year}; includeSubDomains; preload"
    assert seen["status"] == 302
    assert seen["session_secure"] and seen["csrf_secure"] and seen["ssl_redirect"]
