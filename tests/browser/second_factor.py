"""Browser tests: answer the second step of signing in as a person with the app would.

Call `pass_second_factor(page, user)` right after clicking "Sign in" for a member of staff
(or a patient who turned two-factor sign-in on). When the page asks for a code it types one
computed from the device's secret, like the person's phone; when it asks to set up an app
(a first sign-in) it reads the key shown on the page, confirms it, and continues past the
recovery codes. On any other page it does nothing, so it is safe to call for everyone.
"""

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.totp import code_now, key_from_secret_text, next_unused_code
from unknot.accounts.second_factor import app_device, give_app_device, is_staff_like


def _user(user: Any) -> Any:
    if isinstance(user, str):
        return get_user_model().objects.get(username=user)
    return user


def pass_second_factor(page: Any, user: Any) -> None:
    page.wait_for_load_state()
    path = urlsplit(page.url).path
    if path == reverse("accounts:second_factor"):
        device = app_device(_user(user))
        assert device is not None, "asked for a code, but the person has no app"
        page.get_by_label("Code", exact=True).fill(next_unused_code(device))
        page.get_by_role("button", name="Continue").click()
    elif path == reverse("accounts:second_factor_setup"):
        secret = page.locator("#totp-secret").inner_text()
        page.get_by_label("Code from the app").fill(code_now(key_from_secret_text(secret)))
        page.get_by_role("button", name="Confirm").click()
        page.get_by_role("link", name="I have saved them, continue").click()
    page.wait_for_load_state()


def give_staff_devices() -> dict[str, Any]:
    """A confirmed app for every member of staff (and admin user) now in the database.

    For tests that would rather not go through the set-up pages on a first sign-in:
    call it after the cast or the demo is loaded. Returns username -> device.
    """
    users = get_user_model().objects.select_related("staff_member")
    return {u.username: give_app_device(u) for u in users if is_staff_like(u)}
