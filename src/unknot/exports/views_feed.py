"""The person's private calendar feed: the portal page to turn it on or off, and the feed.

The feed is declared public because a calendar app cannot sign in: the secret token in the
address is the credential. A wrong or revoked token answers 404, like any missing page.
Each fetch is recorded in the audit trail as a read by the person whose feed it is, with
the feed's id; the token appears nowhere in the trail, not even in the recorded path.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot import audit
from unknot.accounts.access import patient_only, public
from unknot.audit.models import Action
from unknot.booking.views_feeds import no_store
from unknot.exports import feeds, ics
from unknot.outbox import links
from unknot.patients.selectors import own_patient_record


@require_http_methods(["GET", "POST"])
@patient_only
def my_feed(request: HttpRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    new_url = ""
    if request.method == "POST" and request.POST.get("action") == "off":
        feeds.feed_revoke(patient=patient, now=timezone.now())
        messages.success(request, "Your calendar feed is turned off: its address no longer works.")
        return redirect("exports:my_feed")
    if request.method == "POST":
        _feed, token = feeds.feed_turn_on(patient=patient, now=timezone.now())
        # Shown in this response only: the token is not stored and cannot be shown again.
        new_url = links.absolute(reverse("exports:patient_feed", args=[token]))
    context = {
        "feed": feeds.live_feed(patient),
        "new_url": new_url,
        "clinic": patient.preferred_clinic,
    }
    return no_store(render(request, "exports/my_feed.html", context))


def _without_token(request: HttpRequest) -> HttpRequest:
    """The request as the audit trail may see it: where from, and the path with the token
    replaced, because the token opens the feed and the trail is read by auditors."""
    seen = HttpRequest()
    seen.META = {"REMOTE_ADDR": request.META.get("REMOTE_ADDR", "")}
    seen.path = reverse("exports:patient_feed", args=["redacted"])
    return seen


@require_safe
@public
def patient_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = feeds.feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar feed.")
    patient = feed.patient
    audit.record(
        Action.READ, by=patient.user, object_type="calendar_feed", object_id=feed.pk,
        patient_id=patient.pk, clinic_id=patient.preferred_clinic_id, reason="calendar_feed",
        request=_without_token(request),
    )  # fmt: skip
    now = timezone.now()
    text = ics.patient_feed(feeds.feed_appointments(feed, now), settings.PRACTICE_NAME, now)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return no_store(response)
