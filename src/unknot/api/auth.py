"""Bearer-token authentication for DRF, through the one lookup in `unknot.api.tokens`."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from unknot.api.tokens import user_from_bearer


class BearerAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`. A wrong, revoked or malformed token is a 401."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None  # no credentials: another class (the session) may still apply
        user = user_from_bearer(header)
        if user is None:
            raise AuthenticationFailed("This token is not valid: it may have been revoked.")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "unknot.api.auth.BearerAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "An API token (unk_...)."}
