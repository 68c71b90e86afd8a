"""Throttling of failed sign-ins: per account and address, per account, per address.

The design (docs/sign-in.md explains it for operators):

- **Account from one address** (pair): the first `SIGN_IN_FREE_FAILURES` failures cost
  nothing; each further one makes that address wait 2, 4, 8 ... seconds before the next try
  on that account, up to `SIGN_IN_MAX_DELAY_SECONDS`. It only ever slows that one address.
- **Account from any address**: `SIGN_IN_ACCOUNT_LIMIT` failures stop further tries on the
  account, so rotating addresses does not buy an attacker more guesses ...
- **Address, any account**: `SIGN_IN_ADDRESS_LIMIT` failures stop an address that sprays
  many accounts ...
- ... except from a *trusted* address: one from which the account has completed a sign-in
  within `SIGN_IN_TRUSTED_DAYS`. So an attacker cannot lock the owner out, nor a whole
  clinic (its staff sign in from addresses they used before).

Every counter starts again once `SIGN_IN_WINDOW_MINUTES` pass without a failure, so nothing
blocks anyone for ever. The address is REMOTE_ADDR, nothing else: a header such as
X-Forwarded-For is written by the client and would let an attacker choose their address.
Counters live in the database, so every worker process sees the same numbers.

Usernames are compared case-folded and stored only as keyed hashes; unknown usernames are
counted exactly like real ones, so the throttle says nothing about which accounts exist.
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.crypto import salted_hmac

from unknot.accounts.models import RequestCounter, SignInCounter, TrustedAddress

Scope = SignInCounter.Scope


@dataclass(frozen=True)
class Limits:
    window: dt.timedelta
    free_failures: int
    max_delay_seconds: int
    account_limit: int
    address_limit: int
    trusted_for: dt.timedelta


def limits() -> Limits:
    return Limits(
        window=dt.timedelta(minutes=settings.SIGN_IN_WINDOW_MINUTES),
        free_failures=settings.SIGN_IN_FREE_FAILURES,
        max_delay_seconds=settings.SIGN_IN_MAX_DELAY_SECONDS,
        account_limit=settings.SIGN_IN_ACCOUNT_LIMIT,
        address_limit=settings.SIGN_IN_ADDRESS_LIMIT,
        trusted_for=dt.timedelta(days=settings.SIGN_IN_TRUSTED_DAYS),
    )


def client_address(request: Any) -> str:
    """The peer's address as the server saw it; forwarded-for headers are ignored on purpose."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


def normalise(username: str | None) -> str:
    return (username or "").strip().casefold()


def keyed_hash(scope: str, *parts: str) -> str:
    """The key a counter is stored under: an HMAC (SECRET_KEY) of what it counts, never the
    text itself. Also used by the request throttle and the limits on booking holds."""
    digest = salted_hmac("unknot.accounts.throttle", "\n".join((scope, *parts)), algorithm="sha256")
    return digest.hexdigest()


def _keys(username: str, address: str) -> dict[str, str]:
    return {
        Scope.PAIR: keyed_hash(Scope.PAIR, username, address),
        Scope.ACCOUNT: keyed_hash(Scope.ACCOUNT, username),
        Scope.ADDRESS: keyed_hash(Scope.ADDRESS, address),
    }


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def is_trusted(username: str, address: str, now: dt.datetime) -> bool:
    since = now - limits().trusted_for
    key = keyed_hash("trusted", username, address)
    return TrustedAddress.objects.filter(key=key, last_signed_in_at__gte=since).exists()


def wait_seconds(username: str, address: str, now: dt.datetime) -> int | None:
    """How long this username must wait from this address; None when it may try now."""
    rules = limits()
    keys = _keys(username, address)
    live = {
        row.scope: row
        for row in SignInCounter.objects.filter(
            key__in=keys.values(), last_failure_at__gt=now - rules.window
        )
    }
    pair = live.get(Scope.PAIR)
    if pair is not None and pair.blocked_until is not None and pair.blocked_until > now:
        return _seconds_until(pair.blocked_until, now)
    capped = [
        row
        for scope, limit in (
            (Scope.ACCOUNT, rules.account_limit),
            (Scope.ADDRESS, rules.address_limit),
        )
        if (row := live.get(scope)) is not None and row.failures >= limit
    ]
    if not capped or is_trusted(username, address, now):
        return None
    return max(_seconds_until(row.last_failure_at + rules.window, now) for row in capped)


def _count(scope: str, key: str, now: dt.datetime, rules: Limits) -> SignInCounter:
    row, _ = SignInCounter.objects.select_for_update().get_or_create(
        key=key, defaults={"scope": scope, "last_failure_at": now}
    )
    if row.last_failure_at <= now - rules.window:  # a quiet window: start again
        row.failures, row.blocked_until = 0, None
    row.failures += 1
    row.last_failure_at = now
    return row


def record_failure(username: str, address: str, now: dt.datetime) -> None:
    """One more failed password (or second-factor code) for this username from this address."""
    rules = limits()
    with transaction.atomic():
        for scope, key in _keys(username, address).items():
            row = _count(scope, key, now, rules)
            beyond = row.failures - rules.free_failures
            if scope == Scope.PAIR and beyond > 0:
                delay = min(2 ** min(beyond, 30), rules.max_delay_seconds)
                row.blocked_until = now + dt.timedelta(seconds=delay)
            row.save()


def record_success(username: str, address: str, now: dt.datetime) -> None:
    """A completed sign-in: this address is trusted for the account, its own count cleared."""
    keys = _keys(username, address)
    with transaction.atomic():
        SignInCounter.objects.filter(key=keys[Scope.PAIR]).delete()
        TrustedAddress.objects.update_or_create(
            key=keyed_hash("trusted", username, address), defaults={"last_signed_in_at": now}
        )
        # Housekeeping: rows past their use are dropped here, so no scheduled job is needed
        # (purge_expired drops the same rows, for a site where nobody signs in for a while).
        for rows in stale_rows(now):
            rows.delete()


def stale_rows(now: dt.datetime) -> list[models.QuerySet[Any]]:
    """The throttles' rows past their use: counters whose window has passed without a
    failure, addresses no longer trusted, and the request counters of clients quiet for an
    hour."""
    rules = limits()
    quiet = int(now.timestamp()) - 3600 - settings.REQUEST_THROTTLE_WINDOW_SECONDS
    return [
        SignInCounter.objects.filter(last_failure_at__lte=now - rules.window),
        TrustedAddress.objects.filter(last_signed_in_at__lt=now - rules.trusted_for),
        RequestCounter.objects.filter(window_started__lt=quiet),
    ]
