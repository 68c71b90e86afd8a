"""Audit rows cannot be changed or removed: not through the model, and on PostgreSQL not
even with raw SQL, which the database's trigger refuses."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.audit.support import events, last_event
from unknot.audit import record
from unknot.audit.models import Action, AppendOnlyError, AuditEvent
from unknot.audit.services import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> list[AuditEvent]:
    for number in (1, 2, 3):
        record(Action.READ, object_type="patient", object_id=number, patient_id=number)
    return events()


def test_a_saved_row_cannot_be_saved_again(trail: list[AuditEvent]) -> None:
    row = trail[0]
    row.outcome = "denied"
    with pytest.raises(AppendOnlyError):
        row.save()
    assert AuditEvent.objects.get(pk=row.pk).outcome == "allowed"


def test_rows_are_not_made_past_the_chain(trail: list[AuditEvent]) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.create(id=trail[-1].id + 1, action="read", hash="f" * 64)
    assert events() == trail


def test_a_row_cannot_be_deleted(trail: list[AuditEvent]) -> None:
    with pytest.raises(AppendOnlyError):
        trail[0].delete()
    assert AuditEvent.objects.count() == len(trail)


@pytest.mark.parametrize(
    "bulk",
    [
        lambda rows: rows.update(outcome="denied"),
        lambda rows: rows.delete(),
        lambda rows: rows.bulk_create([AuditEvent(id=99)]),
        lambda rows: rows.bulk_update(list(rows), ["outcome"]),
    ],
    ids=["update", "delete", "bulk_create", "bulk_update"],
)
def test_bulk_changes_are_refused(trail: list[AuditEvent], bulk: object) -> None:
    with pytest.raises(AppendOnlyError):
        bulk(AuditEvent.objects.all())  # type: ignore[operator]
    assert events() == trail
    assert verify_chain().intact


def _run_as_the_site_would(sql: str, params: tuple[object, ...]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Refuse TRUNCATE in this transaction, as on a running site (see audit.signals).
        cursor.execute("SELECT set_config('unknot.audit_truncate', '', true)")
        cursor.execute(sql, params)


def _refused_by_the_database(sql: str, *params: object) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        _run_as_the_site_would(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET outcome = 'denied' WHERE id = %s",
        "UPDATE audit_auditevent SET hash = hash WHERE id >= %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
@pytest.mark.postgres
def test_raw_sql_changes_are_refused_by_postgres(trail: list[AuditEvent], sql: str) -> None:
    _refused_by_the_database(sql, trail[1].id)
    assert events() == trail
    assert [row.outcome for row in events()] == ["allowed"] * 3
    assert verify_chain().intact


@pytest.mark.postgres
def test_truncate_is_refused_by_postgres(trail: list[AuditEvent]) -> None:
    _refused_by_the_database("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 3


@pytest.mark.postgres
def test_inserting_still_works_after_a_refusal(trail: list[AuditEvent]) -> None:
    _refused_by_the_database("DELETE FROM audit_auditevent")
    record(Action.SIGN_OUT)
    assert last_event().id == trail[-1].id + 1
    assert verify_chain().intact
