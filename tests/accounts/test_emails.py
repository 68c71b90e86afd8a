"""A person's email address: the shared rules, the mailer's view of them, the login name."""

from typing import Any

import pytest
from django import forms
from django.core.mail.backends.smtp import EmailBackend

from tests import factories
from tests.accounts.flows import WRONG, client_at, password_step
from unknot.accounts.emails import (
    INVALID,
    NOT_LATIN,
    TOO_LONG,
    EmailAddressField,
    username_for,
)


def address_of(length: int, local: str = "rosa.marsh") -> str:
    """A well-formed address of exactly `length` characters (domain labels under 63)."""
    room = length - len(local) - len("@example.org")
    labels = []  # "xx...x." pieces, each at most 61 characters
    while room > 0:
        size = min(room, 61)
        if room - size == 1:  # never leave a lone dot for the last piece
            size -= 1
        labels.append("x" * (size - 1) + ".")
        room -= size
    address = f"{local}@{''.join(labels)}example.org"
    assert len(address) == length, (len(address), length)
    return address


class Form(forms.Form):
    email = EmailAddressField(error_messages={"invalid": INVALID})


def errors(value: str) -> list[str]:
    form = Form({"email": value})
    return [] if form.is_valid() else list(form.errors["email"])


NOT_ASCII_BEFORE_THE_AT = [
    "jos\u00e9@example.org",  # é: Django refuses it too, with the wrong words
    "\u212aate@example.org",  # the Kelvin sign: Django's case-blind check takes it for K
    "ro\u017fa@example.org",  # long s, taken for s
    "\u0131van@example.org",  # dotless i, taken for i
]


@pytest.mark.parametrize("value", NOT_ASCII_BEFORE_THE_AT)
def test_a_non_latin_local_part_gets_the_plain_message(value: str) -> None:
    assert errors(value) == [NOT_LATIN]


@pytest.mark.parametrize("length", [255, 300, 320, 400])
def test_longer_than_254_gets_one_message(length: int) -> None:
    assert errors(address_of(length)) == [TOO_LONG]


@pytest.mark.parametrize("length", [6 + 13, 150, 151, 254])
def test_up_to_254_is_taken(length: int) -> None:
    assert errors(address_of(length, local="r")) == []


def test_the_input_says_how_long_it_may_be() -> None:
    assert 'maxlength="254"' in str(Form()["email"])


def test_an_international_domain_is_kept_as_typed() -> None:
    form = Form({"email": "rosa@b\u00fccher.example"})
    assert form.is_valid() and form.cleaned_data["email"] == "rosa@b\u00fccher.example"


def test_a_domain_that_has_no_ascii_form_or_outgrows_254_is_refused() -> None:
    assert errors("rosa@" + "\u00fc" * 60 + ".example") == [INVALID]  # over 63 once encoded
    # 244 characters as typed, more than 254 in the form the mailer sends
    grows = "r@" + ".".join(["\u00fc" * 20] * 10) + ".example.org"
    assert len(grows) <= 254 and errors(grows) == [TOO_LONG]


@pytest.mark.parametrize(
    "value",
    [
        *NOT_ASCII_BEFORE_THE_AT,
        "rosa@b\u00fccher.example",
        "o'brien+back@example.org",
        "rosa.marsh@example.org",
        address_of(254, local="r"),
    ],
)
def test_what_we_accept_is_what_the_smtp_mailer_can_address(value: str) -> None:
    """Our rule and Django's SMTP backend (no SMTPUTF8) agree on every address."""
    try:
        EmailBackend(alias="probe", host="localhost", port=25).prep_address(value)
        deliverable = True
    except ValueError:
        deliverable = False
    assert (errors(value) == []) == deliverable


def test_a_login_name_fits_a_username_and_is_stable() -> None:
    short = address_of(150)
    assert username_for(short) == short
    long = address_of(254)
    name = username_for(long)
    assert len(name) == 150 and name == username_for(long) and name.startswith(long[:120])
    assert username_for(long, "-2") != name and len(username_for(long, "-2")) == 150
    assert username_for(address_of(254, local="s")) != name


# --- signing in with the email ----------------------------------------------------------------


def portal_user(email: str, **fields: Any) -> Any:
    return factories.user(username_for(email), email=email, **fields)


@pytest.mark.django_db
def test_an_address_longer_than_a_username_signs_in_with_the_email() -> None:
    email = address_of(200)
    user = portal_user(email)
    assert user.username != email
    response = password_step(client_at(), email.upper())
    assert response.status_code == 302
    assert password_step(client_at(), email, WRONG).status_code == 200


@pytest.mark.django_db
def test_a_login_name_that_is_not_the_email_signs_in_with_the_email() -> None:
    """E.g. a suffixed one, made when the address was already someone's username."""
    factories.user("nina@example.org-2", email="nina@example.org")
    assert password_step(client_at(), "Nina@Example.org").status_code == 302
    # A username wins over an email address: it is checked as typed, as before.
    owner = factories.user("rosa@example.org", email="rosa.other@example.org")
    factories.user("rosa@example.org-2", email="rosa@example.org")
    client = client_at()
    assert password_step(client, "rosa@example.org").status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.django_db
def test_the_email_and_the_login_name_share_one_throttle(settings: Any) -> None:
    settings.SIGN_IN_FREE_FAILURES = 2
    settings.SIGN_IN_ACCOUNT_LIMIT = 2
    email = address_of(200)
    portal_user(email)
    for _ in range(2):
        password_step(client_at("192.0.2.1"), email, WRONG)
    # the login name is counted as the same account, from another address too
    assert password_step(client_at("192.0.2.2"), username_for(email)).status_code == 429
