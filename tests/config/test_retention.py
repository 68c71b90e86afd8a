"""purge_expired: rows past their use go, in batches, recorded as one audit event; rows still
in use, the audit trail and the record of each sent email stay."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from tests.audit.support import last_event
from tests.personas import Cast
from unknot.accounts.models import RequestCounter, SignInCounter, TrustedAddress
from unknot.audit import record
from unknot.audit.models import Action, AuditEvent
from unknot.audit.services import verify_chain
from unknot.config.retention import purge_expired
from unknot.exports.models import KeptSummary
from unknot.outbox import tasks
from unknot.outbox.models import OutboxEmail, OutboxStatus
from unknot.outbox.queue import queue_email
from unknot.outbox.retention import DROPPED

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=400)


def _email(cast: Cast, key: str, status: str, when: dt.datetime) -> OutboxEmail:
    queue_email(
        key=key, kind="confirmation", appointment=None, clinic_id=cast.clinic_a.pk,
        to="pat@example.org", subject="Your visit", body="Dear Pat, see you on Monday.",
        ics_text="BEGIN:VCALENDAR", send_after=when,
    )  # fmt: skip
    # The past: the worker sent (or cancelled) it back then.
    OutboxEmail.objects.filter(key=key).update(status=status, sent_at=when, created_at=when)
    return OutboxEmail.objects.get(key=key)


def _session(expires: dt.datetime) -> str:
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=expires)
    return str(store.session_key)


def _throttle_rows(when: dt.datetime, key: str) -> None:
    SignInCounter.objects.create(scope="pair", key=key, failures=1, last_failure_at=when)
    TrustedAddress.objects.create(key=key, last_signed_in_at=when)
    RequestCounter.objects.create(key=key, window_started=int(when.timestamp()), hits=1)


def _finished_task(when: dt.datetime) -> Any:
    result = tasks.sweep_outbox.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status="SUCCESSFUL", finished_at=when)
    return result.id


def _kept_summary(cast: Cast, asker: Any, when: dt.datetime) -> int:
    made = KeptSummary.objects.create(
        patient=cast.patient_p, asked_by=asker, fingerprint="f" * 64, pdf=b"%PDF-",
        asked_at=when, ready_at=when,
    )  # fmt: skip
    return made.pk


def test_rows_past_their_use_go_and_the_rest_stay(cast: Cast) -> None:
    old_sent = _email(cast, "old-sent", OutboxStatus.SENT, LONG_AGO)
    old_cancelled = _email(cast, "old-cancelled", OutboxStatus.CANCELLED, LONG_AGO)
    recent = _email(cast, "recent", OutboxStatus.SENT, NOW - dt.timedelta(days=2))
    queued = _email(cast, "queued", OutboxStatus.QUEUED, LONG_AGO)
    expired, live = _session(NOW - dt.timedelta(hours=1)), _session(NOW + dt.timedelta(hours=1))
    _throttle_rows(LONG_AGO, "a" * 64)
    _throttle_rows(NOW - dt.timedelta(seconds=5), "b" * 64)
    old_task, new_task = _finished_task(LONG_AGO), _finished_task(NOW - dt.timedelta(hours=1))
    stale_summary = _kept_summary(cast, cast.therapist_a, LONG_AGO)
    fresh_summary = _kept_summary(cast, cast.manager, NOW - dt.timedelta(days=1))
    record(Action.READ, object_type="patient", object_id=1, patient_id=1)
    trail = AuditEvent.objects.count()

    counts = purge_expired(NOW, batch=1)

    assert counts == {
        "expired sessions": 1,
        "sign-in counters past their window": 1,
        "addresses no longer trusted": 1,
        "request counters of quiet clients": 1,
        "finished background tasks": 1,
        "texts of sent emails": 2,
        "PDF summaries not asked for again": 1,
    }
    assert list(KeptSummary.objects.values_list("pk", flat=True)) == [fresh_summary]
    assert stale_summary != fresh_summary
    assert set(Session.objects.values_list("pk", flat=True)) == {live}
    assert not Session.objects.filter(pk=expired).exists()
    for model in (SignInCounter, TrustedAddress, RequestCounter):
        assert list(model.objects.values_list("key", flat=True)) == ["b" * 64]
    assert DBTaskResult.objects.filter(id=new_task).exists()
    assert not DBTaskResult.objects.filter(id=old_task).exists()
    for email in (old_sent, old_cancelled):
        email.refresh_from_db()
        # the record that it was sent stays: who, when, which kind, its once-only key
        assert (email.body, email.ics, email.to, email.kind) == (
            DROPPED,
            "",
            "pat@example.org",
            "confirmation",
        )
    for email in (recent, queued):
        email.refresh_from_db()
        assert email.body.startswith("Dear Pat")
    # nothing of the trail went; the run added its one summary row
    assert AuditEvent.objects.count() == trail + 1
    summary = last_event()
    assert (summary.action, summary.object_type, summary.object_id, summary.reason) == (
        "delete", "expired_rows", "8", "retention",
    )  # fmt: skip
    assert verify_chain().intact


def test_a_second_run_finds_nothing(cast: Cast) -> None:
    _email(cast, "old-sent", OutboxStatus.SENT, LONG_AGO)
    purge_expired(NOW)
    assert sum(purge_expired(NOW).values()) == 0


def test_a_purged_email_is_still_not_queued_twice(cast: Cast) -> None:
    _email(cast, "once", OutboxStatus.SENT, LONG_AGO)
    purge_expired(NOW)
    _email(cast, "once", OutboxStatus.SENT, LONG_AGO)
    assert OutboxEmail.objects.filter(key="once").count() == 1


def test_the_command_prints_each_kind_and_refuses_a_bad_batch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("purge_expired", "--batch", "50")
    out = capsys.readouterr().out
    assert "expired sessions: 0" in out and "rows purged" in out
    with pytest.raises(CommandError, match="at least 1"):
        call_command("purge_expired", "--batch", "0")
