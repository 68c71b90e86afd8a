"""Making, finding and revoking API tokens. `user_from_bearer` is the one lookup every
token-authenticated interface (the REST API and FHIR) uses.

A token is `unk_` followed by 40 random URL-safe characters. Only its SHA-256 digest is
stored: a token has enough entropy that a slow password hash adds nothing, and a plain digest
lets the lookup be one indexed query.
"""

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from unknot import audit
from unknot.accounts.models import User
from unknot.api.models import ApiToken
from unknot.audit.models import Action
from unknot.booking.feeds import hash_token

PREFIX = "unk_"
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)  # don't write on every request
MAX_HEADER = 200  # anything longer is not one of our tokens; don't even hash it


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token, which is never stored."""
    name = name.strip()
    if not name:
        raise ValueError("A token needs a name, so you can tell your tokens apart.")
    token = PREFIX + secrets.token_urlsafe(30)
    row = ApiToken.objects.create(
        user=user,
        name=name[:80],
        digest=hash_token(token),
        prefix=token[:10],
        created=timezone.now(),
    )
    audit.record(Action.CREATE, object_type="api_token", object_id=row.pk)
    return row, token


def token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revokes one of `user`'s own tokens; someone else's token is not found (DoesNotExist)."""
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
        if row.revoked is None:
            row.revoked = timezone.now()
            row.save(update_fields=["revoked"])
            audit.record(Action.UPDATE, object_type="api_token", object_id=row.pk, reason="revoked")
    return row


def tokens_of(user: User) -> Any:
    return ApiToken.objects.filter(user=user)


def _token_from_header(header_value: str) -> str | None:
    scheme, _, token = (header_value or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith(PREFIX) or len(token) > MAX_HEADER:
        return None
    return token


def user_from_bearer(header_value: str) -> Any | None:
    """The active user behind `Authorization: Bearer <token>`, or None.

    None for a missing, malformed, unknown or revoked token and for an inactive user; the
    caller answers 401. Marks the token as used (at most once a minute).
    """
    token = _token_from_header(header_value)
    if token is None:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_token(token), revoked__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    _mark_used(row)
    return row.user


def _mark_used(row: ApiToken) -> None:
    now = timezone.now()
    if row.last_used is None or now - row.last_used > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
