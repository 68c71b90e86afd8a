"""The REST API is throttled per address, or per signed-in patient; staff are not counted.

Over the limit a call is a 429 in the API's error format with Retry-After, and the count
starts again after the window. Small limits keep the tests short: 3 calls a minute.
"""

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.test_errors import assert_error
from tests.api.world import World
from tests.clock import Clock, stopped_at
from unknot.accounts.request_throttle import TOO_MANY

ELSEWHERE = "198.51.100.99"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return stopped_at(timezone.now(), monkeypatch)


@pytest.fixture(autouse=True)
def three_a_minute(settings: Any) -> None:
    settings.REQUEST_THROTTLE_WINDOW_SECONDS = 60
    settings.REQUEST_THROTTLE_LIMITS = dict(settings.REQUEST_THROTTLE_LIMITS, api=3)


def test_over_the_limit_a_call_is_429_in_the_api_format_until_the_window_ends(
    world: World, clock: Clock
) -> None:
    client = world.client("anonymous")
    for _ in range(3):
        assert client.get("/api/v1/clinics/").status_code == 200
    response = client.get("/api/v1/clinics/")
    assert assert_error(response, 429, "throttled")["message"] == TOO_MANY
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert client.get("/api/v1/clinics/", REMOTE_ADDR=ELSEWHERE).status_code == 200
    clock.advance(seconds=wait - 1)
    assert client.get("/api/v1/clinics/").status_code == 429
    clock.advance(seconds=1)
    assert client.get("/api/v1/clinics/").status_code == 200


def test_refused_calls_count_too(world: World, clock: Clock) -> None:
    client = world.client("anonymous")
    for _ in range(3):
        assert client.get("/api/v1/patients/").status_code == 401
    assert_error(client.get("/api/v1/patients/"), 429, "throttled")


def test_a_patient_is_counted_by_account_wherever_they_call_from(
    world: World, clock: Clock
) -> None:
    patient = world.client("patient_p")
    assert patient.get("/api/v1/clinics/").status_code == 200
    assert patient.get("/api/v1/clinics/", REMOTE_ADDR=ELSEWHERE).status_code == 200
    assert patient.get("/api/v1/clinics/", REMOTE_ADDR="203.0.113.5").status_code == 200
    assert_error(patient.get("/api/v1/clinics/", REMOTE_ADDR="203.0.113.6"), 429, "throttled")
    assert world.client("anonymous").get("/api/v1/clinics/").status_code == 200


@pytest.mark.parametrize("persona", ["therapist_a", "front_desk_a", "auditor"])
def test_staff_are_not_counted(world: World, persona: str) -> None:
    client = world.client(persona)
    assert all(client.get("/api/v1/clinics/").status_code == 200 for _ in range(10))
    signed_in = Client()
    signed_in.force_login(getattr(world.cast, persona))
    assert all(signed_in.get("/api/v1/clinics/").status_code == 200 for _ in range(10))


def test_the_schema_documents_the_429_of_every_operation(world: World, settings: Any) -> None:
    schema = world.client("therapist_a").get("/api/v1/schema/?format=json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert "429" in operation["responses"], (path, method)
