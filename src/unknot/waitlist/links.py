"""Signed links to a waitlist offer, for its email: no sign-in needed, only the link.

The link names the offer only. It is good for as long as the offer is open: the offer's own
`expires_at` (at most a few hours) ends it, and once answered it is used; the signature's
age is a second, looser bound.
"""

from django.core import signing
from django.urls import reverse

from unknot.outbox import links as outbox_links

SALT = "unknot.waitlist.offer"
MAX_AGE_SECONDS = 60 * 60 * 24 * 7  # no offer lasts this long; a week-old link is refused


def offer_token(offer_id: int) -> str:
    return signing.dumps({"o": offer_id}, salt=SALT, compress=True)


def offer_from_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    value = data.get("o") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def offer_url(offer_id: int) -> str:
    return outbox_links.absolute(reverse("waitlist:offer", args=[offer_token(offer_id)]))
