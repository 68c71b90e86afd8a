"""How long an email's text is kept once it no longer needs sending.

A sent (or cancelled) email keeps its row: who it went to, when, which kind and its key. The
key is what makes each email go out once (outbox.queue), so the row must outlive any chance
of the same email being queued again. Its body and calendar attachment, the bulk of the
table, are dropped after settings.RETAIN_SENT_EMAIL_BODY_DAYS.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet

from unknot.outbox.models import OutboxEmail, OutboxStatus

# What a dropped body is replaced by, so a page showing the email says why it is empty.
DROPPED = "(The text of this email is no longer kept.)"


def bodies_past_keeping(now: dt.datetime) -> QuerySet[OutboxEmail]:
    """Sent or cancelled emails older than the retention period whose text is still kept."""
    before = now - dt.timedelta(days=settings.RETAIN_SENT_EMAIL_BODY_DAYS)
    done = Q(status=OutboxStatus.SENT, sent_at__lt=before) | Q(
        status=OutboxStatus.CANCELLED, created_at__lt=before
    )
    return OutboxEmail.objects.filter(done).exclude(body=DROPPED)


def drop_bodies(emails: QuerySet[OutboxEmail]) -> int:
    return emails.update(body=DROPPED, ics="")
