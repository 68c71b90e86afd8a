"""CSRF: a signed-in person's browser, made to POST by another site, changes nothing.

Every URL of the site (the same walk as the access matrix, so new URLs are covered by
themselves) gets a POST from a signed-in session without a CSRF token, as someone who may
write there. The answer must be 403, or 405 for a URL that takes no POST even with a token,
and no row of any of our tables may have changed. The REST API and FHIR accept a session
too, so they must ask for the token as well; a bearer token (no cookies, nothing a browser
sends by itself) is exempt by design, which the last tests show.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from tests.web.every_url import EveryUrl, every_url_for_a_module
from tests.web.urlwalk import walk

ROUTES = sorted((route.name, route.callback) for route in walk())


def our_row_counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m.__module__.startswith("unknot.")]
    return {m._meta.label: m._default_manager.count() for m in models}


def writer_for(rule: Any) -> str:
    """Someone the URL's access declaration lets write (or at least in), so only CSRF stops them."""
    if rule.audience == "patient":
        return "patient_p"
    roles = getattr(rule, "write_roles", None) or rule.roles
    if getattr(rule, "patients_write", False) and not roles:
        return "patient_p"
    for persona, role in (("therapist_a", "therapist"), ("manager", "manager"),
                          ("front_desk_a", "front_desk")):  # fmt: skip
        if not roles or role in roles:
            return persona
    return "therapist_a"


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[EveryUrl]:
    """The cast, one practice and every URL with the access matrix's arguments, made once for
    the module; each test runs in its own savepoint, so a POST that got through is undone."""
    with every_url_for_a_module(django_db_blocker) as made:
        yield made


@pytest.fixture
def cast(site: EveryUrl, db: None) -> Cast:
    """The module's cast (tests/conftest.py's would repeat its usernames)."""
    return site.cast


def signed_in(cast: Cast, persona: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users[persona])
    return client


def with_token(client: Client) -> dict[str, str]:
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    return {"HTTP_X_CSRFTOKEN": secret}


@pytest.mark.parametrize(("name", "callback"), ROUTES, ids=[name for name, _ in ROUTES])
def test_a_post_without_a_token_is_refused_and_changes_nothing(
    site: EveryUrl, cast: Cast, name: str, callback: Any
) -> None:
    persona = writer_for(callback.access_rule)
    url = site.urls[name]
    client = signed_in(cast, persona)
    before = our_row_counts()

    forged = client.post(url, {"reason": "forged", "status": "cancelled"})

    assert our_row_counts() == before, f"a forged POST to {url} changed rows"
    if forged.status_code == 405:
        honest = client.post(url, {}, **with_token(client))
        assert honest.status_code == 405, f"{url} takes a POST with a token but not without"
    else:
        assert forged.status_code == 403, f"{persona} POST {url} without a token"


def test_the_session_must_send_a_token_to_the_rest_api(site: EveryUrl, cast: Cast) -> None:
    world = site.world
    url = reverse("api:appointment_cancel", kwargs={"id": world.p.appointment})
    client = signed_in(cast, "front_desk_a")
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.content.decode()
    allowed = client.post(url, {}, content_type="application/json", **with_token(client))
    assert allowed.status_code != 403  # past the CSRF check: the API answers the request itself


def test_the_session_must_send_a_token_to_fhir(site: EveryUrl, cast: Cast) -> None:
    world = site.world
    url = reverse("fhir:appointment_instance", kwargs={"resource_id": world.p.appointment})
    client = signed_in(cast, "front_desk_a")
    patch = [{"op": "replace", "path": "/status", "value": "cancelled"}]
    refused = client.patch(url, patch, content_type="application/json-patch+json")
    assert refused.status_code == 403
    assert "CSRF" in refused.content.decode()
    allowed = client.patch(
        url, patch, content_type="application/json-patch+json", **with_token(client)
    )
    assert allowed.status_code != 403, allowed.content


def test_a_bearer_token_needs_no_csrf_token(site: EveryUrl, cast: Cast) -> None:
    """Nothing a browser sends by itself: another site cannot make it send this header."""
    world = site.world
    bearer = f"Bearer {world.tokens['front_desk_a']}"
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=bearer)
    url = reverse("api:appointment_cancel", kwargs={"id": world.p.appointment})
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code != 403, response.content
