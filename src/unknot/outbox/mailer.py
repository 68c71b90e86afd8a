"""Turns an outbox row into a real email, with its iCalendar attachment."""

from django.core.mail import EmailMessage

from unknot.outbox.models import OutboxEmail


def send(row: OutboxEmail) -> None:
    message = EmailMessage(subject=row.subject, body=row.body, to=[row.to])
    if row.ics:
        method = "CANCEL" if "METHOD:CANCEL" in row.ics else "PUBLISH"
        message.attach("appointment.ics", row.ics, f"text/calendar; method={method}")
    message.send()
