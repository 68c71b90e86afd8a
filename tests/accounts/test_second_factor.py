"""Two-factor sign-in through the real pages, with codes computed from the device's secret."""

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.flows import (
    client_at,
    code_step,
    enrol,
    error_text,
    password_step,
    sign_in_fully,
)
from tests.accounts.totp import code_now, next_unused_code, totp_at
from tests.personas import Cast
from unknot.accounts.second_factor import app_device, give_app_device

DASHBOARD = "staffarea:dashboard"


def test_first_staff_sign_in_sets_up_an_app_and_shows_ten_recovery_codes(cast: Cast) -> None:
    client = client_at()
    response = password_step(client, "therapist_a")
    assert response["Location"] == reverse("accounts:second_factor_setup")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page
    assert "<img" not in page.split("<main", 1)[1]  # the QR code is inline, nothing fetched
    assert client.get(reverse(DASHBOARD)).status_code == 302  # not before the app is confirmed

    codes = enrol(client)

    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse(DASHBOARD)).status_code == 200
    assert app_device(cast.therapist_a) is not None
    assert StaticToken.objects.filter(device__user=cast.therapist_a).count() == 10


def test_a_wrong_code_does_not_confirm_the_app(cast: Cast) -> None:
    client = client_at()
    password_step(client, "therapist_a")
    client.get(reverse("accounts:second_factor_setup"))
    response = client.post(reverse("accounts:second_factor_setup"), {"code": "000000"})
    assert "did not work" in error_text(response)
    assert app_device(cast.therapist_a) is None
    assert client.get(reverse(DASHBOARD)).status_code == 302


def test_staff_with_an_app_must_type_a_code_before_any_staff_page(cast: Cast) -> None:
    device = give_app_device(cast.therapist_a)
    client = client_at()
    assert password_step(client, "therapist_a")["Location"] == reverse("accounts:second_factor")
    wanted = reverse("staffarea:patient_list")
    blocked = client.get(wanted)
    assert blocked["Location"] == reverse("accounts:second_factor") + "?next=" + wanted.replace(
        "/", "%2F"
    )
    response = client.post(
        reverse("accounts:second_factor"), {"code": next_unused_code(device), "next": wanted}
    )
    assert response["Location"] == wanted
    assert client.get(wanted).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/staff/",
        "/staff/patients/",
        "/clinical/caseload/",
        "/admin/",
        "/admin/login/",
        "/accounts/password/change/",
        "/accounts/security/",
        "/portal/",
        "/",
    ],
)
def test_until_the_code_only_the_second_factor_pages_and_sign_out_open(
    cast: Cast, url: str
) -> None:
    give_app_device(cast.manager)  # the manager may also use the admin site
    client = client_at()
    password_step(client, "manager")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))


def test_sign_out_is_open_before_the_code(cast: Cast) -> None:
    give_app_device(cast.therapist_a)
    client = client_at()
    password_step(client, "therapist_a")
    assert client.get(reverse("accounts:second_factor")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:second_factor"))["Location"].startswith(
        reverse("accounts:login")
    )


def test_a_code_cannot_be_used_twice(cast: Cast) -> None:
    device = give_app_device(cast.therapist_a)
    code = next_unused_code(device)
    first = client_at()
    password_step(first, "therapist_a")
    assert code_step(first, code).status_code == 302

    replay = client_at("192.0.2.99")
    password_step(replay, "therapist_a")
    response = code_step(replay, code)
    assert response.status_code == 200
    assert "did not work" in error_text(response)
    assert replay.get(reverse(DASHBOARD)).status_code == 302


def test_an_older_code_is_refused_after_a_newer_one(cast: Cast) -> None:
    device = give_app_device(cast.therapist_a)
    now = int(time.time()) // 30
    client = client_at()
    password_step(client, "therapist_a")
    assert code_step(client, totp_at(device.bin_key, now + 1)).status_code == 302
    other = client_at()
    password_step(other, "therapist_a")
    assert code_step(other, totp_at(device.bin_key, now)).status_code == 200


def test_a_recovery_code_works_once(cast: Cast) -> None:
    client = client_at()
    password_step(client, "front_desk_a")
    codes = enrol(client)
    client.post(reverse("accounts:logout"))

    client = client_at()
    password_step(client, "front_desk_a")
    assert code_step(client, codes[0].upper()).status_code == 302  # typed in capitals: fine
    assert client.get(reverse(DASHBOARD)).status_code == 200
    client.post(reverse("accounts:logout"))

    client = client_at()
    password_step(client, "front_desk_a")
    assert "did not work" in error_text(code_step(client, codes[0]))
    time.sleep(1.1)  # the recovery codes wait a second after a wrong one
    assert code_step(client, codes[1]).status_code == 302
    assert StaticToken.objects.filter(device__user=cast.front_desk_a).count() == 8


def test_wrong_codes_make_the_next_try_wait(cast: Cast) -> None:
    device = give_app_device(cast.therapist_a)
    client = client_at()
    password_step(client, "therapist_a")
    assert "did not work" in error_text(code_step(client, "000000"))
    response = code_step(client, next_unused_code(device))  # right, but too soon
    assert "Please wait" in error_text(response)
    assert client.get(reverse(DASHBOARD)).status_code == 302


def test_too_many_wrong_codes_sign_the_session_out(cast: Cast, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only the session's own count, for speed
    device = give_app_device(cast.therapist_a)
    client = client_at()
    password_step(client, "therapist_a")
    for _ in range(settings.SECOND_FACTOR_MAX_FAILURES - 1):
        assert code_step(client, "000000").status_code == 200
    assert code_step(client, "000000")["Location"] == reverse("accounts:login")
    assert code_step(client, next_unused_code(device)).status_code == 302
    assert client.get(reverse(DASHBOARD))["Location"].startswith(reverse("accounts:login"))


def test_an_app_cannot_be_swapped_before_the_code(cast: Cast) -> None:
    give_app_device(cast.therapist_a)
    client = client_at()
    password_step(client, "therapist_a")
    response = client.get(reverse("accounts:second_factor_setup"))
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    assert (
        client.post(reverse("accounts:second_factor_setup"), {"code": "123456"}).status_code == 302
    )
    assert TOTPDevice.objects.filter(user=cast.therapist_a).count() == 1


def test_the_admin_sign_in_page_leads_to_the_second_factor_too(cast: Cast) -> None:
    device = give_app_device(cast.manager)
    client = client_at()
    response = client.post(
        reverse("admin:login"), {"username": "manager", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index"))["Location"].startswith(
        reverse("accounts:second_factor")
    )
    code_step(client, next_unused_code(device))
    assert client.get(reverse("admin:index")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(cast: Cast) -> None:
    client = client_at()
    password_step(client, "therapist_a")
    old = enrol(client)
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 200
    new = set(
        StaticToken.objects.filter(device__user=cast.therapist_a).values_list("token", flat=True)
    )
    assert len(new) == 10 and new.isdisjoint(old)


def test_patients_may_turn_it_on_and_off(cast: Cast) -> None:
    patient = cast.patient_p.user
    client = client_at()
    password_step(client, patient.username)
    assert client.get(reverse("portal:home")).status_code == 200  # off by default
    assert b"is <strong>off</strong>" in client.get(reverse("accounts:security")).content
    assert len(enrol(client)) == 10
    client.post(reverse("accounts:logout"))

    client = client_at()
    assert password_step(client, patient.username)["Location"] == reverse("accounts:second_factor")
    assert client.get(reverse("portal:home")).status_code == 302
    device = app_device(patient)
    assert device is not None
    code_step(client, next_unused_code(device))
    assert client.get(reverse("portal:home")).status_code == 200

    turned_off = client.post(
        reverse("accounts:second_factor_disable"), {"code": next_unused_code(device)}
    )
    assert turned_off.status_code == 302
    assert app_device(patient) is None
    again = client_at()
    assert password_step(again, patient.username)["Location"] == reverse("accounts:home")


def test_staff_cannot_turn_it_off(cast: Cast) -> None:
    device = give_app_device(cast.therapist_a)
    client = client_at()
    sign_in_fully(client, cast.therapist_a)
    response = client.post(
        reverse("accounts:second_factor_disable"), {"code": next_unused_code(device)}
    )
    assert response.status_code == 403
    assert app_device(cast.therapist_a) is not None


def test_the_verification_lasts_only_while_the_device_does(cast: Cast) -> None:
    """The test suite's force_login helper leaves a real device behind, checked on each request."""
    client = Client()
    client.force_login(cast.therapist_a)
    assert client.get(reverse(DASHBOARD)).status_code == 200
    TOTPDevice.objects.filter(user=cast.therapist_a).delete()
    assert client.get(reverse(DASHBOARD))["Location"].startswith(
        reverse("accounts:second_factor_setup")
    )


def test_a_code_from_the_app_matches_what_the_site_expects(cast: Cast) -> None:
    """The tests' RFC 6238 phone and django-otp agree (else every test above proves nothing)."""
    device = give_app_device(cast.therapist_a)
    assert device.verify_token(code_now(device.bin_key))
