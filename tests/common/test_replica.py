"""Reads from the replica (unknot.common.replica): only inside `reading_from_replica()`, only
while the replica is configured and its lag within REPLICA_MAX_LAG_SECONDS; writes and the
audit trail always on the primary.

The replica here is a second connection to the test database (as Django's TEST MIRROR does),
so the tests commit their rows (transaction=True) for that connection to see them; which
connection a statement went through tells where it was routed.
"""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.audit.support import client_for
from tests.personas import Cast
from unknot.audit.models import AuditEvent
from unknot.billing.models import Charge
from unknot.booking.models import Appointment
from unknot.common.replica import (
    REPLICA_ALIAS,
    ReplicaRouter,
    measure_replica_lag,
    reading_from_replica,
)

pytestmark = pytest.mark.django_db(transaction=True)


def caught_up() -> float:
    return 0.0


def test_without_a_replica_everything_reads_from_the_primary() -> None:
    with reading_from_replica(caught_up) as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert ReplicaRouter().db_for_read(Appointment) == DEFAULT_DB_ALIAS


def test_inside_the_block_reads_go_to_a_caught_up_replica(replica: str) -> None:
    router = ReplicaRouter()
    with reading_from_replica(caught_up) as alias:
        assert alias == replica
        assert router.db_for_read(Appointment) == replica
        assert router.db_for_read(Charge) == replica
    assert router.db_for_read(Appointment) == DEFAULT_DB_ALIAS  # outside: the primary


def test_writes_and_the_audit_trail_stay_on_the_primary(replica: str) -> None:
    router = ReplicaRouter()
    with reading_from_replica(caught_up):
        assert router.db_for_write(Appointment) == DEFAULT_DB_ALIAS
        assert router.db_for_read(AuditEvent) == DEFAULT_DB_ALIAS
        assert router.allow_migrate(replica, "booking") is False


@pytest.mark.parametrize(
    ("lag", "max_lag", "expected"),
    [(0.0, 5, REPLICA_ALIAS), (5.0, 5, REPLICA_ALIAS), (5.5, 5, "default"), (None, 5, "default")],
)
def test_a_replica_too_far_behind_or_down_is_not_read(
    replica: str, settings: object, lag: float | None, max_lag: int, expected: str
) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = max_lag  # type: ignore[attr-defined]
    with reading_from_replica(lambda: lag) as alias:
        assert alias == expected
        assert ReplicaRouter().db_for_read(Appointment) == expected


def test_a_read_after_a_write_in_the_same_transaction_stays_on_the_primary(replica: str) -> None:
    with reading_from_replica(caught_up), transaction.atomic():
        assert ReplicaRouter().db_for_read(Appointment) == DEFAULT_DB_ALIAS


def test_the_measured_lag_of_a_database_not_in_recovery_is_none_behind(replica: str) -> None:
    assert measure_replica_lag() == 0.0


def _queries(client: object, url: str, alias: str) -> tuple[int, list[str]]:
    with (
        CaptureQueriesContext(connections[alias]) as on_alias,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200
    return len(on_alias), [query["sql"] for query in on_primary]


def test_the_practice_dashboard_reads_from_the_replica(cast: Cast, replica: str) -> None:
    client = client_for(cast.manager)
    on_replica, _ = _queries(client, reverse("staffarea:practice"), replica)
    assert on_replica > 0


def test_the_dashboard_falls_back_to_the_primary_when_the_replica_lags(
    cast: Cast, replica: str, settings: object
) -> None:
    settings.REPLICA_MAX_LAG_SECONDS = -1  # type: ignore[attr-defined]  # any lag is too much
    client = client_for(cast.manager)
    on_replica, on_primary = _queries(client, reverse("staffarea:practice"), replica)
    assert on_replica <= 1  # at most the lag measurement (none on SQLite)
    assert any("booking_appointment" in sql for sql in on_primary)


def test_an_export_reads_from_the_replica_and_is_audited_on_the_primary(
    cast: Cast, replica: str
) -> None:
    url = reverse("exports:patient_bundle", args=[cast.patient_p.pk])
    before = AuditEvent.objects.count()
    on_replica, on_primary = _queries(client_for(cast.therapist_a), url, replica)
    assert on_replica > 1
    assert any("audit_append" in sql or "audit_auditevent" in sql for sql in on_primary)
    assert AuditEvent.objects.using(DEFAULT_DB_ALIAS).count() > before


def test_a_billing_report_reads_from_the_replica(cast: Cast, replica: str) -> None:
    client = client_for(cast.biller_a)
    on_replica, _ = _queries(client, reverse("staffarea:report_totals"), replica)
    assert on_replica > 1
