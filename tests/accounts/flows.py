"""Signing in through the real pages, as a person would, for the sign-in tests."""

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accounts.totp import code_now, key_from_secret_text, next_unused_code
from unknot.accounts.second_factor import app_device

WRONG = "not the password"


def client_at(address: str = "192.0.2.10") -> Client:
    """A browser at one network address (REMOTE_ADDR, what the server sees)."""
    return Client(REMOTE_ADDR=address)


def password_step(
    client: Client, username: str, password: str = factories.PASSWORD, **extra: Any
) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def code_step(client: Client, code: str) -> Any:
    return client.post(reverse("accounts:second_factor"), {"code": code})


def enrol(client: Client) -> list[str]:
    """On the set-up page: read the key, type the code the app would show; the codes shown."""
    page = client.get(reverse("accounts:second_factor_setup")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert secret, page
    response = client.post(
        reverse("accounts:second_factor_setup"),
        {"code": code_now(key_from_secret_text(secret.group(1)))},
    )
    assert response.status_code == 200, response.content
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())


def sign_in_fully(client: Client, user: Any) -> None:
    """Password, then a fresh code from the person's app."""
    assert password_step(client, user.username)["Location"] == reverse("accounts:second_factor")
    device = app_device(user)
    assert device is not None
    response = code_step(client, next_unused_code(device))
    assert response.status_code == 302, response.content


def error_text(response: Any) -> str:
    """The messages a page shows in its alerts (what the person reads)."""
    found = re.findall(r'role="alert">(.*?)</(?:div|span)>', response.content.decode(), re.S)
    return " ".join(" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in found)
