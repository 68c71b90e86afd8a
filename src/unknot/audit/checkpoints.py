"""Signed checkpoints of the audit trail: "rows up to id N were proven intact, N's hash is H".

`verify_audit` starts from the newest checkpoint whose signature holds and walks only the
rows after it, then signs a new one. The signature is an HMAC-SHA256 over the id, the hash
and the time, keyed by settings.AUDIT_CHECKPOINT_KEY (by default SECRET_KEY, with a purpose
string of its own so the same secret signs nothing else the same way). A checkpoint that was
forged or changed in the database fails its signature: it is reported and passed over.
"""

import datetime as dt
import hmac
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from unknot.audit.models import AuditCheckpoint

PURPOSE = "unknot.audit.checkpoint"


def signed_text(last_event_id: int, last_hash: str, made_at: dt.datetime) -> str:
    when = made_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return f"{last_event_id}\n{last_hash}\n{when}"


def signature(text: str, secret: str) -> str:
    return salted_hmac(PURPOSE, text, secret=secret, algorithm="sha256").hexdigest()


def _secrets() -> list[str]:
    """The current key first, then the ones being rotated out (still accepted, never used)."""
    return [settings.AUDIT_CHECKPOINT_KEY, *settings.AUDIT_CHECKPOINT_OLD_KEYS]


def is_signed(checkpoint: AuditCheckpoint) -> bool:
    text = signed_text(checkpoint.last_event_id, checkpoint.last_hash, checkpoint.made_at)
    return any(
        hmac.compare_digest(checkpoint.signature, signature(text, secret)) for secret in _secrets()
    )


def write(last_event_id: int, last_hash: str) -> AuditCheckpoint:
    made_at = timezone.now()
    text = signed_text(last_event_id, last_hash, made_at)
    return AuditCheckpoint.objects.create(
        last_event_id=last_event_id,
        last_hash=last_hash,
        made_at=made_at,
        signature=signature(text, settings.AUDIT_CHECKPOINT_KEY),
    )


@dataclass(frozen=True)
class Start:
    """Where a verification begins: a valid checkpoint (or None: the start of the trail),
    and the newer checkpoints that were refused on the way to it."""

    checkpoint: AuditCheckpoint | None
    refused: list[AuditCheckpoint]


def _newest_first() -> Iterator[AuditCheckpoint]:
    return AuditCheckpoint.objects.order_by("-id").iterator(chunk_size=100)


def newest_valid() -> Start:
    """Walks back from the newest checkpoint; the first whose signature holds is the start."""
    refused: list[AuditCheckpoint] = []
    for checkpoint in _newest_first():
        if is_signed(checkpoint):
            return Start(checkpoint, refused)
        refused.append(checkpoint)
    return Start(None, refused)
