"""Making and revoking tokens: the page (staff and patients) and the `api_token` command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from unknot.api.models import ApiToken
from unknot.api.tokens import user_from_bearer


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("persona", ["therapist_a", "auditor", "patient_p"])
def test_a_person_makes_a_token_and_sees_it_once(cast: Cast, persona: str) -> None:
    user = cast.users[persona]
    client = signed_in(user)
    made = client.post(reverse("api:tokens"), {"name": "my script"})
    assert made.status_code == 200
    token = made.context["new_token"]
    assert token in made.content.decode() and user_from_bearer(f"Bearer {token}") == user
    later = client.get(reverse("api:tokens")).content.decode()
    assert "my script" in later and token not in later and token[:10] in later
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/appointments/")
    assert api.status_code == 200


def test_a_token_needs_a_name(cast: Cast) -> None:
    response = signed_in(cast.therapist_a).post(reverse("api:tokens"), {"name": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_revoking_from_the_page(cast: Cast) -> None:
    client = signed_in(cast.front_desk_a)
    token = client.post(reverse("api:tokens"), {"name": "tablet"}).context["new_token"]
    row = ApiToken.objects.get()
    response = client.post(reverse("api:token_revoke", kwargs={"token_id": row.pk}))
    assert response.status_code == 302
    assert user_from_bearer(f"Bearer {token}") is None
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/appointments/")
    assert api.status_code == 401


def test_nobody_revokes_someone_elses_token(cast: Cast) -> None:
    token = signed_in(cast.therapist_a).post(reverse("api:tokens"), {"name": "x"})
    row = ApiToken.objects.get()
    url = reverse("api:token_revoke", kwargs={"token_id": row.pk})
    assert signed_in(cast.therapist_b).post(url).status_code == 404
    assert user_from_bearer(f"Bearer {token.context['new_token']}") == cast.therapist_a


def test_the_command_prints_a_working_token(cast: Cast) -> None:
    out = io.StringIO()
    call_command("api_token", "therapist_a", "--name", "night import", stdout=out)
    token = out.getvalue().strip()
    assert user_from_bearer(f"Bearer {token}") == cast.therapist_a
    assert ApiToken.objects.get().name == "night import"


def test_the_command_refuses_an_unknown_user(cast: Cast) -> None:
    with pytest.raises(CommandError, match="No active user"):
        call_command("api_token", "nobody", "--name", "x")
