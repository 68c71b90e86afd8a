"""Failed sign-ins are throttled per account and address, per account, and per address.

Small limits keep the tests short: 2 free failures per account and address, 4 per account
from anywhere, 6 per address over all accounts.
"""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from tests.accounts.flows import (
    WRONG,
    client_at,
    code_step,
    error_text,
    password_step,
    sign_in_fully,
)
from tests.personas import Cast
from unknot.accounts.models import SignInCounter, TrustedAddress
from unknot.accounts.second_factor import give_app_device

ATTACKER = "203.0.113.66"
OWNER_HOME = "198.51.100.7"


@pytest.fixture(autouse=True)
def small_limits(settings: Any) -> None:
    settings.SIGN_IN_FREE_FAILURES = 2
    settings.SIGN_IN_ACCOUNT_LIMIT = 4
    settings.SIGN_IN_ADDRESS_LIMIT = 6
    settings.SIGN_IN_MAX_DELAY_SECONDS = 60
    settings.SIGN_IN_WINDOW_MINUTES = 60


def fail(username: str, address: str, **extra: Any) -> Any:
    return password_step(client_at(address), username, WRONG, **extra)


def signs_in(username: str, address: str) -> bool:
    response = password_step(client_at(address), username)
    return response.status_code == 302


def refused(response: Any) -> bool:
    return response.status_code == 429 and "Too many unsuccessful attempts" in error_text(response)


def trust(username: str, address: str) -> None:
    """The owner completes a sign-in from `address` once (password, then the code)."""
    user = get_user_model().objects.get(username=username)
    give_app_device(user)
    sign_in_fully(client_at(address), user)


def age_all_counters(minutes: int) -> None:
    SignInCounter.objects.update(
        last_failure_at=F("last_failure_at") - dt.timedelta(minutes=minutes),
        blocked_until=F("blocked_until") - dt.timedelta(minutes=minutes),
    )


def test_one_address_slows_down_after_the_free_failures(cast: Cast) -> None:
    for _ in range(2):
        assert fail("therapist_a", ATTACKER).status_code == 200
    third = fail("therapist_a", ATTACKER)
    assert third.status_code == 200 and "correct username and password" in error_text(third)
    # Now that address must wait, even with the right password: it is not even checked.
    assert refused(password_step(client_at(ATTACKER), "therapist_a"))
    # Only that address: the owner elsewhere signs in.
    assert signs_in("therapist_a", OWNER_HOME)


def test_the_delay_doubles_and_has_a_ceiling(cast: Cast, settings: Any) -> None:
    settings.SIGN_IN_ACCOUNT_LIMIT = settings.SIGN_IN_ADDRESS_LIMIT = 100  # the pair's delay alone
    delays = []
    for _ in range(9):
        fail("therapist_a", ATTACKER)
        row = SignInCounter.objects.get(scope="pair")
        if row.blocked_until is not None:
            delays.append(round((row.blocked_until - row.last_failure_at).total_seconds()))
        SignInCounter.objects.filter(scope="pair").update(blocked_until=None)
    assert delays == [2, 4, 8, 16, 32, 60, 60]


def test_rotating_addresses_against_one_account_is_stopped(cast: Cast) -> None:
    for n in range(4):
        fail("therapist_a", f"203.0.113.{n + 1}")
    assert refused(password_step(client_at("203.0.113.200"), "therapist_a"))


def test_the_owner_still_signs_in_from_an_address_they_used_before(cast: Cast) -> None:
    trust("therapist_a", OWNER_HOME)
    for n in range(6):
        fail("therapist_a", f"203.0.113.{n + 1}")
    assert refused(password_step(client_at("203.0.113.200"), "therapist_a"))
    assert signs_in("therapist_a", OWNER_HOME)


def test_a_blocked_account_opens_again_after_the_window(cast: Cast) -> None:
    for n in range(4):
        fail("therapist_a", f"203.0.113.{n + 1}")
    assert not signs_in("therapist_a", "203.0.113.200")
    age_all_counters(61)
    assert signs_in("therapist_a", "203.0.113.200")


def test_one_address_spraying_many_accounts_is_stopped(cast: Cast) -> None:
    for username in ("therapist_a", "front_desk_a", "therapist_b", "manager", "auditor", "x"):
        fail(username, ATTACKER)
    assert refused(password_step(client_at(ATTACKER), "someone_else"))
    assert signs_in("therapist_b", OWNER_HOME)  # the same account from elsewhere: fine


def test_one_attacker_cannot_lock_the_whole_clinic_out(cast: Cast) -> None:
    clinic_staff = ["therapist_a", "front_desk_a", "manager", "auditor"]
    clinic_address = "198.51.100.20"  # the clinic's one public address, shared by everyone
    for username in clinic_staff:
        trust(username, clinic_address)
    # An attacker elsewhere rotates addresses over every account; another one sits on the
    # clinic's own network, so shares its address.
    for n in range(5):
        for username in clinic_staff:
            fail(username, f"203.0.113.{n + 1}")
    for _ in range(2):  # 8 failures: past the per-address limit of 6
        for username in clinic_staff:
            fail(username, clinic_address)
    for username in clinic_staff:
        assert signs_in(username, clinic_address), username


def test_a_forged_forwarded_for_header_does_not_change_the_address(cast: Cast) -> None:
    for n in range(3):
        fail("therapist_a", ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}", HTTP_X_REAL_IP="10.9.9.9")
    response = password_step(client_at(ATTACKER), "therapist_a", HTTP_X_FORWARDED_FOR="10.0.0.250")
    assert refused(response)


def test_a_forged_header_cannot_borrow_a_trusted_address(cast: Cast) -> None:
    trust("therapist_a", OWNER_HOME)
    for n in range(4):
        fail("therapist_a", f"203.0.113.{n + 1}", HTTP_X_FORWARDED_FOR=OWNER_HOME)
    response = password_step(client_at(ATTACKER), "therapist_a", HTTP_X_FORWARDED_FOR=OWNER_HOME)
    assert refused(response)


def test_unknown_usernames_are_throttled_exactly_like_real_ones(cast: Cast) -> None:
    answers = {}
    for username in ("therapist_a", "nobody_here"):
        for _ in range(3):
            fail(username, ATTACKER)
        response = password_step(client_at(ATTACKER), username, WRONG)
        answers[username] = (response.status_code, error_text(response))
    assert answers["therapist_a"] == answers["nobody_here"]
    assert answers["therapist_a"][0] == 429


def test_counters_keep_neither_usernames_nor_addresses(cast: Cast) -> None:
    fail("my secret passphrase", ATTACKER)  # typed into the username field by mistake
    trust("therapist_a", OWNER_HOME)
    counters = SignInCounter.objects.values_list("key", flat=True)
    trusted = TrustedAddress.objects.values_list("key", flat=True)
    stored = " ".join([*counters, *trusted])
    for text in ("secret", "passphrase", ATTACKER, OWNER_HOME, "therapist_a"):
        assert text not in stored


def test_a_completed_sign_in_clears_that_address_count(cast: Cast) -> None:
    fail("therapist_a", OWNER_HOME)
    fail("therapist_a", OWNER_HOME)
    trust("therapist_a", OWNER_HOME)
    assert not SignInCounter.objects.filter(scope="pair").exists()
    assert fail("therapist_a", OWNER_HOME).status_code == 200


def test_wrong_second_factor_codes_count_as_failures(cast: Cast, settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    give_app_device(cast.therapist_a)
    client = client_at(ATTACKER)
    password_step(client, "therapist_a")
    for _ in range(3):
        code_step(client, "000000")
    assert refused(password_step(client_at(ATTACKER), "therapist_a"))


def test_the_sign_in_page_names_the_wait_in_minutes(cast: Cast) -> None:
    for n in range(4):
        fail("therapist_a", f"203.0.113.{n + 1}")
    response = password_step(client_at(ATTACKER), "therapist_a")
    assert "Please wait 60 minutes" in error_text(response)
