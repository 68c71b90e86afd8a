"""Sign-in, sign-out, password reset through a real SMTP server, idle sessions."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accounts.totp import next_unused_code
from tests.personas import Cast
from unknot.accounts.second_factor import give_app_device


def sign_in(client: Client, username: str, password: str = factories.PASSWORD) -> object:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_staff_sign_in_lands_in_the_staff_area_after_the_second_factor(cast: Cast) -> None:
    device = give_app_device(cast.therapist_a)
    client = Client()
    response = sign_in(client, "therapist_a")
    assert response["Location"] == reverse("accounts:second_factor")
    response = client.post(response["Location"], {"code": next_unused_code(device)})
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0] == reverse(
        "staffarea:dashboard"
    )


def test_patient_sign_in_lands_in_the_portal(cast: Cast) -> None:
    client = Client()
    sign_in(client, cast.patient_p.user.username)
    response = client.get(reverse("accounts:home"))
    assert response["Location"] == reverse("portal:home")


def test_wrong_password_says_so_and_stays_signed_out(cast: Cast) -> None:
    client = Client()
    response = sign_in(client, "therapist_a", "wrong password")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert client.get(reverse("staffarea:dashboard")).status_code == 302


def test_sign_in_upgrades_the_stored_hash_to_argon2(cast: Cast) -> None:
    sign_in(Client(), "therapist_a")
    cast.therapist_a.refresh_from_db()
    assert cast.therapist_a.password.startswith("argon2")


def test_sign_out_ends_the_session(cast: Cast) -> None:
    client = Client()
    sign_in(client, "therapist_a")
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("staffarea:dashboard")).status_code == 302


def test_staff_sessions_expire_after_the_idle_timeout(cast: Cast, settings: object) -> None:
    client = Client()
    client.force_login(cast.therapist_a)
    client.get(reverse("staffarea:dashboard"))
    assert client.session.get_expiry_age() == 15 * 60


def test_patient_sessions_use_the_patient_timeout(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.patient_p.user)
    client.get(reverse("portal:home"))
    assert client.session.get_expiry_age() == 30 * 60


@pytest.mark.django_db(transaction=True)  # the worker runs in its own transactions
def test_password_reset_by_email_through_smtp(cast: Cast, smtp_inbox: object) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:password_reset"), {"email": "therapist_a@test.example"}
    )
    assert response.status_code == 302
    assert smtp_inbox.messages == []  # type: ignore[attr-defined]  # the worker sends it
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    (message,) = smtp_inbox.messages  # type: ignore[attr-defined]
    assert message["To"] == "therapist_a@test.example"
    assert message["Subject"] == "Choose a new password for testserver"  # ours, not Django's
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.get_content())
    assert link, message.get_content()
    form_page = client.get(link.group(1), follow=True)
    new_password = "a brand new passphrase 42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert sign_in(Client(), "therapist_a", new_password)["Location"]  # type: ignore[index]


@pytest.mark.django_db(transaction=True)  # the worker runs in its own transactions
def test_password_reset_for_an_unknown_address_looks_the_same(
    cast: Cast, smtp_inbox: object
) -> None:
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@test.example"})
    assert response.status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    assert smtp_inbox.messages == []  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_login_page_has_labelled_fields() -> None:
    page = Client().get(reverse("accounts:login")).content.decode()
    assert '<label for="id_username">' in page and '<label for="id_password">' in page
