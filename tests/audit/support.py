"""Shared by the audit tests: signed-in clients and a look at what the trail holds."""

from typing import Any

from django.db import connection
from django.test import Client

from tests.accounts.totp import pass_second_factor_in_session
from unknot.audit import chain
from unknot.audit.models import AuditEvent


def client_for(user: Any) -> Client:
    """A client signed in as `user`, past the second factor where staff need one."""
    client = Client()
    client.force_login(user)
    pass_second_factor_in_session(client, user)
    return client


def events(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def last_event() -> AuditEvent:
    found = AuditEvent.objects.order_by("-id").first()
    assert found is not None, "the trail is empty"
    return found


def raw_insert(**overrides: Any) -> int:
    """Writes a row with SQL, past the model and the chain lock, as a forger would."""
    last = last_event()
    row = {
        "id": last.id + 1,
        "previous_hash": last.hash,
        **{name: getattr(last, name) for name in chain.BODY_FIELDS},
        "action": "delete",
    } | overrides
    row["hash"] = overrides.get("hash", chain.digest(row))
    columns, marks = ", ".join(row), ", ".join(["%s"] * len(row))
    sql = f"INSERT INTO audit_auditevent ({columns}) VALUES ({marks})"  # noqa: S608 (our names)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(row.values()))
    return int(row["id"])


def every_value(event: AuditEvent) -> str:
    """All the row's fields as one text, to look for what must never be there."""
    return " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)
