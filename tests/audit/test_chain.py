"""The hash chain: each row sealed, each link checked, and the verify command naming the
first broken row (a forged row written with SQL; on SQLite also an edited or removed one)."""

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.audit.support import events, last_event, raw_insert
from unknot.audit import chain, record
from unknot.audit.models import Action, Outcome
from unknot.audit.services import verify_chain

ON_SQLITE = connection.vendor == "sqlite"


def row_values(**overrides: Any) -> dict[str, Any]:
    base = {
        "at": dt.datetime(2026, 3, 2, 14, 5, 6, 789, tzinfo=dt.UTC),
        "actor_id": 7, "actor_username": "therapist_a", "actor_role": "therapist",
        "action": "read", "object_type": "patient", "object_id": "12", "patient_id": 12,
        "clinic_id": 3, "remote_addr": "192.0.2.10", "path": "/staff/patients/12/",
        "outcome": "allowed", "reason": "",
    }  # fmt: skip
    return base | overrides


def made_chain(length: int) -> list[dict[str, Any]]:
    rows, previous = [], chain.GENESIS
    for number in range(1, length + 1):
        row = row_values(object_id=str(number)) | {"id": number, "previous_hash": previous}
        row["hash"] = previous = chain.digest(row)
        rows.append(row)
    return rows


def test_every_field_is_sealed_by_the_hash() -> None:
    row = made_chain(1)[0]
    for name in chain.FIELDS:
        changed = row | {name: "x" if isinstance(row[name], str) else 99}
        assert chain.digest(changed) != row["hash"], f"{name} is not covered by the hash"


def test_times_are_hashed_in_utc_whatever_their_zone() -> None:
    row = made_chain(1)[0]
    elsewhere = row["at"].astimezone(dt.timezone(dt.timedelta(hours=-7)))
    assert chain.digest(row | {"at": elsewhere}) == row["hash"]


def test_an_untouched_chain_verifies() -> None:
    verdict = chain.verify(made_chain(5))
    assert verdict.intact
    assert verdict.count == 5


@pytest.mark.parametrize(
    ("tamper", "broken_id", "problem"),
    [
        (lambda rows: rows[2].update(patient_id=99), 3, chain.HASH_MISMATCH),
        (lambda rows: rows.pop(2), 4, chain.GAP),
        (lambda rows: rows[3].update(previous_hash="a" * 64), 4, chain.PREVIOUS_MISMATCH),
    ],
    ids=["edited", "removed", "relinked"],
)
def test_the_first_broken_row_is_named(tamper: Any, broken_id: int, problem: str) -> None:
    rows = made_chain(6)
    tamper(rows)
    verdict = chain.verify(rows)
    assert (verdict.broken_id, verdict.problem) == (broken_id, problem)


@pytest.mark.django_db
def test_recorded_events_form_a_chain() -> None:
    for number in range(1, 6):
        record(Action.READ, object_type="patient", object_id=number, patient_id=number)
    rows = events()
    assert [row.id for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0].previous_hash == chain.GENESIS
    for before, after in itertools.pairwise(rows):
        assert after.previous_hash == before.hash
    for row in rows:  # the stored row hashes to its stored hash (PostgreSQL hashes in SQL)
        assert chain.digest({name: getattr(row, name) for name in chain.FIELDS}) == row.hash
    assert verify_chain().intact


@pytest.mark.django_db
def test_the_verify_command_counts_and_says_intact(capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(3):
        record(Action.SIGN_OUT)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "3 rows checked: chain intact" in out
    assert last_event().hash in out


def _broken(capsys: pytest.CaptureFixture[str]) -> CommandError:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert failure.value.returncode == 1  # the exit code of `manage verify_audit`
    return failure.value


def _some_events() -> None:
    for number in range(1, 5):
        record(Action.READ, object_type="episode", object_id=number, outcome=Outcome.ALLOWED)


@pytest.mark.django_db
def test_a_forged_row_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    _some_events()
    forged = raw_insert(hash="f" * 64)
    message = str(_broken(capsys))
    assert f"row id {forged}" in message
    assert "hash mismatch" in message


@pytest.mark.django_db
def test_a_forged_row_with_a_wrong_parent_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    _some_events()
    forged = raw_insert(previous_hash="b" * 64)  # its own hash computed correctly
    message = str(_broken(capsys))
    assert f"row id {forged}" in message
    assert "previous-hash mismatch" in message


@pytest.mark.django_db
def test_a_row_slipped_in_after_a_gap_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    _some_events()
    forged = raw_insert(id=last_event().id + 5)
    message = str(_broken(capsys))
    assert f"row id {forged}" in message
    assert "gap" in message


@pytest.mark.django_db
def test_rows_after_the_forgery_do_not_hide_it(capsys: pytest.CaptureFixture[str]) -> None:
    _some_events()
    forged = raw_insert(hash="f" * 64)
    record(Action.SIGN_OUT)  # honest rows keep being appended after it
    assert f"row id {forged}:" in str(_broken(capsys))


@pytest.mark.skipif(not ON_SQLITE, reason="on PostgreSQL the trigger refuses the edit itself")
@pytest.mark.django_db
def test_on_sqlite_an_edited_row_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    _some_events()
    victim = events()[1].id
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET outcome = 'denied' WHERE id = %s", [victim])
    message = str(_broken(capsys))
    assert f"row id {victim}:" in message
    assert "hash mismatch" in message


@pytest.mark.skipif(not ON_SQLITE, reason="on PostgreSQL the trigger refuses the delete itself")
@pytest.mark.django_db
def test_on_sqlite_a_removed_row_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    _some_events()
    victim = events()[1].id
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim])
    message = str(_broken(capsys))
    assert f"row id {victim + 1}:" in message
    assert "gap" in message
