"""An offer, from the signed link in its email: no sign-in needed, only the link.

GET shows the offered time (clinic, therapist, the clinic's date and time with its zone
named, the type) and the buttons; POST answers: accept (books it), decline, or leave the
waitlist. An offer that has gone, run out or been answered says so and changes nothing.
Every answer under /waitlist/ is `no-store` (UNKNOT_NO_STORE_PATHS): the page names a
person's care and must not be kept by a shared browser or a proxy.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from unknot.accounts.access import public
from unknot.common.errors import attempt
from unknot.waitlist import offers, services
from unknot.waitlist.models import Offer
from unknot.waitlist.selectors import offer_for_token

ANSWERS: dict[str, tuple[Callable[[Offer], object], str]] = {
    "accept": (
        lambda offer: offers.offer_accept(offer_id=offer.pk, now=timezone.now()),
        "The time is yours: your visit is booked. A confirmation email is on its way.",
    ),
    "decline": (
        lambda offer: offers.offer_decline(offer_id=offer.pk, now=timezone.now()),
        "Thank you for telling us. You stay on the waitlist for other times.",
    ),
    "leave": (
        lambda offer: services.entry_leave(by=None, entry=offer.entry, now=timezone.now()),
        "You have left the waitlist. We will not email you about free times any more.",
    ),
}


@require_http_methods(["GET", "POST"])
@public
def offer(request: HttpRequest, token: str) -> HttpResponse:
    found = offer_for_token(token)
    if request.method == "POST":
        answer = ANSWERS.get(request.POST.get("action", ""))
        if answer is None:
            messages.error(request, "Please choose one of the buttons.")
        else:
            act, done = answer
            attempt(request, lambda: act(found), done)
        return redirect("waitlist:offer", token=token)
    context = {
        "offer": found,
        "opening": found.opening,
        "clinic": found.opening.clinic,
        "refusal": offers.refusal(found, timezone.now()),
    }
    return render(request, "waitlist/public/offer.html", context)
