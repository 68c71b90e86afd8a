"""Private iCalendar feeds of therapists: create, revoke, look up by secret token.

The token is the only credential a calendar app can send, so it is long and random, shown
once, and stored only as its SHA-256 hash: a copy of the database does not open any feed.

Whoever holds the address reads the feed without signing in, so a feed never shows more than
its creator could see: its clinics are fixed when it is made (the creator's clinics where the
therapist works; a therapist's own feed, all of theirs), and it names patients, by initials,
only when the creator chose so.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from unknot import audit
from unknot.accounts.access import staff_role, staff_user
from unknot.accounts.models import AnyUser, User
from unknot.accounts.roles import MANAGING_ROLES, Role
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.booking.models import Appointment, CalendarFeed, Status
from unknot.clinics.models import Clinic, StaffMember
from unknot.clinics.selectors import clinics_visible_to

FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=180)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def therapists_managed_by(user: AnyUser) -> QuerySet[StaffMember]:
    """Whose feeds `user` may manage: a therapist their own, a manager their clinics' therapists."""
    staff = staff_user(user)
    role = staff_role(staff)
    members = StaffMember.objects.select_related("user").order_by("user__last_name", "pk")
    if staff is not None and role == Role.THERAPIST:
        return members.filter(pk=staff.staff_member.pk)
    if role in MANAGING_ROLES:
        clinics = clinics_visible_to(user)
        return members.filter(role=Role.THERAPIST, clinics__in=clinics).distinct()
    return members.none()


def feeds_visible_to(user: AnyUser) -> QuerySet[CalendarFeed]:
    therapists = therapists_managed_by(user)
    return (
        CalendarFeed.objects.filter(therapist__in=therapists)
        .select_related("therapist__user")
        .prefetch_related(Prefetch("clinics", queryset=Clinic.objects.order_by("name")))
        .order_by("-created_at")
    )


def get_feed_for(user: AnyUser, feed_id: int) -> CalendarFeed:
    """The access helper for feeds: another clinic's feed answers like a missing one."""
    rows = feeds_visible_to(user)
    return one_visible_or_404(
        rows, user, "therapist_feed", feed_id, name="calendar feed", audited=False
    )


def feed_scope(by: User, therapist: StaffMember) -> QuerySet[Clinic]:
    """The clinics a feed made by `by` covers: theirs where the therapist works."""
    return clinics_visible_to(by).filter(staff=therapist)


@transaction.atomic
def feed_create(
    *, by: User, therapist: StaffMember, show_patient_initials: bool = False
) -> tuple[CalendarFeed, str]:
    """A new feed and its token; the caller shows the token once, it is never stored."""
    if not therapists_managed_by(by).filter(pk=therapist.pk).exists():
        raise PermissionDenied("You may not create a calendar feed for this therapist.")
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        therapist=therapist,
        token_hash=hash_token(token),
        show_patient_initials=show_patient_initials,
    )
    feed.clinics.set(feed_scope(by, therapist))
    audit.record(Action.CREATE, by=by, object_type="therapist_feed", object_id=feed.pk,
                 reason="patient_initials" if show_patient_initials else "")  # fmt: skip
    return feed, token


@transaction.atomic
def feed_revoke(*, by: User, feed: CalendarFeed, now: dt.datetime) -> CalendarFeed:
    if not therapists_managed_by(by).filter(pk=feed.therapist_id).exists():
        raise PermissionDenied("You may not revoke this calendar feed.")
    if feed.revoked_at is None:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        audit.record(Action.UPDATE, by=by, object_type="therapist_feed", object_id=feed.pk,
                     reason="revoked")  # fmt: skip
    return feed


def live_feed_for_token[Feed: Any](feeds: QuerySet[Feed], token: str) -> Feed | None:
    """The feed among `feeds` whose token this is and that is not revoked, or None.

    The lookup is by the hash, so the database index never sees the token and timing reveals
    nothing about it; the final comparison is constant-time all the same.
    """
    wanted = hash_token(token)
    feed = feeds.filter(token_hash=wanted, revoked_at__isnull=True).first()
    if feed is None or not hmac.compare_digest(feed.token_hash, wanted):
        return None
    return feed


def feed_for_token(token: str) -> CalendarFeed | None:
    """A therapist's live feed for a token, or None."""
    return live_feed_for_token(CalendarFeed.objects.select_related("therapist__user"), token)


def feed_appointments(feed: CalendarFeed, now: dt.datetime) -> QuerySet[Appointment]:
    """A month back and half a year ahead, at the feed's clinics only; cancelled visits stay
    (as cancelled)."""
    return (
        Appointment.objects.filter(
            therapist_id=feed.therapist_id,
            clinic__in=feed.clinics.all(),
            start__gte=now - FEED_PAST,
            start__lt=now + FEED_AHEAD,
        )
        .exclude(status=Status.HELD)
        .select_related("clinic", "appointment_type", "patient")
        .order_by("start")
    )
