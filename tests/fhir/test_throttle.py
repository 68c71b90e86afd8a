"""FHIR is throttled per address, or per signed-in patient; staff are not counted.

Over the limit every answer is an OperationOutcome (issue type `throttled`) with status 429
and Retry-After, and the count starts again after the window. Limit here: 3 a minute.
"""

from typing import Any

import pytest
from django.utils import timezone

from tests.clock import Clock, stopped_at
from tests.fhir.conftest import as_user, fhir, outcome
from tests.personas import Cast
from unknot.accounts.request_throttle import TOO_MANY

ELSEWHERE = "198.51.100.99"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return stopped_at(timezone.now(), monkeypatch)


@pytest.fixture(autouse=True)
def three_a_minute(settings: Any) -> None:
    settings.REQUEST_THROTTLE_WINDOW_SECONDS = 60
    settings.REQUEST_THROTTLE_LIMITS = dict(settings.REQUEST_THROTTLE_LIMITS, fhir=3)


def throttled(response: Any) -> int:
    assert outcome(response, 429) == TOO_MANY
    assert fhir(response, 429)["issue"][0]["code"] == "throttled"
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    return wait


def test_over_the_limit_an_answer_is_a_429_outcome_until_the_window_ends(
    cast: Cast, clock: Clock
) -> None:
    client = as_user(None)
    for _ in range(3):
        fhir(client.get("/fhir/metadata"))
    wait = throttled(client.get("/fhir/metadata"))
    fhir(client.get("/fhir/metadata", REMOTE_ADDR=ELSEWHERE))
    clock.advance(seconds=wait)
    fhir(client.get("/fhir/metadata"))


def test_refused_calls_count_too(cast: Cast, clock: Clock) -> None:
    client = as_user(None)
    for _ in range(3):
        outcome(client.get("/fhir/Patient"), 401)
    throttled(client.get("/fhir/Patient"))


def test_a_patient_is_counted_by_account_wherever_they_call_from(cast: Cast, clock: Clock) -> None:
    patient = as_user(cast.patient_p.user)
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        fhir(patient.get("/fhir/Practitioner", REMOTE_ADDR=address))
    throttled(patient.get("/fhir/Practitioner", REMOTE_ADDR="203.0.113.4"))
    fhir(as_user(None).get("/fhir/metadata", REMOTE_ADDR="203.0.113.4"))


def test_staff_are_not_counted(cast: Cast) -> None:
    therapist = as_user(cast.therapist_a)
    for _ in range(10):
        fhir(therapist.get("/fhir/Location"))
