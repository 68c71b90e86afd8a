"""Gives each request its own break-glass state and tells it which view serves it: whether
that view is declared `@staff_only(..., break_glass=True)` decides if an opening may let a
read through."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from unknot.breakglass import enforce


class BreakGlassMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = enforce.enter()
        try:
            return self.get_response(request)
        finally:
            enforce.leave(token)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        enforce.on_page(view)
