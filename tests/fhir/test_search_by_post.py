"""POST [type]/_search: every search also takes its parameters in a form body, and the ones
that identify a person (Patient name and birthdate) are taken only that way, never in a URL,
where server logs, proxies, browser history and Referer headers would keep them."""

from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from tests import factories
from tests.fhir.conftest import FORM, as_user, fhir, ids, outcome, search
from unknot.api.tokens import token_create
from unknot.fhir.registry import REGISTRY, capability_statement
from unknot.fhir.views import context

SEARCHABLE = sorted(name for name, kind in REGISTRY.items() if kind.search is not None)


def links(bundle: dict) -> dict[str, str]:
    return {link["relation"]: link["url"] for link in bundle["link"]}


@pytest.mark.parametrize("resource_type", SEARCHABLE)
def test_every_search_answers_the_same_by_post(cast, resource_type):
    client = as_user(cast.therapist_a)
    by_get = client.get(f"/fhir/{resource_type}")
    by_post = search(client, resource_type, {})
    assert by_post.status_code == by_get.status_code  # Slot needs a schedule: 400 both ways
    if by_get.status_code == 200:
        got, posted = fhir(by_get), fhir(by_post)
        assert (posted.get("total"), ids(posted)) == (got.get("total"), ids(got))


def test_a_name_or_birthdate_in_a_url_is_refused_and_points_to_post_search(cast):
    client = as_user(cast.therapist_a)
    for query in ({"name": "Parker"}, {"birthdate": "1985-05-17"}, {"name": "Parker", "_count": 5}):
        message = outcome(client.get("/fhir/Patient", query), 400)
        assert "POST Patient/_search" in message
        assert "Parker" not in message and "1985" not in message  # the value is not repeated
        outcome(
            client.post("/fhir/Patient/_search?" + urlencode(query), "", content_type=FORM), 400
        )


def test_a_practitioner_or_clinic_name_may_stay_in_the_url(cast):
    """Staff and clinic names are the public directory (the booking pages show them)."""
    client = as_user(cast.patient_p.user)
    assert fhir(client.get("/fhir/Location", {"name": "birch"}))["total"] == 1
    assert fhir(client.get("/fhir/Practitioner", {"name": "a"}))["resourceType"] == "Bundle"


def test_paging_links_of_a_name_search_carry_only_the_page(cast):
    for n in range(5):
        factories.patient(f"Pat{n}", "Pinewood", cast.clinic_a)
    client = as_user(cast.therapist_a)
    body = {"name": "pinewood", "_count": "2"}
    first = fhir(search(client, "Patient", body))
    assert first["total"] == 5 and len(first["entry"]) == 2
    found = links(first)
    assert set(found) == {"self", "next"}
    for url in found.values():
        assert "pinewood" not in url.lower()
        assert urlsplit(url).path == "/fhir/Patient/_search"
    # Following a link: the same body again, POSTed to it; its page wins over the body's.
    second = fhir(search_at(client, found["next"], body))
    assert len(second["entry"]) == 2 and not set(ids(first)) & set(ids(second))
    assert "previous" in links(second)


def test_a_search_without_identifying_values_keeps_plain_get_links(cast):
    client = as_user(cast.therapist_a)
    bundle = fhir(search(client, "Appointment", {"status": "booked", "_count": "1"}))
    assert urlsplit(links(bundle)["self"]).path == "/fhir/Appointment"
    assert "status=booked" in links(bundle)["self"]


def test_parameters_in_the_body_and_the_url_are_one_search(cast):
    factories.patient("Paula", "Pine", cast.clinic_a, date_of_birth=factories.dt.date(1990, 1, 2))
    client = as_user(cast.front_desk_a)
    response = client.post("/fhir/Patient/_search?_count=1", "name=pa", content_type=FORM)
    bundle = fhir(response)
    assert bundle["total"] == 2 and len(bundle["entry"]) == 1
    unknown = outcome(search(client, "Patient", {"family": "Pine"}), 400)
    assert "family" in unknown


def test_the_body_must_be_a_form(cast):
    client = as_user(cast.therapist_a)
    response = client.post(
        "/fhir/Patient/_search", '{"name": "pa"}', content_type="application/json"
    )
    assert "x-www-form-urlencoded" in outcome(response, 415)


def test_a_search_post_is_a_read_the_auditor_may_make(cast):
    assert fhir(search(as_user(cast.auditor), "Patient", {"name": "parker"}))["total"] == 1
    assert fhir(search(as_user(cast.therapist_b), "Patient", {"name": "parker"}))["total"] == 0


def test_a_session_search_needs_the_csrf_token_but_a_token_search_does_not(cast):
    session = Client(enforce_csrf_checks=True)
    session.force_login(cast.therapist_a)
    assert "CSRF" in outcome(search(session, "Patient", {"name": "parker"}), 403)
    _, token = token_create(user=cast.therapist_a, name="EHR")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert fhir(search(Client(), "Patient", {"name": "parker"}, **bearer))["total"] == 1
    assert outcome(search(Client(), "Patient", {"name": "parker"}), 401)


def test_the_capability_statement_says_where_identifying_parameters_go(rf, cast):
    request = rf.get("/fhir/metadata")
    request.user = cast.therapist_a
    statement = capability_statement(context(request))
    rest = statement["rest"][0]
    assert "_search" in rest["security"]["description"]
    patient = next(r for r in rest["resource"] if r["type"] == "Patient")
    assert "POST Patient/_search" in patient["documentation"]
    assert all("POST" in p["documentation"] for p in patient["searchParam"])


def search_at(client: Client, url: str, body: dict) -> object:
    parts = urlsplit(url)
    return client.post(f"{parts.path}?{parts.query}", urlencode(body), content_type=FORM)
