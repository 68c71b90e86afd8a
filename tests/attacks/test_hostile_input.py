"""Hostile input everywhere: no URL answers a server error, whatever it is sent.

The walk (`test_every_url_survives_hostile_input`) goes through every URL pattern of the
project's own URL walk (tests/web/urlwalk.py: a new URL is walked by itself) as each kind
of person: anonymous, a patient, the front desk, a therapist, a manager. Each URL gets

- a GET with hostile values (tests/attacks/hostile.py: extreme dates and times, 10,000
  characters, NUL, emoji and right-to-left text, wrong types, huge numbers) in every query
  parameter its view reads (found in the code, tests/attacks/query_reads.py);
- POSTs of the fields of its forms (found on the pages themselves), once with every date
  and time extreme and once with every field hostile, or for the REST API, FHIR and the
  booking JSON API, bodies of deeply nested and wrongly typed JSON (PUT and PATCH too for
  FHIR's instances);

and fails on any 5xx. `test_every_fhir_search_parameter_survives_hostile_values` does the
same for every search parameter of every FHIR type. The battery is sampled per URL so the
walk stays within about a minute; which value goes where is fixed, so a run is reproducible.

The findings of issue 13's probe, one focused test each, are in test_bad_input.py.
"""

import json
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from tests.attacks import hostile, query_reads
from tests.personas import Cast
from tests.web.every_url import ROUTES, EveryUrl, every_url_for_a_module
from tests.web.test_access_matrix import MATRIX
from unknot.fhir.registry import SERVED
from unknot.fhir.search import CONTROL
from unknot.records.intake.views_tablet import LOCK as TABLET_LOCK

PERSONAS = ("anonymous", "patient_p", "front_desk_a", "therapist_a", "manager")
# Signing out last, so every other URL is walked signed in.
SEARCHES = query_reads.post_searches()
FHIR_TYPES = {kind.name.lower(): kind.name for kind in SERVED}
FORM = "application/x-www-form-urlencoded"
FHIR_JSON = "application/fhir+json"


@pytest.fixture(autouse=True)
def _no_request_throttle(settings: Any) -> None:
    """The walk sends a few thousand requests from one address within a minute; the request
    throttle (docs/security.md, "Fair use", tested on its own) would answer most with 429
    and the views behind it would go unwalked. A limit of 0 turns a scope off."""
    limits = getattr(settings, "REQUEST_THROTTLE_LIMITS", {})
    settings.REQUEST_THROTTLE_LIMITS = dict.fromkeys(limits, 0)


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: Any) -> Iterator[EveryUrl]:
    """One practice for all the URLs (tests/web/every_url.py says why), made once for the
    module: each test runs in its own savepoint, so what one walk wrote is gone for the next."""
    with every_url_for_a_module(django_db_blocker) as made:
        yield made


@pytest.fixture
def cast(site: EveryUrl, db: None) -> Cast:
    """The module's cast (tests/conftest.py's would repeat its usernames)."""
    return site.cast


@pytest.fixture
def urls(site: EveryUrl, db: None) -> dict[str, str]:
    """Every URL of the walk, with the access matrix's arguments (each made once)."""
    return site.urls


def client_for(cast: Cast, persona: str) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a finding to list, not a crash
    if persona != "anonymous":
        client.force_login(cast.users[persona])
    return client


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


class Walk:
    """One persona's requests, and every 5xx they got."""

    def __init__(self, cast: Cast, persona: str) -> None:
        self.cast, self.persona = cast, persona
        self.client = client_for(cast, persona)
        self.problems: list[str] = []
        self.requests = 0

    def send(self, method: str, url: str, label: str, **kwargs: Any) -> tuple[Any, str]:
        self.requests += 1
        try:
            response = getattr(self.client, method)(url, **kwargs)
            body = body_of(response)  # a CSV is written while it streams: read it all
        except Exception as error:  # any escape is a finding
            self.problems.append(f"{self.persona} {method.upper()} {url} {label}: {error!r}")
            return None, ""
        if response.status_code >= 500:
            self.problems.append(
                f"{self.persona} {method.upper()} {url} {label}: {response.status_code}"
            )
        return response, body

    def still_signed_in(self) -> None:
        """Undoes what a URL may do to the session: sign it out (wrong second-factor codes),
        or lock it to a handed-over tablet's intake (which sends everything else there)."""
        session = self.client.session
        if TABLET_LOCK in session:
            del session[TABLET_LOCK]
            session.save()
        if self.persona != "anonymous" and SESSION_KEY not in session:
            self.client.force_login(self.cast.users[self.persona])


def query_for(name: str, offset: int) -> dict[str, str]:
    params = sorted(set(query_reads.params_by_url().get(name, ())) - {"_format"}) or ["day", "q"]
    return {
        param: hostile.pick(hostile.EXTREME_DATES, offset + n % 2)
        if hostile.DATE_NAME.search(param)
        else hostile.pick(hostile.QUERY_BATTERY, offset + n)
        for n, param in enumerate(params)
    }


def rounds(has_dates: bool) -> range:
    return range(hostile.DATE_ROUNDS if has_dates else 1)


def route_name(action: str, page: str) -> str | None:
    try:
        return resolve(urlparse(action or page).path).view_name
    except Resolver404:
        return None


def json_requests(name: str, url: str, offset: int) -> list[tuple[str, str, str]]:
    """(method, content type, body) for a JSON endpoint."""
    area, _, view = name.partition(":")
    if area != "fhir":
        return [("post", "application/json", body) for body in hostile.json_bodies(offset, None)]
    kind = FHIR_TYPES.get(view.rsplit("_", 1)[0])
    bodies = hostile.json_bodies(offset, kind)
    if view.endswith("_instance"):
        return [
            ("put", "application/fhir+json", bodies[offset % 3]),
            ("patch", "application/json-patch+json", bodies[(offset + 1) % 3]),
        ]
    return [("post", "application/fhir+json", body) for body in bodies]


def posts(walk_: Walk, name: str, url: str, fields: list[hostile.Field], offset: int) -> None:
    search = SEARCHES.get(name)
    if search is not None and search.encoding != "form":
        fields = [hostile.Field(param, "text") for param in sorted(search.body)]
    has_dates = any(hostile.is_date_field(f) or f.kind == "time" for f in fields)
    bodies = [
        ("dates", hostile.dates_variant(fields, hostile.date_round(offset, r)))
        for r in (rounds(has_dates) if has_dates else ())
    ]
    for label, body in [("strings", hostile.strings_variant(fields, offset)), *bodies]:
        if search is not None and search.encoding == "json":
            response, _ = walk_.send(
                "post", url, label, data=json.dumps(body), content_type="application/json"
            )
        elif search is not None:
            response, _ = walk_.send("post", url, label, data=urlencode(body), content_type=FORM)
        else:
            response, _ = walk_.send("post", url, label, data=body)
        if response is not None and response.status_code == 405:
            return  # the URL takes no POST: the other bodies would meet the same answer


def gets(walk_: Walk, name: str, url: str, offset: int) -> list[tuple[Any, str]]:
    reads = query_reads.params_by_url().get(name, ())
    if url.endswith(".pdf") and not reads:  # a PDF takes a second or two to make: NUL only
        return [walk_.send("get", url, "NUL", data={"q": hostile.NUL})]
    has_dates = any(hostile.DATE_NAME.search(param) for param in reads)
    return [
        walk_.send("get", url, "query", data=query_for(name, hostile.date_round(offset, r)))
        for r in rounds(has_dates)
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_survives_hostile_input(cast: Cast, urls: dict[str, str], persona: str) -> None:
    walk_ = Walk(cast, persona)
    shift = PERSONAS.index(persona) * 11  # each persona meets other values at the same URL
    forms: dict[str, list[hostile.Field]] = {}
    answers_json: set[str] = set()
    for index, route in enumerate(ROUTES):  # GETs first: they show the forms to fill in
        url = urls[route.name]
        for response, body in gets(walk_, route.name, url, index + shift):
            if response is not None and "json" in response.get("Content-Type", ""):
                answers_json.add(route.name)
            for form in hostile.post_forms(body) if "<form" in body else []:
                target = route_name(form.action, url)
                if target is not None:
                    forms.setdefault(target, form.fields)
        walk_.still_signed_in()
    for index, route in enumerate(ROUTES):
        url, offset = urls[route.name], index + shift
        if route.name in answers_json and route.name not in SEARCHES:
            for method, kind, body in json_requests(route.name, url, offset):
                response, _ = walk_.send(
                    method, url, f"json {body[:20]!r}", data=body, content_type=kind
                )
                if response is not None and response.status_code == 405 and method == "post":
                    break  # the URL takes no POST
        else:
            posts(
                walk_, route.name, url, forms.get(route.name, list(hostile.GENERIC_FIELDS)), offset
            )
        walk_.still_signed_in()
    assert walk_.requests >= 2 * len(ROUTES)  # at least a GET and a POST each
    assert walk_.problems == [], "\n".join(walk_.problems)


# --- hostile values in the path ---------------------------------------------------------------

CAPTURED = re.compile(r"<(?:(\w+):)?(\w+)>")
PATH_VALUES = {
    "int": ("9" * 30, "0"),
    "booking_date": ("0001-01-01", "9999-12-31", "2031-02-30"),
    "slug": ("x" * 300, "9" * 30),
    "str": ("x" * 2_000, "Zoë 😀 \u202eevil", "9" * 30, ".."),
}
PATH_PERSONAS = ("therapist_a", "manager", "front_desk_a", "patient_p", "anonymous")


def path_persona(name: str) -> tuple[str, str]:
    """Someone the matrix lets in (else lets reach the view), and the method to use."""
    expected = MATRIX[name][1]
    for wanted in (200, 302, 400, 404, 405):
        for persona in PATH_PERSONAS:
            if expected[persona] == wanted:
                return persona, "post" if wanted == 405 else "get"
    return "therapist_a", "get"


def test_hostile_values_in_every_captured_part_of_a_path(cast: Cast, urls: dict[str, str]) -> None:
    clients = {persona: client_for(cast, persona) for persona in PATH_PERSONAS}
    problems = []
    for route in ROUTES:
        captured = CAPTURED.findall(route.route)
        if not captured:
            continue
        valid = resolve(urls[route.name]).kwargs
        persona, method = path_persona(route.name)
        for converter, param in captured:
            for value in PATH_VALUES.get(converter or "str", ()):
                try:
                    url = reverse(route.name, kwargs=valid | {param: value})
                except NoReverseMatch:
                    continue  # the converter itself refuses it: no view is reached
                response = getattr(clients[persona], method)(url)
                if response.status_code >= 500:
                    problems.append(
                        f"{persona} {method.upper()} {url[:120]}: {response.status_code}"
                    )
    assert problems == [], "\n".join(problems)


# --- every FHIR search parameter ----------------------------------------------------------------

# Every prefix with every value that overflows, then the other odd ones plain.
OVERFLOWING = hostile.EXTREME_DATES[::2]
FHIR_DATES = (
    *(prefix + value for prefix in ("", "ge", "le", "gt", "lt") for value in OVERFLOWING),
    *hostile.EXTREME_DATES[1::2],
    "sa2031-03-05", "2031-03-05T10:00:00", "lt", "2031-03-05T10:00:00.123456789Z",
)  # fmt: skip


def fhir_values(cast: Cast, param: Any) -> tuple[str, ...]:
    if param.type == "date":
        return FHIR_DATES
    references = (
        "Patient/" + "9" * 30, f"Schedule/{'9' * 30}-1", "Schedule/1-2-3", "Practitioner/-1",
        f"{cast.clinic_b.pk}", "urn:unknot:appointment-type|" + "9" * 30, ",,,", "|", "a|b|c",
    )  # fmt: skip
    return (*references, *hostile.STRINGS)


def fhir_search(client: Client, kind: Any, params: dict[str, str]) -> Any:
    if any(name in kind.identifying_names for name in params):  # only by POST _search
        return client.post(f"/fhir/{kind.name}/_search", urlencode(params), content_type=FORM)
    return client.get(f"/fhir/{kind.name}", params)


@pytest.mark.parametrize("persona", ["therapist_a", "patient_p"])
def test_every_fhir_search_parameter_survives_hostile_values(
    site: EveryUrl, cast: Cast, persona: str
) -> None:
    world = site.world
    client = client_for(cast, persona)
    schedule = {"schedule": f"Schedule/{cast.therapist_a.staff_member.pk}-{cast.clinic_a.pk}"}
    problems, sent = [], 0
    for kind in (kind for kind in SERVED if kind.search is not None):
        base = schedule if kind.name == "Slot" else {}
        names = [*kind.params, *(SimpleNamespace(name=c, type="number") for c in CONTROL)]
        for n, param in enumerate(names):
            values = fhir_values(cast, param)
            half = values[(n + len(persona)) % 2 :: 2] if param.type != "date" else values
            for value in half:
                sent += 1
                response = fhir_search(client, kind, base | {param.name: value})
                if response.status_code >= 500:
                    problems.append(
                        f"{kind.name}?{param.name}={value[:40]!r}: {response.status_code}"
                    )
    assert sent > 300 and world.p.appointment
    assert problems == [], "\n".join(problems)
