"""SQL fragments, field paths and odd text in every query parameter any view reads.

The (URL, parameter) pairs come from tests/attacks/query_reads.py, which reads the code, the
REST API's declarations and the FHIR registry; nothing here lists them by hand. Each pair is
sent every fragment in payloads.SQL_FRAGMENTS as a persona the access matrix lets in, and:

- the answer is a 200, a redirect, or a clean 400/404: never a 500;
- nothing of the other clinic's patient, and no password hash, is in the body;
- a list never holds more rows than the same page without the parameter (the honest query),
  and a filter that cannot match (all these fragments) holds none; a sort or a page size
  changes the order or the page, never how many rows there are in all;
- a `next` never leads off the site.
"""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tests.api.world import build_world
from tests.attacks import query_reads
from tests.attacks.payloads import REDIRECTS, SQL_FRAGMENTS
from tests.personas import Cast
from tests.web import matrix_clinical
from tests.web.test_access_matrix import MATRIX
from unknot.booking.links import manage_token

# Who asks: the first of these the access matrix lets in (200), else the first it answers
# with a redirect or a 400 (a page that needs more than a bare GET).
PREFERRED = ("therapist_a", "manager", "auditor", "front_desk_a", "patient_p", "anonymous")
# Parameters that order, page or format a list: how many rows there are in all must not move.
ORDERING = {"sort", "page", "cursor", "page_size", "_count", "_cursor", "_format"}
CLEAN = {200, 302, 400, 404, 406}  # 406: FHIR's answer to a _format other than JSON
PASSWORD_HASH_MARKERS = ("md5$", "argon2$", "pbkdf2_sha256$")


def _manage_change(cast: Cast) -> dict[str, Any]:
    return {"token": manage_token(build_world(cast).p.appointment)}


def _episode_with_signed_plan(cast: Cast) -> dict[str, Any]:
    return {"episode_id": matrix_clinical.signed(cast).episode.pk}


# Where the access matrix's arguments stop short of the code that reads the parameter.
ARGUMENTS = {
    "booking:manage_change": _manage_change,  # the matrix uses a forged token (404)
    "clinical:visit_new": _episode_with_signed_plan,  # reads ?appointment= once a plan is signed
}


def persona_for(name: str) -> str:
    if name in ARGUMENTS:
        return "anonymous" if name.startswith("booking:manage") else "therapist_a"
    expected = MATRIX[name][1]
    for wanted in (200, 302, 400):
        for persona in PREFERRED:
            if expected[persona] == wanted:
                return persona
    raise AssertionError(f"no persona may use {name}: {expected}")


def url_for(cast: Cast, name: str) -> str:
    kwargs_for = ARGUMENTS.get(name, MATRIX[name][0])
    if kwargs_for is None:
        build_world(cast)  # lists with rows in them: both clinics, both patients
        return reverse(name)
    return reverse(name, kwargs=kwargs_for(cast))


def client_for(cast: Cast, persona: str) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a finding to list, not a crash
    if persona != "anonymous":
        client.force_login(cast.users[persona])
    return client


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def row_count(response: Any, body: str) -> int | None:
    """Rows in a JSON list (count, total or a list), a CSV, or an HTML table."""
    kind = response.get("Content-Type", "")
    if "json" in kind:
        data = json.loads(body)
        if isinstance(data, dict):
            for key in ("count", "total"):
                if isinstance(data.get(key), int):
                    return int(data[key])
            lists = [value for value in data.values() if isinstance(value, list)]
            return len(lists[0]) if len(lists) == 1 else None
        return len(data) if isinstance(data, list) else None
    if "csv" in kind:
        return body.count("\n")
    return body.count("<tr")


def secrets_of_other_clinic(cast: Cast) -> list[str]:
    other = cast.patient_q
    return [other.first_name, other.last_name, other.email, *PASSWORD_HASH_MARKERS]


def problems_with(
    response: Any, body: str, baseline: int | None, param: str, cast: Cast, payload: str
) -> list[str]:
    if response.status_code not in CLEAN:
        return [f"answered {response.status_code}"]
    # A page may repeat what was asked (a search box, a self link): that is not a leak.
    secrets = [s for s in secrets_of_other_clinic(cast) if s not in payload]
    leaked = [secret for secret in secrets if secret in body]
    if leaked:
        return [f"the body holds {leaked}"]
    if response.status_code == 302:
        return _offsite(response["Location"])
    if response.status_code != 200 or baseline is None:
        return []
    rows = row_count(response, body)
    if rows is not None and rows > baseline:
        return [f"{rows} rows where the honest query gives {baseline}"]
    if rows is not None and payload in SQL_FRAGMENTS and "json" in response.get("Content-Type", ""):
        honest = baseline if param in ORDERING or payload == "" else 0  # "": no filter
        if rows != honest:
            return [f"{rows} rows in all, expected {honest}"]
    return []


def _offsite(location: str) -> list[str]:
    stripped = location.replace("\\", "/")
    if stripped.startswith("//") or "://" in stripped or stripped.startswith("javascript:"):
        return [f"redirected off the site to {location}"]
    return []


TARGETS = sorted(query_reads.params_by_url().items())
SEARCHES = sorted(query_reads.post_searches().items())


def test_every_read_is_tied_to_a_url() -> None:
    assert query_reads.unresolved() == []


def test_the_discovery_finds_the_known_readers() -> None:
    """A guard on the scanner itself: if it stopped seeing reads, the attack would be empty."""
    found = query_reads.params_by_url()
    assert {"sort", "user", "patient", "since"} <= found["audit:report"]
    assert {"sort", "page_size", "clinic"} <= found["api:patient_list"]
    assert {"name", "_count"} <= found["fhir:patient_type"]  # refused there: still attacked
    assert {"therapist", "appointment_type"} <= found["booking:staff_day"]
    searches = query_reads.post_searches()
    assert "q" in searches["staffarea:patient_list"].body
    assert {"name", "date_of_birth"} <= searches["api:patient_search"].body
    assert {"sort", "clinic"} <= searches["api:patient_search"].query
    assert {"name", "birthdate", "_count"} <= searches["fhir:patient_search"].body


def test_every_reader_is_in_the_access_matrix() -> None:
    assert {name for name, _ in TARGETS} - MATRIX.keys() == set()
    assert {name for name, _ in SEARCHES} - MATRIX.keys() == set()


@pytest.mark.parametrize(("name", "params"), TARGETS, ids=[name for name, _ in TARGETS])
def test_fragments_in_every_parameter(cast: Cast, name: str, params: frozenset[str]) -> None:
    persona = persona_for(name)
    url = url_for(cast, name)
    client = client_for(cast, persona)
    honest = client.get(url)
    assert honest.status_code in CLEAN - {404}, f"{name} as {persona}: {honest.status_code}"
    baseline = row_count(honest, body_of(honest)) if honest.status_code == 200 else None
    problems = []
    for param in sorted(params):
        payloads = [*SQL_FRAGMENTS, *_targeted(cast, param)]
        for payload in payloads:
            response = client.get(url, {param: payload})
            body = body_of(response)
            for problem in problems_with(response, body, baseline, param, cast, payload):
                problems.append(f"{name} as {persona}: ?{param}={payload[:40]!r}: {problem}")
    assert problems == [], "\n".join(problems)


def _targeted(cast: Cast, param: str) -> list[str]:
    """The other clinic's ids and names, and off-site addresses for `next`."""
    if param == "next":
        return list(REDIRECTS)
    other = cast.patient_q
    return [str(other.pk), f"Patient/{other.pk}", cast.clinic_b.slug, other.last_name]


# --- searches whose words travel in a POST body ----------------------------------------------

# Who searches by POST: the matrix's GET is 405 there, so the first persona who may read.
POST_SEARCHER = "therapist_a"


def post_search(client: Client, url: str, search: Any, body: dict[str, str], query: str) -> Any:
    """The search sent as its page, program or FHIR client sends it."""
    target = f"{url}?{query}" if query else url
    if search.encoding == "json":
        return client.post(target, body, content_type="application/json")
    if search.encoding == "fhir-form":
        form = "application/x-www-form-urlencoded"
        return client.post(target, urlencode(body), content_type=form)
    return client.post(target, body, follow=True)  # the page: POST, then the plain list URL


@pytest.mark.parametrize(("name", "search"), SEARCHES, ids=[name for name, _ in SEARCHES])
def test_fragments_in_every_posted_search_word(cast: Cast, name: str, search: Any) -> None:
    """Every word of the body (and of the URL, for the REST API) of every POST search."""
    url = url_for(cast, name)
    client = client_for(cast, POST_SEARCHER)
    honest = post_search(client, url, search, {}, "")
    assert honest.status_code in CLEAN - {404}, f"{name}: {honest.status_code}"
    baseline = row_count(honest, body_of(honest)) if honest.status_code == 200 else None
    places = [(param, "body") for param in sorted(search.body)]
    places += [(param, "query") for param in sorted(search.query)]
    problems = []
    for param, place in places:
        for payload in [*SQL_FRAGMENTS, *_targeted(cast, param)]:
            body = {param: payload} if place == "body" else {}
            query = urlencode({param: payload}) if place == "query" else ""
            response = post_search(client, url, search, body, query)
            for problem in problems_with(response, body_of(response), baseline, param, cast,
                                         payload):  # fmt: skip
                problems.append(f"{name}: {place} {param}={payload[:40]!r}: {problem}")
    assert problems == [], "\n".join(problems)
