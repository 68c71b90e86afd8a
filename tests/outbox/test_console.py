"""The demo's mailbox in the terminal: an email as a person reads it, links whole."""

import io

from django.core.mail import EmailMessage

from unknot.outbox.console import ReadableConsoleBackend

LINK = "http://127.0.0.1:8000/accounts/password/reset/MQ/" + "a1b2c3d4" * 8 + "/"


def test_an_email_is_printed_decoded_with_its_link_on_one_line() -> None:
    terminal = io.StringIO()
    message = EmailMessage(
        subject="Choose a new password for Harbour Street",
        body=f"Hello Lucía,\n\nChoose a new password here:\n\n{LINK}\n",
        from_email="unknot <no-reply@unknot.example>",
        to=["lucia@example.org"],
    )
    message.attach("appointment.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    assert ReadableConsoleBackend(stream=terminal).send_messages([message]) == 1
    printed = terminal.getvalue()
    assert "To: lucia@example.org" in printed
    assert "Subject: Choose a new password for Harbour Street" in printed
    assert LINK in printed.splitlines()  # whole, on a line of its own
    assert "Hello Lucía," in printed  # decoded, not =C3=AD
    assert "[attached: appointment.ics]" in printed and "BEGIN:VCALENDAR" not in printed
