"""Signed checkpoints: verify_audit walks only the rows after the newest valid one, refuses a
forged or changed checkpoint (and says so), and --full still walks every row."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from tests.audit.support import last_event, raw_insert
from unknot.audit import checkpoints, record
from unknot.audit.models import Action, AppendOnlyError, AuditCheckpoint

pytestmark = pytest.mark.django_db
ON_SQLITE = connection.vendor == "sqlite"


def _events(count: int) -> None:
    for number in range(count):
        record(Action.READ, object_type="episode", object_id=number + 1)


def _verify(capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[str, str]:
    call_command("verify_audit", *flags)
    captured = capsys.readouterr()
    return captured.out, captured.err


def _broken(*flags: str) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", *flags)
    return str(failure.value)


def _sql(statement: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_run_signs_a_checkpoint_and_the_next_reads_only_the_new_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _events(5)
    out, _ = _verify(capsys)
    assert "no valid checkpoint" in out and "5 rows checked: chain intact" in out
    made = AuditCheckpoint.objects.get()
    assert (made.last_event_id, made.last_hash) == (last_event().id, last_event().hash)
    assert checkpoints.is_signed(made)
    _events(3)
    out, _ = _verify(capsys)
    # the checkpoint's own row (proven still there) and the three after it
    assert f"from checkpoint #{made.pk}" in out and "4 rows checked: chain intact" in out
    assert AuditCheckpoint.objects.count() == 2


def test_nothing_new_signs_no_new_checkpoint(capsys: pytest.CaptureFixture[str]) -> None:
    _events(2)
    _verify(capsys)
    _verify(capsys)
    assert AuditCheckpoint.objects.count() == 1


def test_a_forged_row_after_the_checkpoint_is_found(capsys: pytest.CaptureFixture[str]) -> None:
    _events(4)
    _verify(capsys)
    _events(2)
    forged = raw_insert(hash="f" * 64)
    message = _broken()
    assert f"row id {forged}" in message and "hash mismatch" in message


@pytest.mark.skipif(not ON_SQLITE, reason="PostgreSQL refuses the UPDATE (its trigger)")
def test_an_edited_row_after_the_checkpoint_is_found(capsys: pytest.CaptureFixture[str]) -> None:
    _events(4)
    _verify(capsys)
    _events(3)
    edited = last_event().id - 1
    _sql("UPDATE audit_auditevent SET outcome = 'denied' WHERE id = %s", edited)
    assert f"row id {edited}" in _broken()


@pytest.mark.skipif(not ON_SQLITE, reason="PostgreSQL refuses the DELETE (its trigger)")
def test_a_tail_cut_back_past_the_checkpoint_is_found(capsys: pytest.CaptureFixture[str]) -> None:
    _events(4)
    _verify(capsys)
    _sql("DELETE FROM audit_auditevent WHERE id >= %s", last_event().id - 1)
    assert "checkpoint mismatch" in _broken()


@pytest.mark.skipif(not ON_SQLITE, reason="PostgreSQL refuses the UPDATE (its trigger)")
def test_an_edit_before_the_checkpoint_is_found_by_a_full_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _events(4)
    _verify(capsys)
    _sql("UPDATE audit_auditevent SET outcome = 'denied' WHERE id = 2")
    _verify(capsys)  # vouched for by the checkpoint: the incremental run reads past it
    assert "row id 2" in _broken("--full")


def test_a_forged_checkpoint_is_refused_and_the_previous_one_used(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _events(3)
    _verify(capsys)
    good = AuditCheckpoint.objects.get()
    _events(2)
    forged_id = raw_insert(hash="e" * 64)  # a forger's row, and a checkpoint vouching for it
    forged = AuditCheckpoint.objects.create(
        last_event_id=forged_id, last_hash="e" * 64, made_at=good.made_at, signature="0" * 64
    )
    message = _broken()
    err = capsys.readouterr().err
    assert f"checkpoint #{forged.pk}" in err and "REFUSED" in err
    assert f"row id {forged_id}" in message  # walked from the good checkpoint, found the row


@pytest.mark.skipif(not ON_SQLITE, reason="PostgreSQL refuses the UPDATE (its trigger)")
def test_a_changed_checkpoint_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    _events(3)
    _verify(capsys)
    _events(2)
    _verify(capsys)
    newest = AuditCheckpoint.objects.order_by("-id").first()
    assert newest is not None
    _sql("UPDATE audit_auditcheckpoint SET last_event_id = 1 WHERE id = %s", newest.pk)
    out, err = _verify(capsys)
    assert f"checkpoint #{newest.pk}" in err and "REFUSED" in err
    assert f"from checkpoint #{newest.pk - 1}" in out


def test_a_checkpoint_signed_with_another_key_is_refused_unless_kept_as_an_old_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    old, new = "the-old-key-" + "k" * 40, "the-new-key-" + "n" * 40
    _events(2)
    with override_settings(AUDIT_CHECKPOINT_KEY=old):
        _verify(capsys)
    made = AuditCheckpoint.objects.get()
    with override_settings(AUDIT_CHECKPOINT_KEY=new):
        assert checkpoints.newest_valid() == checkpoints.Start(None, [made])
    _events(1)
    with override_settings(AUDIT_CHECKPOINT_KEY=new, AUDIT_CHECKPOINT_OLD_KEYS=[old]):
        out, err = _verify(capsys)
    assert not err and f"from checkpoint #{made.pk}" in out
    newest = AuditCheckpoint.objects.order_by("-id").first()
    assert newest is not None
    with override_settings(AUDIT_CHECKPOINT_KEY=new):  # the old key can now go
        assert checkpoints.newest_valid().checkpoint == newest


def test_full_verifies_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    _events(4)
    _verify(capsys)
    _events(2)
    out, _ = _verify(capsys, "--full")
    assert "6 rows checked: chain intact" in out


def test_checkpoints_cannot_be_changed_or_removed_through_the_model() -> None:
    _events(1)
    made = checkpoints.write(last_event().id, last_event().hash)
    with pytest.raises(AppendOnlyError):
        made.save()
    with pytest.raises(AppendOnlyError):
        made.delete()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.update(last_event_id=0)


def _as_the_site_would(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Refuse TRUNCATE in this transaction, as on a running site (see audit.signals).
        cursor.execute("SELECT set_config('unknot.audit_truncate', '', true)")
        cursor.execute(sql)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditcheckpoint SET last_event_id = 0",
        "DELETE FROM audit_auditcheckpoint",
        "TRUNCATE audit_auditcheckpoint",
    ],
)
def test_postgres_refuses_changing_checkpoints(sql: str) -> None:
    _events(1)
    checkpoints.write(last_event().id, last_event().hash)
    with pytest.raises(DatabaseError, match="append-only"):
        _as_the_site_would(sql)
    assert AuditCheckpoint.objects.count() == 1
