"""Signed links that let a person manage a booking from an email without signing in."""

from django.core import signing
from django.urls import reverse

from unknot.outbox import links as outbox_links

SALT = "unknot.booking.manage"
MAX_AGE_SECONDS = 60 * 60 * 24 * 400  # a booking can be made up to a year ahead


def manage_token(appointment_id: int) -> str:
    return signing.dumps({"a": appointment_id}, salt=SALT, compress=True)


def appointment_from_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    value = data.get("a") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def manage_url(appointment_id: int) -> str:
    return outbox_links.absolute(reverse("booking:manage", args=[manage_token(appointment_id)]))
