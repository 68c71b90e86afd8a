"""/healthz and /readyz (unknot.config.health): cheap, sessionless, nothing about a person."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "alive"}
    assert len(queries) == 0
    assert "Set-Cookie" not in response and response["Cache-Control"] == "no-store"


def test_readyz_says_the_database_answers_and_migrations_are_applied(client: Client) -> None:
    client.get("/readyz")  # the first check reads the migration history once per process
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "migrations": "ok"}
    assert len(queries) == 1  # SELECT 1
    assert "Set-Cookie" not in response


@pytest.mark.django_db(transaction=True)
def test_readyz_reports_the_replica_lag(client: Client, replica: str) -> None:
    body = client.get("/readyz").json()
    assert body["replica"] == {"lag_seconds": 0.0, "in_use": True}


@pytest.mark.django_db(transaction=True)
def test_readyz_says_a_lagging_replica_is_not_in_use(
    client: Client,
    replica: str,
    settings: object,
) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = -1  # type: ignore[attr-defined]
    body = client.get("/readyz").json()
    assert body["status"] == "ready" and body["replica"]["in_use"] is False


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_only_reads_are_taken(client: Client, path: str) -> None:
    assert client.post(path).status_code == 405
