"""Managing a booking from the signed link in its emails: no sign-in needed, only the link."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from unknot.accounts.access import public
from unknot.booking import links, services
from unknot.booking.errors import BookingError
from unknot.booking.models import Appointment


def appointment_for_token(token: str) -> Appointment:
    """The access helper for signed links: a bad or foreign token is a plain 404."""
    appointment_id = links.appointment_from_token(token)
    found = (
        Appointment.objects.select_related(
            "clinic", "therapist__user", "appointment_type", "patient"
        )
        .filter(pk=appointment_id)
        .exclude(status="held")
        .first()
        if appointment_id
        else None
    )
    if found is None:
        raise Http404("This link is not valid.")
    return found


@require_http_methods(["GET", "POST"])
@public
def manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = appointment_for_token(token)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            services.appointment_cancel(
                by=None, appointment=appointment, now=timezone.now(), reason="cancelled by patient"
            )
        except BookingError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request, "Your appointment is cancelled. We have emailed you a confirmation."
            )
        return redirect("booking:manage", token=token)
    response = render(request, "booking/manage.html", {"appointment": appointment, "token": token})
    response["Cache-Control"] = "no-store"
    return response
