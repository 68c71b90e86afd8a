"""Every page of the password reset and change flows wears unknot's layout, not the admin's.

The admin app comes first in INSTALLED_APPS and ships registration/password_*.html; these
tests would catch its header coming back on a patient's or a therapist's password page.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.personas import Cast

PASSWORD = "a brand new passphrase 42"


def assert_unknot_layout(response: object, heading: str) -> None:
    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200, response.status_code  # type: ignore[attr-defined]
    assert 'class="site-header"' in page and "Skip to main content" in page
    assert heading in page
    assert "Django administration" not in page and "Django site admin" not in page


@pytest.mark.django_db
def test_the_reset_request_page() -> None:
    response = Client().get(reverse("accounts:password_reset"))
    assert_unknot_layout(response, "Reset your password")


@pytest.mark.django_db
def test_the_reset_sent_page() -> None:
    response = Client().post(
        reverse("accounts:password_reset"), {"email": "nobody@test.example"}, follow=True
    )
    assert_unknot_layout(response, "Check your email")


def reset_link(cast: Cast) -> str:
    user = cast.therapist_a
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:password_reset_confirm", args=[uid, token])


def test_the_choose_a_new_password_page(cast: Cast) -> None:
    response = Client().get(reset_link(cast), follow=True)
    assert_unknot_layout(response, "Choose a new password")
    assert 'name="new_password1"' in response.content.decode()


def test_a_used_reset_link_says_so_in_unknot_layout(cast: Cast) -> None:
    uid = urlsafe_base64_encode(force_bytes(cast.therapist_a.pk))
    response = Client().get(reverse("accounts:password_reset_confirm", args=[uid, "wrong-token"]))
    assert_unknot_layout(response, "already been used or has expired")


def test_the_reset_complete_page(cast: Cast) -> None:
    client = Client()
    form = client.get(reset_link(cast), follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    assert_unknot_layout(response, "Your password has been changed")


def test_the_change_page(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.patient_p.user)
    assert_unknot_layout(client.get(reverse("accounts:password_change")), "Change your password")


def test_the_change_done_page(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.patient_p.user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "correct horse battery staple",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
        },
        follow=True,
    )
    assert_unknot_layout(response, "Your password has been changed")


def test_the_admin_keeps_its_own_password_change_page(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.manager)  # a manager may use the admin for their clinics
    page = client.get(reverse("admin:password_change"))
    assert page.status_code == 200
    assert 'class="site-header"' not in page.content.decode()
