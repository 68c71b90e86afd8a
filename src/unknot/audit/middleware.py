from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from unknot.audit import context


class AuditContextMiddleware:
    """Makes the request's user, address and path known to audit.record() for one request.

    Sits right after AuthenticationMiddleware, so request.user exists (still lazy: it is
    only loaded if something is recorded).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.enter(context.from_request(request))
        try:
            return self.get_response(request)
        finally:
            context.leave(token)
