"""OPTIONS for the web pages: the methods a URL accepts, told to whoever may use it.

Function views declare their methods with Django's decorators (`require_http_methods`,
`require_safe`, `require_POST`), which sit outside the access declarations and refuse any
other method with 405 before any check, OPTIONS included. This middleware turns that one
refusal into the answer, through the view's own access declaration (`access.answer_options`):
200 with the decorator's `Allow` (plus OPTIONS) for someone the declaration admits; for anyone
else what another method would get (the sign-in page, or 403). The view itself never runs.

Class-based views (the sign-in and password pages) are answered before they run, with the
methods their class defines: some of them act on any method (a password-reset link is
checked, and kept in the session, whatever the method).

The booking JSON API (`unknot.booking.api.json_api`), the REST API (`unknot.api.access`) and
FHIR (`unknot.fhir.http.endpoint`) answer OPTIONS themselves, in their own formats, with the
same declarations.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from unknot.accounts.access import allowed_by, answer_options

Handler = Callable[[HttpRequest], HttpResponse]


def class_view_methods(view_class: Any) -> list[str]:
    """What Django's `View.options` would list, without making the view."""
    names = [name for name in view_class.http_method_names if hasattr(view_class, name)]
    if "get" in names and "head" not in names:
        names.append("head")  # View.setup() answers HEAD with get
    return [name.upper() for name in names]


class OptionsMiddleware:
    """Goes last in MIDDLEWARE: its answer then passes every other middleware like any page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        declared_class = getattr(view, "view_class", None)
        if request.method != "OPTIONS" or declared_class is None or hasattr(view, "cls"):
            return None  # DRF views (`cls`) answer through their own permission class
        if not hasattr(view, "admit"):
            return None
        return answer_options(request, view, class_view_methods(declared_class))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method != "OPTIONS" or not isinstance(response, HttpResponseNotAllowed):
            return response
        match = request.resolver_match
        view = match.func if match is not None else None
        if not hasattr(view, "admit"):
            return response  # not a declared page: its 405 stands
        return answer_options(request, view, allowed_by(response))
