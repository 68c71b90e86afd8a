"""Requests per client and scope: the one throttle of the public pages and the APIs.

The same kind of counter as the sign-in throttle (`unknot.accounts.throttle`): a row in the
database under a keyed hash, so every worker process sees the same numbers. Each counted
request is one upsert, which starts the window again when the last one is over and returns
the count; past the scope's limit the client waits until its window ends (Retry-After).
Rows of clients quiet for an hour are deleted with the sign-in throttle's housekeeping
(`throttle.record_success`), so no scheduled job is needed.

Who is counted: a signed-in patient by their account, anyone else by their address
(`throttle.client_address`: REMOTE_ADDR, never a forwarded-for header). Signed-in staff are
not counted: their accounts have a second factor, everything they do is audited, and the
front desk and the benchmark's clients book quickly from one address on purpose.

Where each scope is checked (docs/security.md, "Fair use"): pages and their 429 page by
`RequestThrottleMiddleware` below, the booking API in `booking.api.json_api`, the REST API by
`api.throttling.RequestThrottle`, FHIR in `fhir.http.endpoint`. Each answers in its format.
"""

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from unknot.accounts import throttle
from unknot.accounts.access import staff_role
from unknot.accounts.models import RequestCounter

TOO_MANY = "Too many requests from your connection: please wait a minute and try again."

# Which pages count in which scope; the first match wins. Only the public pages of the site
# and of online booking: the APIs check their own scope where they answer in their format.
PAGE_SCOPES = (
    (re.compile(r"/booking/clinics/[^/]+/hold/"), "hold"),
    (re.compile(r"/booking/clinics/[^/]+/question/.*"), "question"),
    (re.compile(r"/booking/(clinics|manage)/.*"), "pages"),
    (re.compile(r"/(clinics/.*)?"), "pages"),
    (re.compile(r"/certify/.*"), "pages"),  # a physician's certification link
)

_UPSERT = """
INSERT INTO {table} ({key}, window_started, hits) VALUES (%s, %s, 1)
ON CONFLICT ({key}) DO UPDATE SET
    hits = CASE WHEN {table}.window_started <= %s THEN 1 ELSE {table}.hits + 1 END,
    window_started = CASE WHEN {table}.window_started <= %s
                          THEN excluded.window_started ELSE {table}.window_started END
RETURNING hits, window_started
"""


def client_of(request: Any) -> str | None:
    """What to count this request under; None for signed-in staff, who are not counted."""
    user = getattr(request, "user", None)
    if staff_role(user) is not None:
        return None
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "address:" + throttle.client_address(request)


def count(scope: str, client: str, now: int, window: int) -> tuple[int, int]:
    """Counts one request; returns the hits in the current window and when it started."""
    quote = connection.ops.quote_name
    table = quote(RequestCounter._meta.db_table)
    sql = _UPSERT.format(table=table, key=quote("key"))
    key = throttle.keyed_hash("request:" + scope, client)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, now, now - window, now - window])
        hits, started = cursor.fetchone()
    return int(hits), int(started)


def wait_for(request: Any, scope: str) -> int | None:
    """Counts the request in `scope`; the seconds to wait when it is over the limit, else None.

    A limit of 0 turns the scope's throttle off.
    """
    limit = int(settings.REQUEST_THROTTLE_LIMITS.get(scope, 0))
    client = client_of(request) if limit > 0 else None
    if client is None:
        return None
    window = int(settings.REQUEST_THROTTLE_WINDOW_SECONDS)
    now = int(timezone.now().timestamp())
    hits, started = count(scope, client, now, window)
    return None if hits <= limit else max(1, started + window - now)


def page_scope(path: str) -> str | None:
    return next((scope for pattern, scope in PAGE_SCOPES if pattern.fullmatch(path)), None)


def too_many_requests_page(request: HttpRequest, wait: int) -> HttpResponse:
    context = {"message": TOO_MANY, "wait_seconds": wait}
    response = render(request, "too_many_requests.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


class RequestThrottleMiddleware:
    """Throttles the public pages (`PAGE_SCOPES`) and answers over the limit with a page.

    Last in MIDDLEWARE: the user is known by then (staff are not counted), and the 429 page
    still gets every header the middleware above adds (CSP, no-store, frame options).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        scope = page_scope(request.path_info)
        wait = wait_for(request, scope) if scope is not None else None
        if wait is not None:
            return too_many_requests_page(request, wait)
        return self.get_response(request)
