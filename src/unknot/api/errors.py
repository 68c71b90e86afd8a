"""One error format for every 4xx of the API, whatever raised it:

    {"error": {"code": "...", "message": "...", "fields": {"field": "what is wrong"}}}

The exceptions of our own services (any `Refused`: a booking rule, a taken slot; model
validation) are turned into the same shape here, so views never translate them one by one.
A refusal answers with its own `status`: 400 with its code, 409 with its code, or 403.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from unknot.common.errors import Refused
from unknot.common.inputs import BadInput

CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
}
MESSAGES = {
    400: "Some fields are not valid.",
    401: "Sign in, or send an API token: Authorization: Bearer <token>.",
    403: "Your role does not allow this.",
    404: "Not found.",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _text(detail: Any) -> str:
    """DRF details nest lists and dicts; a client wants one readable sentence per field."""
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_text(value)}" for key, value in detail.items())
    if isinstance(detail, list | tuple):
        return " ".join(_text(item) for item in detail)
    return str(detail)


def _fields(detail: Any) -> dict[str, str]:
    if not isinstance(detail, dict):
        return {}
    return {str(key): _text(value) for key, value in detail.items() if key != "non_field_errors"}


def _message(status_code: int, detail: Any) -> str:
    if isinstance(detail, dict):
        general = detail.get("non_field_errors")
        return (
            _text(general) if general else MESSAGES.get(status_code, "Some fields are not valid.")
        )
    return _text(detail) or MESSAGES.get(status_code, "Error.")


def _refused(exc: Refused) -> exceptions.APIException:
    """A service's refusal as the DRF exception of its `status`."""
    if exc.status == status.HTTP_409_CONFLICT:
        return Conflict(exc.message, code=exc.code)
    if exc.status == status.HTTP_403_FORBIDDEN:
        return exceptions.PermissionDenied(exc.message, code=exc.code)
    return exceptions.ValidationError({"non_field_errors": [exc.message]}, code=exc.code)


def _translate(exc: Exception) -> Exception:
    """Our services' exceptions as DRF exceptions with the right status."""
    if isinstance(exc, Refused):
        return _refused(exc)
    if isinstance(exc, BadInput):  # a date out of range, JSON too deep: the shared reader
        return exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]})
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return exceptions.ValidationError(detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def _code(exc: Exception, status_code: int) -> str:
    if isinstance(exc, Conflict | exceptions.ValidationError):
        codes = exc.get_codes()
        if isinstance(codes, dict) and set(codes) == {"non_field_errors"}:
            found = codes["non_field_errors"]
            code = found[0] if isinstance(found, list) and found else found
            if isinstance(code, str) and code not in ("invalid", "required"):
                return code
        elif isinstance(codes, str):
            return codes
    return CODES.get(status_code, "error")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: let Django report it
    detail = getattr(exc, "detail", response.data)
    response.data = error_body(
        _code(exc, response.status_code),
        _message(response.status_code, detail),
        _fields(detail),
    )
    return response
