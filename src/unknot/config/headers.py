"""Permissions-Policy: the one security header Django does not set itself.

No page of unknot uses a camera, a microphone, the location or any other powerful browser
feature, so every response denies them all to the page and to anything it might embed
(`PERMISSIONS_POLICY` in the settings). The other headers come from Django's own middleware
and settings: `SecurityMiddleware` (HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy), `XFrameOptionsMiddleware` and `ContentSecurityPolicyMiddleware`.
"""

from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


def permissions_policy(policy: Mapping[str, Iterable[str]]) -> str:
    """The header's value: `camera=(), microphone=()`; an allow-list such as ["self"] gives
    `fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Sets the site's Permissions-Policy on every response, whatever the view said."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.value = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Permissions-Policy"] = self.value
        return response
