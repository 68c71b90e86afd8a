"""A refused sign-in says the same for an unknown username as for a known one.

Same message and status, and the same work: Django's ModelBackend hashes the typed password
with the default hasher (Argon2) even when no such user exists, so the answer takes about as
long. Counting the hasher's runs shows that without a flaky stopwatch.
"""

import re
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

from tests.accounts.flows import WRONG, client_at, error_text, password_step
from tests.personas import Cast


def visible_answer(response: Any) -> tuple[int, str, str]:
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r'id="id_username"[^>]*>', "", page)  # echoes what was typed
    return response.status_code, error_text(response), page


@pytest.fixture
def argon2_account(cast: Cast) -> Any:
    user = cast.therapist_a
    user.password = make_password("a real passphrase for this test")  # Argon2, as in production
    user.save()
    return user


def test_unknown_and_known_usernames_get_the_same_page(argon2_account: Any) -> None:
    known = password_step(client_at(), argon2_account.username, WRONG)
    unknown = password_step(client_at(), "no_such_person", WRONG)
    assert visible_answer(known) == visible_answer(unknown)
    assert known.status_code == 200
    assert "Please enter a correct username and password" in error_text(known)


def test_an_inactive_account_gets_the_same_page_too(argon2_account: Any) -> None:
    argon2_account.is_active = False
    argon2_account.save()
    right_password = password_step(
        client_at(), argon2_account.username, "a real passphrase for this test"
    )
    unknown = password_step(client_at(), "no_such_person", "a real passphrase for this test")
    assert visible_answer(right_password)[:2] == visible_answer(unknown)[:2]


def count_argon2(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    encode, verify = Argon2PasswordHasher.encode, Argon2PasswordHasher.verify

    def counted_encode(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append("encode")
        return encode(self, *args, **kwargs)

    def counted_verify(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append("verify")
        return verify(self, *args, **kwargs)

    monkeypatch.setattr(Argon2PasswordHasher, "encode", counted_encode)
    monkeypatch.setattr(Argon2PasswordHasher, "verify", counted_verify)
    return calls


def test_an_unknown_username_costs_one_argon2_hash_like_a_known_one(
    argon2_account: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_argon2(monkeypatch)
    password_step(client_at(), argon2_account.username, WRONG)
    assert calls == ["verify"]
    calls.clear()
    password_step(client_at(), "no_such_person", WRONG)
    assert calls == ["encode"]
