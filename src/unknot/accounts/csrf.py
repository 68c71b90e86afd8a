"""Django's own CSRF check for views that answer a refusal in their own format (JSON, FHIR)."""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, returning the reason instead of rendering its HTML page."""

    def _reject(self, request: HttpRequest, reason: str) -> str:
        return reason


def csrf_refusal(request: HttpRequest) -> str | None:
    """Why Django's CSRF check refuses this request, or None when it passes."""
    check = _CsrfCheck(lambda request: HttpResponse())
    check.process_request(request)
    # No view to pass: the check only looks for a csrf_exempt attribute on it, and None has none.
    reason = check.process_view(request, None, (), {})  # type: ignore[arg-type]
    return reason if isinstance(reason, str) else None
