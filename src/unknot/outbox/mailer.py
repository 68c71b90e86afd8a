"""Turns an outbox row into a real email, with its iCalendar attachment."""

from django.conf import settings
from django.core.mail import EmailMessage

from unknot.outbox.models import OutboxEmail


def send(row: OutboxEmail) -> None:
    message = EmailMessage(
        subject=row.subject, body=row.body, to=[row.to], headers={"Message-ID": message_id(row)}
    )
    if row.ics:
        method = "CANCEL" if "METHOD:CANCEL" in row.ics else "PUBLISH"
        message.attach("appointment.ics", row.ics, f"text/calendar; method={method}")
    message.send()


def message_id(row: OutboxEmail) -> str:
    """The same Message-ID every time this row is sent: should a worker die between the SMTP
    server's acceptance and the row being marked sent, the retry is recognisably the same
    email (mail systems and the failover drill, deploy/drill.py, count by it)."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "unknot.invalid"
    return f"<outbox-{row.pk}@{domain}>"
