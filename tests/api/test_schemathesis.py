"""Fuzzing: schemathesis sends requests generated from the served OpenAPI schema, as each
persona, and holds every answer to the schema: no 5xx, only documented status codes and
content types, and bodies that match their documented shape (errors included).

FHIR has no OpenAPI document (its CapabilityStatement lists the search parameters), so its
searches get a small hypothesis fuzz of their own, built from the registry: every served
type's search parameters, with values drawn by parameter type (dates with FHIR's prefixes
from year 1 to 9999 and any offset, references with ids of any size, free text), each
answer a FHIR Bundle or OperationOutcome and never a 5xx.

The budget and the seed are fixed (derandomized), so a run is reproducible and takes a
known time: MAX_EXAMPLES requests per operation and persona, FHIR_EXAMPLES per FHIR type.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.world import World
from unknot.fhir.kinds import ResourceType, SearchParam
from unknot.fhir.registry import SERVED

MAX_EXAMPLES = 25
PERSONAS = ("anonymous", "therapist_a", "front_desk_a", "auditor", "patient_p")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCHEMA_URL = "/api/v1/schema/?format=json"


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # a fixed seed: the same requests on every run
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.fixture
def app() -> Iterator[Any]:
    """The project's WSGI application, kept on the test's database connection.

    Django closes the connection at the end of every request; the test client turns that
    off, and so must we, or the test's transaction (and its data) would be gone.
    """
    from unknot.config.wsgi import application

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield application
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_operation_keeps_to_the_schema(world: World, app: Any, persona: str) -> None:
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app)
    headers = {} if persona == "anonymous" else {"Authorization": f"Bearer {world.tokens[persona]}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25  # every resource is in the schema, reads and writes
    for operation in operations:
        _fuzz(operation, headers)


# --- FHIR search: a hypothesis fuzz of every search parameter (there is no OpenAPI for it) ----

FHIR_EXAMPLES = 30
FHIR_PERSONAS = ("therapist_a", "patient_p")
FHIR_JSON = "application/fhir+json"
ZONES = st.sampled_from([None, dt.UTC, *(dt.timezone(dt.timedelta(hours=h)) for h in (-12, 14))])
PREFIXES = st.sampled_from(["", "eq", "ge", "le", "gt", "lt", "ne", "sa"])
EDGES = st.sampled_from(["9999-12-31", "0001-01-01", "9999-12-31T23:59:59-12:00",
                         "0001-01-01T00:00:00+14:00"])  # fmt: skip
MOMENTS = st.one_of(
    EDGES,  # datetime's own limits, where arithmetic overflows
    st.dates().map(dt.date.isoformat),  # year 1 to 9999
    st.datetimes(timezones=ZONES).map(dt.datetime.isoformat),
    st.text(max_size=30),
)
NUMBERS = st.one_of(st.integers(min_value=-1000, max_value=10**30).map(str), st.text(max_size=12))


def _reference(resource_type: str) -> st.SearchStrategy[str]:
    ids = st.integers(min_value=-5, max_value=10**30).map(str)
    return st.one_of(ids, ids.map(lambda found: f"{resource_type}/{found}"), st.text(max_size=60))


def _values(param: SearchParam) -> st.SearchStrategy[str]:
    if param.type == "date":
        return st.builds(str.__add__, PREFIXES, MOMENTS)
    if param.type == "reference":
        return _reference(param.documentation.split("/")[0].split()[-1] or "Patient")
    return st.text(max_size=200)


def _searches(kind: ResourceType, schedule: str) -> st.SearchStrategy[dict[str, str]]:
    """One parameter at a time (so each is reached, not refused behind another), or all."""
    values = {param.name: _values(param) for param in kind.params}
    values |= {"_count": NUMBERS, "_cursor": st.text(max_size=120)}
    base = {"schedule": st.just(schedule)} if kind.name == "Slot" else {}  # a Slot needs one
    alone = [st.fixed_dictionaries(base | {name: value}) for name, value in values.items()]
    rest = {name: value for name, value in values.items() if name not in base}
    return st.one_of(*alone, st.fixed_dictionaries(base, optional=rest))


def _search(client: Client, kind: ResourceType, params: dict[str, str]) -> Any:
    if any(name in kind.identifying_names for name in params):  # never in a URL: by POST
        body = urlencode(params)
        return client.post(
            f"/fhir/{kind.name}/_search", body, content_type="application/x-www-form-urlencoded"
        )
    return client.get(f"/fhir/{kind.name}", params)


def _fuzz_fhir(client: Client, kind: ResourceType, schedule: str) -> None:
    @settings(
        max_examples=FHIR_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(params=_searches(kind, schedule))
    def run(params: dict[str, str]) -> None:
        response = _search(client, kind, params)
        assert response.status_code < 500, (kind.name, params)
        assert response["Content-Type"].startswith(FHIR_JSON), (kind.name, params)
        expected = "Bundle" if response.status_code == 200 else "OperationOutcome"
        assert response.json()["resourceType"] == expected, (kind.name, params)

    run()


@pytest.mark.parametrize("persona", FHIR_PERSONAS)
def test_every_fhir_search_answers_a_bundle_or_an_outcome(world: World, persona: str) -> None:
    cast = world.cast
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.tokens[persona]}")
    schedule = f"Schedule/{cast.therapist_a.staff_member.pk}-{cast.clinic_a.pk}"
    kinds = [kind for kind in SERVED if kind.search is not None]
    assert len(kinds) >= 12  # every type with a search is fuzzed
    for kind in kinds:
        _fuzz_fhir(client, kind, schedule)
