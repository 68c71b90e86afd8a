"""The demo's mailbox: each email printed as a person reads it, in the terminal of `make demo`.

Django's console backend prints the raw message, where quoted-printable breaks long links
across lines with `=`; here the text is decoded, so a reset or intake link can be clicked.
Attachments (the .ics of a booking) are named, not printed.
"""

from email import message_from_bytes
from email.message import EmailMessage as ParsedMessage
from email.policy import default as modern_policy
from typing import Any

from django.core.mail.backends.console import EmailBackend

RULE = "-" * 79


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message: Any) -> None:
        parsed = _parsed(message)
        lines = [f"{name}: {parsed[name]}" for name in ("Date", "From", "To", "Subject")]
        body = parsed.get_body(preferencelist=("plain",))
        lines += ["", body.get_content().rstrip() if body is not None else "(no text)"]
        lines += [f"[attached: {part.get_filename()}]" for part in parsed.iter_attachments()]
        self.stream.write("\n".join(["", RULE, *lines, RULE, ""]))


def _parsed(message: Any) -> ParsedMessage:
    parsed = message_from_bytes(message.message().as_bytes(), policy=modern_policy)
    assert isinstance(parsed, ParsedMessage)  # the modern policy's class
    return parsed
