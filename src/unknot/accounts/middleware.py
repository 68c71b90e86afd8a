from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from unknot.accounts.access import staff_role


class IdleSessionMiddleware:
    """Ends a session after a period without requests: staff sooner than patients.

    Each request pushes the expiry forward (SESSION_SAVE_EVERY_REQUEST), so only
    inactivity ends it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            minutes = (
                settings.STAFF_IDLE_TIMEOUT_MINUTES
                if staff_role(request.user)
                else settings.PATIENT_IDLE_TIMEOUT_MINUTES
            )
            request.session.set_expiry(minutes * 60)
        return self.get_response(request)
