"""The public booking flow. No sign-in; every view is @public.

Clinic -> appointment type (site:book_start) -> therapist -> day and time (a hold is taken)
-> contact details -> safety questions -> booked. Between steps the session keeps the hold id,
the choices and the contact details; nothing personal or clinical ever travels in a URL. Of the
safety answers only those that lead to "call first" are kept, with the booking, for the staff
who call (`unknot.booking.safety_calls`). `timezone.now()` is read here, at the edge.
"""

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import public
from unknot.accounts.throttle import client_address
from unknot.booking import adapters, hold_limits, links, prescreen, selectors, services
from unknot.booking.errors import HoldExpired
from unknot.booking.forms_public import DetailsForm, PrescreenForm, SlotForm
from unknot.booking.models import Appointment, AppointmentType, Status
from unknot.clinics.models import Clinic, StaffMember
from unknot.common.errors import Refused, attempt
from unknot.patients.services import PersonDetails

DRAFT = "public_booking"  # the booking being made: clinic, type, therapist, hold, details
DONE = "public_booking_done"  # the last booking made in this browser, for its confirmation page
VISITOR = "public_booking_visitor"  # this browser's random id: one live hold per visitor
DAYS_SHOWN = 14
ANY = "any"


# ---- choosing a time ------------------------------------------------------------------------


@dataclass(frozen=True)
class FreeDay:
    day: dt.date
    times: tuple[dt.datetime, ...]  # aware, in the clinic's zone


def free_days(
    clinic: Clinic,
    kind: AppointmentType,
    therapist_ids: list[int],
    now: dt.datetime,
    exclude_appointment: int | None = None,
) -> list[FreeDay]:
    """The days of the next two weeks that have a free start, with those starts in local time."""
    zone = adapters.zone(clinic)
    today = now.astimezone(zone).date()
    slots = selectors.availability(
        clinic=clinic,
        appointment_type=kind,
        therapist_ids=therapist_ids,
        first_day=today,
        last_day=today + dt.timedelta(days=DAYS_SHOWN - 1),
        now=now,
        exclude_appointment=exclude_appointment,
    )
    by_day: dict[dt.date, list[dt.datetime]] = defaultdict(list)
    for slot in slots:
        local = slot.start_utc.astimezone(zone)
        by_day[local.date()].append(local)
    return [FreeDay(day, tuple(times)) for day, times in sorted(by_day.items())]


def chosen_day(days: list[FreeDay], wanted: str | None) -> FreeDay | None:
    """The day asked for in `?day=`, else the first day with a free time."""
    return next((d for d in days if d.day.isoformat() == wanted), days[0] if days else None)


def _therapist(clinic: Clinic, who: str) -> StaffMember | None:
    """None for "any therapist"; 404 for someone who does not take bookings here."""
    if who == ANY:
        return None
    found = next((t for t in selectors.bookable_therapists(clinic) if str(t.pk) == who), None)
    if found is None:
        raise Http404("No such therapist at this clinic.")
    return found


def _therapist_ids(clinic: Clinic, therapist: StaffMember | None) -> list[int]:
    if therapist is not None:
        return [therapist.pk]
    return [t.pk for t in selectors.bookable_therapists(clinic)]


def _times_url(slug: str, type_id: int, who: str) -> str:
    return reverse("booking:book_times", kwargs={"slug": slug, "type_id": type_id, "who": who})


@require_safe
@public
def choose_therapist(request: HttpRequest, slug: str, type_id: int) -> HttpResponse:
    clinic = selectors.clinic_for_calendar(slug)
    kind = selectors.get_online_type(clinic, type_id)
    context = {
        "clinic": clinic,
        "kind": kind,
        "therapists": selectors.bookable_therapists(clinic),
        "any": ANY,
    }
    return render(request, "booking/public/therapist.html", context)


@require_safe
@public
def choose_time(request: HttpRequest, slug: str, type_id: int, who: str) -> HttpResponse:
    clinic = selectors.clinic_for_calendar(slug)
    kind = selectors.get_online_type(clinic, type_id)
    therapist = _therapist(clinic, who)
    now = timezone.now()
    days = free_days(clinic, kind, _therapist_ids(clinic, therapist), now)
    draft = _draft(request, slug)
    context = {
        "clinic": clinic,
        "kind": kind,
        "therapist": therapist,
        "who": who,
        "days": days,
        "chosen": chosen_day(days, request.GET.get("day")),
        "hidden": [("type_id", kind.pk), ("who", who)],
        "holding": _live_hold(draft, now) if draft else None,
        "hold_minutes": services.hold_minutes(),
        "first_hold_minutes": hold_limits.first_hold_minutes(),
    }
    return render(request, "booking/public/times.html", context)


@require_POST
@public
def hold(request: HttpRequest, slug: str) -> HttpResponse:
    """Holds the chosen time for a few minutes while the person types their details."""
    clinic = selectors.clinic_for_calendar(slug)
    form = SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose one of the times shown.")
        return redirect("site:book_start", slug=slug)
    kind = selectors.get_online_type(clinic, form.cleaned_data["type_id"])
    who = form.cleaned_data["who"]
    therapist = _therapist(clinic, who)
    _release_draft(request)  # choosing another time lets go of the one held before
    visitor = request.session.setdefault(VISITOR, secrets.token_urlsafe(16))
    held = attempt(
        request,
        lambda: services.hold_slot(
            clinic=clinic,
            appointment_type=kind,
            therapist_id=therapist.pk if therapist else None,
            start=form.cleaned_data["start"],
            now=timezone.now(),
            visitor=visitor,
            address=client_address(request),
        ),
    )
    if held is None:
        return redirect(_times_url(slug, kind.pk, who))
    request.session[DRAFT] = {"clinic": slug, "type": kind.pk, "who": who, "hold": held.pk}
    return redirect("booking:book_details", slug=slug)


# ---- the draft booking in the session -------------------------------------------------------


def _draft(request: HttpRequest, slug: str) -> dict[str, Any] | None:
    draft = request.session.get(DRAFT)
    return draft if isinstance(draft, dict) and draft.get("clinic") == slug else None


def _live_hold(draft: dict[str, Any], now: dt.datetime) -> Appointment | None:
    hold_id = draft.get("hold")
    if hold_id is None:
        return None
    return (
        Appointment.objects.select_related("clinic", "therapist__user", "appointment_type")
        .filter(pk=hold_id, status=Status.HELD, hold_expires_at__gt=now)
        .first()
    )


def _release_draft(request: HttpRequest) -> dict[str, Any] | None:
    """Lets go of the held time (if any) and forgets the draft, details included."""
    draft = request.session.pop(DRAFT, None)
    if isinstance(draft, dict) and draft.get("hold"):
        services.release_hold(hold_id=draft["hold"])
    return draft if isinstance(draft, dict) else None


def _back_to_times(request: HttpRequest, slug: str, message: str) -> HttpResponse:
    """Something went wrong with the held time: start the time choice again, nothing kept."""
    draft = _release_draft(request)
    messages.error(request, message)
    if draft is None:
        return redirect("site:book_start", slug=slug)
    return redirect(_times_url(slug, draft["type"], draft["who"]))


def _current(
    request: HttpRequest, slug: str, now: dt.datetime
) -> tuple[dict[str, Any] | None, Appointment | None]:
    draft = _draft(request, slug)
    return draft, (_live_hold(draft, now) if draft else None)


def _no_hold(request: HttpRequest, slug: str, draft: dict[str, Any] | None) -> HttpResponse:
    if draft is None:  # came here directly, or from another browser: begin at the beginning
        return redirect("site:book_start", slug=slug)
    return _back_to_times(request, slug, HoldExpired().message)


def _step_context(clinic: Clinic, held: Appointment, now: dt.datetime) -> dict[str, Any]:
    zone = adapters.zone(clinic)
    expires = held.hold_expires_at or now
    return {
        "clinic": clinic,
        "held": held,
        "local_start": held.start.astimezone(zone),
        "hold_until": expires.astimezone(zone),
        "minutes_left": max(1, round((expires - now).total_seconds() / 60)),
    }


def _no_store(response: HttpResponse) -> HttpResponse:
    # Pages with a person's details or a manage link must not be kept by browsers or proxies.
    response["Cache-Control"] = "no-store"
    return response


# ---- contact details, safety questions, confirmation ----------------------------------------


@require_http_methods(["GET", "POST"])
@public
def details(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = selectors.clinic_for_calendar(slug)
    now = timezone.now()
    draft, held = _current(request, slug, now)
    if draft is None or held is None:
        return _no_hold(request, slug, draft)
    today = now.astimezone(adapters.zone(clinic)).date()
    data = request.POST if request.method == "POST" else None
    form = DetailsForm(data, initial=draft.get("details"), today=today)
    first_send = not draft.get("details")  # the short first hold becomes the full one, once
    if form.is_valid():
        if first_send and not services.hold_extend(hold_id=held.pk, now=now):
            return _no_hold(request, slug, draft)
        draft["details"] = {k: str(v) for k, v in form.cleaned_data.items()}
        request.session[DRAFT] = draft
        return redirect("booking:book_safety", slug=slug)
    context = _step_context(clinic, held, now) | {
        "form": form,
        "then_held_minutes": services.hold_minutes() if first_send else None,
    }
    return _no_store(render(request, "booking/public/details.html", context))


@require_http_methods(["GET", "POST"])
@public
def safety(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = selectors.clinic_for_calendar(slug)
    now = timezone.now()
    draft, held = _current(request, slug, now)
    if draft is None or held is None:
        return _no_hold(request, slug, draft)
    if not draft.get("details"):
        return redirect("booking:book_details", slug=slug)
    form = PrescreenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = prescreen.screen(form.answers())
        if result.emergency:
            _release_draft(request)  # book nothing and keep nothing
            return redirect("booking:book_stop", slug=slug)
        return _confirm(request, clinic, draft, result, now)
    context = _step_context(clinic, held, now) | {"form": form}
    return _no_store(render(request, "booking/public/safety.html", context))


def _person(details: dict[str, str]) -> PersonDetails:
    """The details kept in the session. Whether the clinic already has a record of this person
    is the service's to find out (`patient_match_or_create`), and the pages never tell."""
    return PersonDetails(
        first_name=details["first_name"],
        last_name=details["last_name"],
        date_of_birth=dt.date.fromisoformat(details["date_of_birth"]),
        email=details["email"],
        phone=details["phone"],
    )


def _confirm(
    request: HttpRequest,
    clinic: Clinic,
    draft: dict[str, Any],
    screen: prescreen.ScreenResult,
    now: dt.datetime,
) -> HttpResponse:
    try:
        booked = services.confirm_hold(
            hold_id=draft["hold"],
            patient=_person(draft["details"]),
            now=now,
            screen=screen,
        )
    except Refused as refused:
        return _back_to_times(request, clinic.slug, refused.message)
    except ValidationError:  # details kept from before a rule changed: ask for them again
        draft.pop("details", None)
        request.session[DRAFT] = draft
        messages.error(request, "Please check your details again.")
        return redirect("booking:book_details", slug=clinic.slug)
    request.session.pop(DRAFT, None)
    # The confirmation page tells the person we will call; the task itself is in the database.
    request.session[DONE] = {"appointment": booked.pk, "call_first": screen.call_first}
    return redirect("booking:book_done", slug=clinic.slug)


@require_safe
@public
def done(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = selectors.clinic_for_calendar(slug)
    entry = request.session.get(DONE)
    if not isinstance(entry, dict) or entry.get("appointment") is None:
        return redirect("site:book_start", slug=slug)
    booked = (
        Appointment.objects.select_related("therapist__user", "appointment_type")
        .filter(pk=entry["appointment"], clinic=clinic, status=Status.BOOKED)
        .first()
    )
    if booked is None:
        return redirect("site:book_start", slug=slug)
    context = {
        "clinic": clinic,
        "appointment": booked,
        "local_start": booked.start.astimezone(adapters.zone(clinic)),
        "manage_path": reverse("booking:manage", args=[links.manage_token(booked.pk)]),
        "call_first": bool(entry.get("call_first")),
    }
    return _no_store(render(request, "booking/public/done.html", context))


@require_POST
@public
def release(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Choose another time" or "Start again": let go of the hold now rather than at expiry."""
    draft = _release_draft(request) if _draft(request, slug) else None
    if draft is not None and request.POST.get("to") == "times":
        return redirect(_times_url(slug, draft["type"], draft["who"]))
    return redirect("site:book_start", slug=slug)


@require_safe
@public
def stop(request: HttpRequest, slug: str) -> HttpResponse:
    """Shown when the safety questions point to an emergency: no appointment was made."""
    clinic = selectors.clinic_for_calendar(slug)
    return render(request, "booking/public/stop.html", {"clinic": clinic})
