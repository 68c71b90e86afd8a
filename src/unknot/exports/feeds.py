"""A person's private iCalendar feed of their own appointments: turn on, revoke, look up.

Built like the therapists' feeds (`unknot.booking.feeds`, whose token hashing and time window
are reused): the secret token is the only credential a calendar app can send, so it is long
and random, shown once, and stored only as its SHA-256 hash. A person has at most one live
feed; a new address revokes the old one.
"""

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import QuerySet

from unknot import audit
from unknot.audit.models import Action
from unknot.booking.feeds import FEED_AHEAD, FEED_PAST, hash_token, live_feed_for_token
from unknot.booking.models import Appointment, Status
from unknot.exports.models import PatientFeed
from unknot.patients.models import Patient


def live_feed(patient: Patient) -> PatientFeed | None:
    return PatientFeed.objects.filter(patient=patient, revoked_at__isnull=True).first()


def feed_turn_on(*, patient: Patient, now: dt.datetime) -> tuple[PatientFeed, str]:
    """A new feed and its token (shown once by the caller); any older address stops working.

    `patient` comes from the portal's access check (own_patient_record): a person only ever
    manages their own.
    """
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed_revoke(patient=patient, now=now)
        feed = PatientFeed.objects.create(patient=patient, token_hash=hash_token(token))
        _recorded(Action.CREATE, feed, patient)
    return feed, token


def feed_revoke(*, patient: Patient, now: dt.datetime) -> int:
    """Revokes the person's live feed, if any; returns how many were revoked."""
    with transaction.atomic():
        live = list(PatientFeed.objects.filter(patient=patient, revoked_at__isnull=True))
        for feed in live:
            feed.revoked_at = now
            feed.save(update_fields=["revoked_at"])
            _recorded(Action.UPDATE, feed, patient, "revoked")
    return len(live)


def _recorded(action: str, feed: PatientFeed, patient: Patient, reason: str = "") -> None:
    audit.record(
        action, object_type="calendar_feed", object_id=feed.pk, patient_id=patient.pk,
        clinic_id=patient.preferred_clinic_id, reason=reason,
    )  # fmt: skip


def feed_for_token(token: str) -> PatientFeed | None:
    """A patient's live feed for a token, or None (looked up by hash, compared in constant time)."""
    feeds = PatientFeed.objects.select_related("patient__user", "patient__preferred_clinic")
    return live_feed_for_token(feeds, token)


def feed_appointments(feed: PatientFeed, now: dt.datetime) -> QuerySet[Appointment]:
    """The person's visits a month back and half a year ahead; cancelled ones stay, marked."""
    return (
        Appointment.objects.filter(
            patient_id=feed.patient_id,
            start__gte=now - FEED_PAST,
            start__lt=now + FEED_AHEAD,
        )
        .exclude(status=Status.HELD)
        .select_related("clinic", "appointment_type", "therapist__user")
        .order_by("start", "pk")
    )
