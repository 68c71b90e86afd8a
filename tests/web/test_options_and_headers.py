"""Every URL, every persona: OPTIONS answers like the URL's declaration, and every answer
carries the site's Permissions-Policy and Cross-Origin-Opener-Policy.

OPTIONS asks which methods a URL takes. Whoever the URL's access declaration admits gets 200
with `Allow`, never a 403 (a POST-only action included); anyone else gets what another
method gets: the sign-in page, 401 from the APIs, or 403.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.personas import Cast
from tests.web.every_url import EveryUrl, every_url_for_a_module
from tests.web.matrix_support import PERSONAS
from tests.web.test_access_matrix import MATRIX, client_for
from tests.web.urlwalk import walk
from unknot.accounts.access import AccessRule
from unknot.api.access import ApiRule
from unknot.config.headers import permissions_policy

VIEWS = {route.name: route.callback for route in walk()}
STAFF_ROLE = {
    "therapist_a": "therapist",
    "front_desk_a": "front_desk",
    "therapist_b": "therapist",
    "manager": "manager",
    "auditor": "auditor",
    "biller_a": "biller",
}
POLICY = permissions_policy(settings.PERMISSIONS_POLICY)


def may_use(rule: AccessRule, persona: str) -> bool:
    """Whether the declaration lets `persona` use the URL at all (any method, any object)."""
    if rule.audience == "public":
        return True
    if persona == "anonymous":
        return False
    role = STAFF_ROLE.get(persona)
    if isinstance(rule, ApiRule):
        return role in rule.roles if role else rule.patients_read or rule.patients_write
    if rule.audience == "signed_in":
        return True
    if rule.audience == "staff":
        return role in rule.roles
    return role is None  # "patient": the portal's people


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[EveryUrl]:
    """The cast and every URL with the access matrix's arguments, made once for the module."""
    with every_url_for_a_module(django_db_blocker) as made:
        yield made


@pytest.fixture
def cast(site: EveryUrl, db: None) -> Cast:
    """The module's cast (tests/conftest.py's would repeat its usernames)."""
    return site.cast


def assert_site_headers(response: Any, what: str) -> None:
    assert response.get("Permissions-Policy") == POLICY, what
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", what


def other_method(client: Client, url: str, expected_get: Any) -> Any:
    """The answer to a method the URL takes: GET, or POST where GET is 405 for everyone."""
    if expected_get == 405:
        return client.post(url)  # refused before any view runs: nothing changes
    return client.get(url)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_options_answers_whoever_may_use_the_url(site: EveryUrl, cast: Cast, name: str) -> None:
    url, rule = site.urls[name], VIEWS[name].access_rule
    for persona in PERSONAS:
        client, expected_get = client_for(cast, persona), MATRIX[name][1][persona]
        answer = client.options(url)
        what = f"{persona} OPTIONS {url}"
        assert_site_headers(answer, what)
        if may_use(rule, persona):
            assert answer.status_code == 200, what
            allowed = {method.strip() for method in answer["Allow"].split(",")}
            assert "OPTIONS" in allowed, what
            assert ("GET" in allowed) == (expected_get != 405), what
            assert answer.content == b"", what
            continue
        other = other_method(client, url, expected_get)
        assert answer.status_code == other.status_code != 200, what
        assert answer.get("Location") == other.get("Location"), what


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_carries_the_permissions_and_opener_policies(
    site: EveryUrl, cast: Cast, persona: str
) -> None:
    client = client_for(cast, persona)
    for url in site.urls.values():
        assert_site_headers(client.get(url), f"{persona} GET {url}")


def test_the_api_docs_page_has_the_sites_opener_policy(cast: Cast) -> None:
    """drf-spectacular's page asks for `unsafe-none`; unknot's DocsView takes that back."""
    response = Client().get(reverse("api:docs"))
    assert response.status_code == 200
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == POLICY


def test_the_policy_denies_the_powerful_features() -> None:
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in POLICY.split(", ")


def test_options_on_a_post_only_api_action_answers_who_may_post(cast: Cast) -> None:
    """Moving an appointment is POST only: a therapist may, the auditor may not."""
    url = reverse("api:appointment_move", kwargs={"id": "1"})
    answer = client_for(cast, "therapist_a").options(url)
    assert answer.status_code == 200
    assert answer["Allow"] == "POST, OPTIONS"
    assert client_for(cast, "auditor").options(url).status_code == 403
    assert Client().options(url).status_code == 401


def test_options_on_a_page_names_its_methods_or_sends_to_sign_in(cast: Cast) -> None:
    url = reverse("booking:staff_feeds")
    answer = client_for(cast, "therapist_a").options(url)
    assert (answer.status_code, answer["Allow"]) == (200, "GET, POST, OPTIONS")
    assert client_for(cast, "front_desk_a").options(url).status_code == 403
    anonymous = Client().options(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login") + "?next=")
