"""Signed links to a plan's certification, for the physician's email: no account needed.

The link names the certification only. It is good until the row's own `expires_at`
(UNKNOT_CERTIFICATION_LINK_DAYS, 30 days by default) and only once: an answered or replaced
row refuses it. The signature's age is a second bound of the same length; a forged or
changed token is refused by its signature.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from unknot.outbox import links as outbox_links

SALT = "unknot.plans.certification"


def link_days() -> int:
    return int(getattr(settings, "UNKNOT_CERTIFICATION_LINK_DAYS", 30))


class LinkExpired(Exception):
    """The link's signature is good but older than the links live."""


def certification_token(certification_id: int) -> str:
    return signing.dumps({"c": certification_id}, salt=SALT, compress=True)


def certification_from_token(token: str) -> int | None:
    """The certification's id; None for a forged or changed token; LinkExpired for an old one."""
    try:
        data = signing.loads(token, salt=SALT, max_age=link_days() * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        return None
    value = data.get("c") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def certification_url(certification_id: int) -> str:
    return outbox_links.absolute(
        reverse("certify:plan", args=[certification_token(certification_id)])
    )
