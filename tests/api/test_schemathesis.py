"""Fuzzing: schemathesis sends requests generated from the served OpenAPI schema, as each
persona, and holds every answer to the schema: no 5xx, only documented status codes and
content types, and bodies that match their documented shape (errors included).

The budget and the seed are fixed (derandomized), so a run is reproducible and takes a
known time: MAX_EXAMPLES requests per operation and persona.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.world import World

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
