"""Private calendar feeds: staff pages to create and revoke them, and the feed itself.

The feed is declared public because a calendar app cannot sign in: the secret token in
the address is the credential. A wrong or revoked token answers 404, like any missing page.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, public, staff_only
from unknot.accounts.roles import Role
from unknot.booking import feeds, ics
from unknot.booking.forms_staff import FeedForm
from unknot.outbox import links as outbox_links

FEED_ROLES = (Role.THERAPIST, Role.MANAGER, Role.OWNER)


def no_store(response: HttpResponse) -> HttpResponse:
    # Pages carrying a feed address, and the feed itself, must not sit in shared caches.
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@staff_only(FEED_ROLES, writes=True)
def feed_list(request: SignedInRequest) -> HttpResponse:
    form = FeedForm(request.POST or None, therapists=feeds.therapists_managed_by(request.user))
    new_url = ""
    if request.method == "POST" and form.is_valid():
        _feed, token = feeds.feed_create(
            by=request.user,
            therapist=form.cleaned_data["therapist"],
            show_patient_initials=form.cleaned_data["show_patient_initials"],
        )
        # Shown in this response only: the token is not stored and cannot be shown again.
        new_url = outbox_links.absolute(reverse("booking:therapist_feed", args=[token]))
        form = FeedForm(therapists=feeds.therapists_managed_by(request.user))
    context = {
        "form": form,
        "feeds": feeds.feeds_visible_to(request.user),
        "new_url": new_url,
    }
    return no_store(render(request, "booking/staff/feeds.html", context))


@require_http_methods(["GET", "POST"])
@staff_only(FEED_ROLES, writes=True)
def feed_revoke(request: SignedInRequest, feed_id: int) -> HttpResponse:
    feed = feeds.get_feed_for(request.user, feed_id)
    if request.method == "POST":
        feeds.feed_revoke(by=request.user, feed=feed, now=timezone.now())
        messages.success(request, "The calendar feed was revoked; its address no longer works.")
        return redirect("booking:staff_feeds")
    return render(request, "booking/staff/feed_revoke.html", {"feed": feed})


@require_safe
@public
def therapist_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = feeds.feed_for_token(token)
    if feed is None:
        raise Http404("No such calendar feed.")
    now = timezone.now()
    visits = feeds.feed_appointments(feed, now)
    name = feed.therapist.display_name
    text = ics.therapist_feed(visits, name, now, initials=feed.show_patient_initials)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return no_store(response)
