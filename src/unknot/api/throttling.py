"""The REST API's throttle: DRF's throttle hooks on the one request counter of the site
(`unknot.accounts.request_throttle`), in the scope "api".

Over the limit an API call answers 429 in the API's error format, with Retry-After (DRF's
exception handler sets it from `wait`). Refused calls count too: the count is taken before
the access rule refuses a call, so a flood of 401s is throttled like any other.
"""

from typing import Any, NoReturn

from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from unknot.accounts import request_throttle

SCOPE = "api"


class TooManyRequests(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, wait: int) -> None:
        super().__init__(request_throttle.TOO_MANY)
        self.wait = wait


class RequestThrottle(BaseThrottle):
    """Counts the call for its address, or for a signed-in patient's account (staff: never)."""

    def allow_request(self, request: Any, view: Any) -> bool:
        self.wait_seconds = request_throttle.wait_for(request, SCOPE)
        return self.wait_seconds is None

    def wait(self) -> float | None:
        return self.wait_seconds


class Throttled(APIView):
    """For API views: throttle every call once, refused ones included, before the answer.

    A mixin placed before the DRF view class; an APIView itself so that its `super()` calls
    are typed (the views' method order is the same either way)."""

    throttle_classes = [RequestThrottle]

    def check_throttles(self, request: Request) -> None:
        if getattr(request, "_throttle_checked", False):
            return
        request._throttle_checked = True  # type: ignore[attr-defined]  # our own flag on it
        super().check_throttles(request)

    def permission_denied(
        self, request: Request, message: Any = None, code: Any = None
    ) -> NoReturn:
        self.check_throttles(request)  # a refused call counts, and over the limit it is a 429
        super().permission_denied(request, message, code)

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManyRequests(int(wait or 1))
