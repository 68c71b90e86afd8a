"""A small JSON API over the booking services and selectors (v0; DRF replaces it later).

Views only parse and render: every rule lives in `services` and `selectors`, exactly as for
the HTML pages. Every 4xx answer has one shape:
`{"error": {"code": ..., "message": ..., "fields": {...}}}`; a service's refusal answers with
its own status and code (a lost race is 409 `slot_taken`).
"""

import datetime as dt
import zoneinfo
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts import request_throttle
from unknot.accounts.access import (
    SignedInRequest,
    View,
    allowed_by,
    answer_options,
    public,
    staff_only,
)
from unknot.accounts.csrf import csrf_refusal
from unknot.accounts.models import AnyUser
from unknot.audit.services import reads_join_the_write
from unknot.booking import selectors, services
from unknot.booking.models import Appointment
from unknot.common.errors import Refused
from unknot.common.inputs import EARLIEST_YEAR, BadInput, date_from, instant_from, json_from

MAX_DAYS = 31  # one request covers at most a month: bounded work for a public endpoint
LIST_DAYS = 7  # the appointment list's default window


class InvalidInput(Exception):
    """Bad or missing input; `fields` maps each field to what is wrong with it."""

    def __init__(self, fields: dict[str, str], message: str = "Some fields are not valid.") -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


def error(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> JsonResponse:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return JsonResponse(body, status=status)


def _refusal(exc: Exception) -> JsonResponse:
    """The API's answer to an exception from the access helpers, parsing or the services."""
    if isinstance(exc, InvalidInput | BadInput):
        return error(400, "invalid", exc.message, exc.fields)
    if isinstance(exc, Refused):  # 400, 409 (slot_taken) or 403 (not_for_patients)
        return error(exc.status, exc.code, exc.message)
    if isinstance(exc, Http404):
        return error(404, "not_found", str(exc) or "Not found.")
    return error(403, "forbidden", str(exc) or "You may not do this.")  # PermissionDenied


def json_api(view: View) -> View:
    """Outermost decorator of every API view: one error format for every 4xx.

    It also performs Django's CSRF check itself (session auth needs it) so that a refusal is
    JSON too; the view is marked exempt only from the middleware's HTML answer, never unchecked.
    Requests are throttled first, per address (signed-in staff are not counted): 429.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        wait = request_throttle.wait_for(request, "booking_api")
        if wait is not None:
            throttled = error(429, "throttled", request_throttle.TOO_MANY)
            throttled["Retry-After"] = str(wait)
            return throttled
        reason = csrf_refusal(request)
        if reason is not None:
            return error(403, "csrf_failed", f"CSRF check failed: {reason}")
        try:
            response: HttpResponseBase = view(request, *args, **kwargs)
            if request.method == "OPTIONS" and isinstance(response, HttpResponseNotAllowed):
                return answer_options(request, view, allowed_by(response))  # 200 with Allow
        except (InvalidInput, BadInput, Refused, Http404, PermissionDenied) as exc:
            return _refusal(exc)
        if response.status_code == 405:  # from require_*: keep its Allow header
            allowed = response["Allow"]
            response = error(405, "method_not_allowed", f"Use one of: {allowed}.")
            response["Allow"] = allowed
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]  # a function attribute
    return wrapped


# --- parsing ---------------------------------------------------------------------------------


def _int(raw: Any, field: str, problems: dict[str, str]) -> int:
    text = str(raw) if isinstance(raw, int | str) and not isinstance(raw, bool) else ""
    # ASCII digits only, and short enough for a database id (a 20-digit id would overflow).
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        problems[field] = "A whole number is required."
        return 0
    return int(text)


def _date(raw: str | None, field: str, problems: dict[str, str]) -> dt.date:
    try:
        return date_from(raw, field)  # YYYY-MM-DD between 1900 and 2200
    except BadInput as refused:
        problems[field] = refused.message
        return dt.date(EARLIEST_YEAR, 1, 1)


def _instant(raw: Any, field: str, problems: dict[str, str]) -> dt.datetime:
    try:
        return instant_from(raw, field)  # with its UTC offset, between 1900 and 2200
    except BadInput as refused:
        problems[field] = refused.message
        return dt.datetime(EARLIEST_YEAR, 1, 1, tzinfo=dt.UTC)


def _slug(raw: Any, field: str, problems: dict[str, str]) -> str:
    if not isinstance(raw, str) or not raw:
        problems[field] = "This field is required."
        return ""
    return raw


def _json_body(request: HttpRequest) -> dict[str, Any]:
    body = json_from(request.body)  # BadInput (not JSON, nested too deep) answers 400
    if not isinstance(body, dict):
        raise InvalidInput({}, "The body must be a JSON object.")
    return body


def _date_range(query: Any, problems: dict[str, str]) -> tuple[dt.date, dt.date]:
    first = _date(query.get("from"), "from", problems)
    last = _date(query.get("to"), "to", problems)
    if not problems and not first <= last <= first + dt.timedelta(days=MAX_DAYS - 1):
        problems["to"] = f"Must be on or after 'from', at most {MAX_DAYS} days in all."
    return first, last


# --- rendering -------------------------------------------------------------------------------


def _utc(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _times(start: dt.datetime, end: dt.datetime, tz: zoneinfo.ZoneInfo) -> dict[str, str]:
    return {
        "start": _utc(start),
        "end": _utc(end),
        "start_local": start.astimezone(tz).isoformat(),
        "end_local": end.astimezone(tz).isoformat(),
    }


def appointment_json(appointment: Appointment) -> dict[str, Any]:
    clinic = appointment.clinic
    return _json(
        *(appointment.pk, clinic.slug, clinic.time_zone, appointment.appointment_type_id),
        *(appointment.therapist_id, appointment.patient_id, appointment.status),
        *(appointment.start, appointment.end),
    )


# What `_json` takes, in its order, for a list read as plain rows: building an appointment and
# its clinic for every row cost more than saying it.
LISTED_COLUMNS = (
    *("pk", "clinic__slug", "clinic__time_zone", "appointment_type_id", "therapist_id"),
    *("patient_id", "status", "start", "end"),
)


def _json(
    pk: int,
    clinic: str,
    time_zone: str,
    type_id: int,
    therapist_id: int,
    patient_id: int | None,
    status: str,
    start: dt.datetime,
    end: dt.datetime,
) -> dict[str, Any]:
    """One appointment as the API says it (a booking's answer, a row of the list)."""
    return {
        "id": pk,
        "clinic": clinic,
        "type": type_id,
        "therapist": therapist_id,
        "patient": patient_id,
        "status": status,
        **_times(start, end, zoneinfo.ZoneInfo(time_zone)),
    }


# --- views -----------------------------------------------------------------------------------


def _therapist_ids(clinic: Any, raw: str | None, problems: dict[str, str]) -> list[int]:
    bookable = list(selectors.bookable_therapists(clinic).values_list("pk", flat=True))
    if raw in (None, "", "any"):
        return bookable
    wanted = _int(raw, "therapist", problems)
    if wanted not in bookable and "therapist" not in problems:
        problems["therapist"] = "That therapist does not take bookings at this clinic."
    return [wanted]


@json_api
@require_safe
@public
def availability(request: HttpRequest) -> HttpResponse:
    """Free slots of an online-bookable appointment type, for one therapist or any."""
    problems: dict[str, str] = {}
    slug = _slug(request.GET.get("clinic"), "clinic", problems)
    type_id = _int(request.GET.get("type"), "type", problems)
    first, last = _date_range(request.GET, problems)
    if problems:
        raise InvalidInput(problems)
    clinic = selectors.clinic_for_calendar(slug)
    kind = selectors.get_online_type(clinic, type_id)
    therapist_ids = _therapist_ids(clinic, request.GET.get("therapist"), problems)
    if problems:
        raise InvalidInput(problems)
    slots = selectors.availability(
        clinic=clinic,
        appointment_type=kind,
        therapist_ids=therapist_ids,
        first_day=first,
        last_day=last,
        now=timezone.now(),
    )
    tz = zoneinfo.ZoneInfo(clinic.time_zone)
    return JsonResponse(
        {
            "clinic": clinic.slug,
            "type": kind.pk,
            "time_zone": clinic.time_zone,
            "slots": [
                {**_times(s.start_utc, s.end_utc, tz), "therapists": list(s.therapist_ids)}
                for s in slots
            ],
        }
    )


def _booking_request(user: AnyUser, body: dict[str, Any]) -> dict[str, Any]:
    """The service's arguments from the JSON body; 404 for a patient the user may not see."""
    problems: dict[str, str] = {}
    slug = _slug(body.get("clinic"), "clinic", problems)
    type_id = _int(body.get("type"), "type", problems)
    therapist_id = _int(body.get("therapist"), "therapist", problems)
    patient_id = _int(body.get("patient"), "patient", problems)
    start = _instant(body.get("start"), "start", problems)
    if problems:
        raise InvalidInput(problems)
    arguments, problems = selectors.staff_booking_arguments(
        user, clinic_slug=slug, type_id=type_id, therapist_id=therapist_id, patient_id=patient_id
    )
    if problems:
        raise InvalidInput(problems)
    return arguments | {"start": start}


def _list(request: HttpRequest) -> HttpResponse:
    """The user's visible appointments at a clinic (or all their clinics) over a few days."""
    problems: dict[str, str] = {}
    today = timezone.now().date()
    first, last = _date_range(
        {
            "from": request.GET.get("from", today.isoformat()),
            "to": request.GET.get("to", (today + dt.timedelta(days=LIST_DAYS - 1)).isoformat()),
        },
        problems,
    )
    if problems:
        raise InvalidInput(problems)
    rows = selectors.appointments_visible_to(request.user).filter(
        start__gte=dt.datetime.combine(first, dt.time(), dt.UTC),
        start__lt=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.UTC),
    )
    if request.GET.get("clinic"):  # a NUL never gets here (config.middleware refuses it)
        rows = rows.filter(clinic__slug=request.GET["clinic"])
    # Plain rows of what `_json` says: the access helper's joins (therapist, their login, the
    # type, the patient) built five objects a row for ids the row already holds.
    listed = rows.order_by("start").values_list(*LISTED_COLUMNS)
    return JsonResponse({"appointments": [_json(*row) for row in listed]})


@json_api
@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def appointments(request: SignedInRequest) -> HttpResponse:
    """GET lists appointments; POST books one for a known patient (staff who may write)."""
    if request.method == "GET":
        return _list(request)
    # The patient's read is audited with the booking, in its transaction (one append for
    # both); alone, as before, when the booking is refused.
    with reads_join_the_write():
        arguments = _booking_request(request.user, _json_body(request))
        booked = services.appointment_book(by=request.user, now=timezone.now(), **arguments)
    return JsonResponse(appointment_json(booked), status=201)
