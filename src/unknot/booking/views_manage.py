"""Managing a booking from the signed link in its emails: no sign-in needed, only the link.

Whoever holds the link may see, cancel or move that one booking (services treat `by=None` as
the link's patient and apply the change notice). Every answer is marked `no-store`: the pages
show a person's appointment and must not be kept by a shared browser or a proxy.
"""

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from unknot.accounts.access import public
from unknot.booking import adapters, links, services
from unknot.booking.forms_public import StartForm
from unknot.booking.models import Appointment, Status
from unknot.booking.views_public import chosen_day, free_days
from unknot.common.errors import attempt


def appointment_for_token(token: str) -> Appointment:
    """The access helper for signed links: a bad or foreign token is a plain 404."""
    appointment_id = links.appointment_from_token(token)
    found = (
        Appointment.objects.select_related(
            "clinic", "therapist__user", "appointment_type", "patient"
        )
        .filter(pk=appointment_id)
        .exclude(status=Status.HELD)
        .first()
        if appointment_id
        else None
    )
    if found is None:
        raise Http404("This link is not valid.")
    return found


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _context(appointment: Appointment, token: str, now: dt.datetime) -> dict[str, object]:
    zone = adapters.zone(appointment.clinic)
    return {
        "appointment": appointment,
        "token": token,
        "local_start": appointment.start.astimezone(zone),
        "refusal": services.online_change_refusal(appointment, now),
    }


def _cancel(request: HttpRequest, appointment: Appointment, now: dt.datetime) -> None:
    attempt(
        request,
        lambda: services.appointment_cancel(
            by=None, appointment=appointment, now=now, reason="cancelled by patient"
        ),
        "Your appointment is cancelled. We have emailed you a confirmation.",
    )


@require_http_methods(["GET", "POST"])
@public
def manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = appointment_for_token(token)
    now = timezone.now()
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            _cancel(request, appointment, now)
        return _no_store(redirect("booking:manage", token=token))
    context = _context(appointment, token, now)
    return _no_store(render(request, "booking/manage.html", context))


def _move(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose one of the times shown.")
        return _no_store(redirect("booking:manage_change", token=token))
    moved = attempt(
        request,
        lambda: services.appointment_move(
            by=None,
            appointment=appointment,
            new_start=form.cleaned_data["start"],
            now=timezone.now(),
        ),
        "Your appointment has moved. We have emailed you the new time.",
    )
    if moved is None:
        return _no_store(redirect("booking:manage_change", token=token))
    return _no_store(redirect("booking:manage", token=token))


@require_http_methods(["GET", "POST"])
@public
def change(request: HttpRequest, token: str) -> HttpResponse:
    """Another free time of the same kind with the same therapist."""
    appointment = appointment_for_token(token)
    if request.method == "POST":
        return _move(request, appointment, token)
    now = timezone.now()
    context = _context(appointment, token, now)
    days = []
    if context["refusal"] is None:
        days = free_days(
            appointment.clinic,
            appointment.appointment_type,
            [appointment.therapist_id],
            now,
            exclude_appointment=appointment.pk,
        )
    context |= {"days": days, "chosen": chosen_day(days, request.GET.get("day"))}
    return _no_store(render(request, "booking/public/manage_change.html", context))
