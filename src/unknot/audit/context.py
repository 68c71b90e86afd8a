"""Who is asking and from where, for the length of one request.

The middleware puts a RequestContext in a context variable; audit.record() reads it, so
code deep inside a selector need not pass the request around. It also remembers what was
already recorded in this request, so that a page reading the same record three times
leaves one row, not three.
"""

import ipaddress
from contextvars import ContextVar, Token
from dataclasses import dataclass, field

from django.http import HttpRequest

from unknot.accounts.models import AnyUser

PATH_LENGTH = 255


@dataclass
class RequestContext:
    user: AnyUser | None  # request.user, possibly still lazy (None: no auth middleware ran)
    remote_addr: str
    path: str
    # What this request already recorded: (action, object type, id, outcome, reason).
    recorded: set[tuple[str, ...]] = field(default_factory=set)


_current: ContextVar[RequestContext | None] = ContextVar("unknot_audit_context", default=None)


def client_address(request: HttpRequest) -> str:
    """The connecting address, from REMOTE_ADDR only.

    X-Forwarded-For is written by the client and anyone can forge it; behind a proxy the
    proxy must set REMOTE_ADDR (e.g. a WSGI server's trusted-proxy setting), not us.
    """
    raw = str(request.META.get("REMOTE_ADDR", "")).strip()
    try:
        return ipaddress.ip_address(raw).compressed
    except ValueError:
        return ""


def from_request(request: HttpRequest) -> RequestContext:
    user = getattr(request, "user", None)
    return RequestContext(user, client_address(request), request.path[:PATH_LENGTH])


def current() -> RequestContext | None:
    return _current.get()


def enter(request_context: RequestContext) -> Token[RequestContext | None]:
    return _current.set(request_context)


def leave(token: Token[RequestContext | None]) -> None:
    _current.reset(token)
