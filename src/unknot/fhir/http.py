"""The HTTP edge of the FHIR interface: who is asking, the one error shape, JSON in and out.

Every answer is `application/fhir+json`; every refusal is an OperationOutcome whose
`diagnostics` says what went wrong in words; a service's `Refused` by its `status` (409
`conflict`, 403 `forbidden`, otherwise FHIR's 422 `business-rule`). Authentication is the
session (the web app's sign-in) or `Authorization: Bearer <token>` (the REST API's tokens);
without either, a protected endpoint answers 401 rather than redirecting to the sign-in page,
because its callers are programs.
"""

import dataclasses
import json
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from fhirclient.models.fhirabstractbase import FHIRValidationError
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from unknot.accounts import request_throttle
from unknot.accounts.access import (
    NOT_YOUR_ROLE,
    answer_options,
    is_read_only,
    may_write,
    staff_role,
)
from unknot.accounts.csrf import csrf_refusal
from unknot.api.tokens import user_from_bearer
from unknot.common.errors import Refused
from unknot.common.inputs import BadInput, json_from

CONTENT_TYPE = "application/fhir+json; charset=utf-8"
JSON_TYPES = ("application/fhir+json", "application/json")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
MAX_BODY = 256 * 1024  # a booking or an intake is a few kilobytes
# A service's refusal by its `status`: (HTTP status, issue type). A rule of the service (400
# in the other APIs) is FHIR's 422 business-rule.
REFUSED = {409: (409, "conflict"), 403: (403, "forbidden")}
BUSINESS_RULE = (422, "business-rule")


class FhirError(Exception):
    """A refusal: HTTP status, FHIR issue type and a sentence for the person reading it."""

    def __init__(
        self, status: int, code: str, diagnostics: str, retry_after: int | None = None
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.retry_after = retry_after


def invalid(diagnostics: str) -> FhirError:
    return FhirError(400, "invalid", diagnostics)


def outcome(code: str, diagnostics: str, severity: str = "error") -> dict[str, Any]:
    issue = {"severity": severity, "code": code, "diagnostics": diagnostics}
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def fhir_response(body: dict[str, Any], status: int = 200, **headers: str) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type=CONTENT_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_response(error: FhirError) -> HttpResponse:
    response = fhir_response(outcome(error.code, error.diagnostics), error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir"'
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


# --- reading a body --------------------------------------------------------------------------


def read_resource(request: HttpRequest, resource_type: str) -> dict[str, Any]:
    """The request body as a resource of `resource_type`, checked by the FHIR R4 models."""
    media = request.content_type or ""
    if media not in JSON_TYPES:
        raise FhirError(415, "not-supported", "Send the resource as application/fhir+json.")
    if len(request.body) > MAX_BODY:
        raise FhirError(413, "too-long", "The resource is too large.")
    body = json_from(request.body)  # BadInput (not JSON, nested too deep): 400 below
    if not isinstance(body, dict):
        raise invalid("The body must be a JSON object: one FHIR resource.")
    if body.get("resourceType") != resource_type:
        raise invalid(f"The body must be a {resource_type} resource (resourceType).")
    validate(resource_type, body)
    return body


def validate(resource_type: str, body: dict[str, Any]) -> None:
    """Raises 400 with the library's own explanation when `body` is not valid FHIR R4."""
    try:
        FHIRElementFactory.instantiate(resource_type, body)
    except FHIRValidationError as error:
        raise invalid(f"Not a valid {resource_type}: {_short(error)}") from None
    except (TypeError, ValueError) as error:
        raise invalid(f"Not a valid {resource_type}: {error}") from None


def _short(error: FHIRValidationError) -> str:
    return " ".join(str(error).split())[:500]


# --- who is asking ---------------------------------------------------------------------------


def _authenticate(request: HttpRequest) -> bool:
    """Signs the request in with its bearer token, if it has one; True when it did.

    A token that is sent but not valid is refused outright, even with a session beside it:
    the caller meant the token, and should learn that it no longer works.
    """
    header = request.headers.get("Authorization")
    if header is None:
        return False
    user = user_from_bearer(header)
    if user is None:
        raise FhirError(401, "login", "The bearer token is not valid: it is unknown or revoked.")
    request.user = user
    return True


def _check_rate(request: HttpRequest) -> None:
    """The site's request throttle, scope "fhir": per address, or per signed-in patient."""
    wait = request_throttle.wait_for(request, "fhir")
    if wait is not None:
        raise FhirError(429, "throttled", request_throttle.TOO_MANY, retry_after=wait)


READS_ONLY = "Your role may read records but not change them."


def _check_caller(request: HttpRequest, rule: Any, writes: bool) -> None:
    by_token = _authenticate(request)
    _check_rate(request)  # before the access rule, so refused calls count too
    if rule.audience != "public" and not request.user.is_authenticated:
        raise FhirError(401, "login", "Sign in, or send Authorization: Bearer <token>.")
    if request.method in SAFE_METHODS:
        return
    if writes and staff_role(request.user) is not None and not may_write(request.user):
        # the auditor only reads; the biller writes billing, not the care record
        why = READS_ONLY if is_read_only(request.user) else NOT_YOUR_ROLE
        raise FhirError(403, "forbidden", why)
    if not by_token:
        reason = csrf_refusal(request)
        if reason is not None:
            raise FhirError(403, "security", f"CSRF check failed: {reason}")


# --- the endpoint decorator ------------------------------------------------------------------


def _refusal(exc: Exception) -> FhirError:
    if isinstance(exc, FhirError):
        return exc
    if isinstance(exc, BadInput):
        return invalid(exc.message)
    if isinstance(exc, Refused):
        return FhirError(*REFUSED.get(exc.status, BUSINESS_RULE), exc.message)
    if isinstance(exc, Http404):
        return FhirError(404, "not-found", str(exc) or "Not found.")
    return FhirError(403, "forbidden", str(exc) or "You may not do this.")  # PermissionDenied


def endpoint(methods: Iterable[str], *, writes: bool = False) -> Callable[..., Any]:
    """Outermost decorator of every FHIR view (over an access declaration from accounts.access).

    Wrong method: 405 for everyone, first. Then the caller is identified (token or session),
    throttled (429 with Retry-After over the limit), and refused with 401 if the view is not
    public, with 403 for a write by a read-only role, and with 403 for a session write
    without a CSRF token. Errors become OperationOutcomes. `writes` is recorded on the access
    declaration for the URL table.
    OPTIONS, once the caller is known, is answered by `access.answer_options` (the methods,
    in `Allow`) without running the view.
    """
    allowed = tuple(methods) + (("HEAD",) if "GET" in methods else ())

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        rule = view.access_rule  # type: ignore[attr-defined]  # a function attribute

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in (*allowed, "OPTIONS"):
                response = error_response(
                    FhirError(405, "not-supported", f"Use one of: {', '.join(methods)}.")
                )
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                _check_caller(request, rule, writes)
                if request.method == "OPTIONS":
                    return answer_options(request, view, allowed)
                return view(request, *args, **kwargs)
            except (FhirError, Refused, BadInput, Http404, PermissionDenied) as exc:
                return error_response(_refusal(exc))

        wrapped.csrf_exempt = True  # type: ignore[attr-defined]  # checked in _check_caller
        # A function attribute, as above:
        wrapped.access_rule = dataclasses.replace(rule, writes=writes)  # type: ignore[attr-defined]
        return wrapped

    return decorate
