"""Bad input refused in one place, before any view runs (docs/security.md, "Bad input").

- A control character (NUL, the other C0 controls except tab, line feed and carriage
  return, and DEL) in the path, in a query parameter's name or value, in a form field or
  anywhere in a JSON body (raw, or written as a `\\u0000` escape): 400. PostgreSQL cannot
  store or even compare text holding NUL, and no person types the others.
- A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413 (a page that takes files declares its
  own limit: `unknot.common.uploads`). More parameters or form fields than
  DATA_UPLOAD_MAX_NUMBER_FIELDS: 400.
- `BadInput` (unknot.common.inputs) raised by a view, e.g. a date out of range: 400.

Each refusal is answered in the format of the area it was sent to, so a program gets what it
parses: the REST API's and the booking JSON API's error object, FHIR's OperationOutcome, or
for pages a plain page. The message says what is wrong in words and never repeats the value.
"""

import json
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from unknot.api.errors import error_body
from unknot.common.inputs import BadInput
from unknot.common.uploads import upload_limit
from unknot.fhir.http import fhir_response, outcome

Handler = Callable[[HttpRequest], HttpResponse]

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters written as JSON escapes; `\\u0000` (an escaped backslash, then text) is not.
ESCAPED_CONTROL = re.compile(r"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bcef]|1[0-9a-f]|7f)", re.IGNORECASE)
NAMEABLE = re.compile(r"[\w.\-]{1,40}", re.ASCII)
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
FHIR_AREA = "/fhir/"
JSON_AREAS = ("/api/", "/booking/api/")

CONTROL_MESSAGE = (
    "The request holds a control character (such as NUL) in its address, a parameter or its "
    "body. Such characters cannot be stored: remove them and send it again."
)
CONTROL_FIELD = "Holds a control character (such as NUL)."
TOO_LARGE_MESSAGE = "The request body is too large."
UNREADABLE_MESSAGE = (
    "The request could not be read: too many parameters or form fields, or a malformed body."
)


def refusal(
    request: HttpRequest, status: int, message: str, fields: dict[str, str]
) -> HttpResponse:
    """A 4xx in the format of the area the request was sent to."""
    path = request.path_info
    if path.startswith(FHIR_AREA):
        return fhir_response(outcome("too-long" if status == 413 else "invalid", message), status)
    if path.startswith(JSON_AREAS) and "text/html" not in request.headers.get("Accept", ""):
        code = "too_large" if status == 413 else "invalid"
        return JsonResponse(error_body(code, message, fields), status=status)
    page = render_to_string("bad_input.html", {"message": message})
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def _in(data: QueryDict) -> str | None:
    """The first parameter whose name or value holds a control character."""
    for name, values in data.lists():
        if CONTROL.search(name) or any(CONTROL.search(value) for value in values):
            return name
    return None


def _holds_control(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and CONTROL.search(item):
            return True
        if isinstance(item, dict):
            stack.extend((*item.keys(), *item.values()))
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _json_member(text: str) -> str:
    """The member of a JSON object that holds the control character, when the body parses."""
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        return ""
    members = body.items() if isinstance(body, dict) else ()
    return next((name for name, value in members if _holds_control([name, value])), "")


def _takes_upload(request: HttpRequest) -> bool:
    """Whether the request is a multipart form to a page declared to take files
    (`unknot.common.uploads`), within the limit it declares; past it, RequestDataTooBig."""
    if request.content_type != "multipart/form-data":
        return False
    try:
        limit = upload_limit(resolve(request.path_info).func)
    except Resolver404:
        return False
    if limit is None:
        return False
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        raise RequestDataTooBig(TOO_LARGE_MESSAGE)
    return True


def _in_body(request: HttpRequest) -> str | None:
    if _takes_upload(request):  # files stream to disk; the other fields keep the usual limit
        return _in(request.POST)
    raw = request.body  # read (and size-checked) first: views may still read it after us
    kind = request.content_type or ""
    if kind in FORMS:  # the fields as the view reads them (percent-decoded)
        return _in(request.POST if request.method == "POST" else QueryDict(raw))
    text = raw.decode(request.encoding or "utf-8", errors="replace")
    if CONTROL.search(text):
        return ""
    if "json" in kind and ESCAPED_CONTROL.search(text):
        return _json_member(text)
    return None


def control_character_at(request: HttpRequest) -> str | None:
    """None when the request is clean; else the parameter or member holding a control
    character, or "" when that has no name (the path, a raw body)."""
    if CONTROL.search(request.path_info):
        return ""
    found = _in(request.GET)
    if found is None and request.method in BODY_METHODS:
        found = _in_body(request)
    return found


class BadInputMiddleware:
    """Goes near the top of MIDDLEWARE: nothing below it sees a refused request."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            where = control_character_at(request)
        except RequestDataTooBig:
            return refusal(request, 413, TOO_LARGE_MESSAGE, {})
        except (SuspiciousOperation, MultiPartParserError):  # too many fields, bad multipart
            return refusal(request, 400, UNREADABLE_MESSAGE, {})
        if where is not None:
            named = NAMEABLE.fullmatch(where)  # a name is repeated back only when plain
            return refusal(request, 400, CONTROL_MESSAGE, {where: CONTROL_FIELD} if named else {})
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadInput):
            return refusal(request, 400, exception.message, exception.fields)
        return None
