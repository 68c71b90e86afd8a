"""What the waitlist tells people: an offer of a freed time, and that an offered time has gone.

Rows go to the outbox in the caller's transaction (unknot.outbox.queue); the worker sends
them after the commit. Each email is queued once per offer (its key).
"""

import datetime as dt

from django.template.loader import render_to_string

from unknot.outbox.queue import queue_email
from unknot.waitlist import links
from unknot.waitlist.models import Offer


def _context(offer: Offer) -> dict[str, object]:
    opening = offer.opening
    return {
        "patient": offer.entry.patient,
        "clinic": opening.clinic,
        "opening": opening,
        "offer": offer,
        "offer_url": links.offer_url(offer.pk),
    }


def queue_offer(offer: Offer, now: dt.datetime) -> None:
    patient, clinic = offer.entry.patient, offer.opening.clinic
    queue_email(
        key=f"waitlist-offer:{offer.pk}",
        kind="waitlist_offer",
        appointment=None,
        clinic_id=clinic.pk,
        to=patient.email,
        subject=f"A time has freed up for you · {clinic.name}",
        body=render_to_string("waitlist/email/offer.txt", _context(offer)),
        send_after=now,
    )


def queue_gone(offer: Offer, now: dt.datetime) -> None:
    patient, clinic = offer.entry.patient, offer.opening.clinic
    queue_email(
        key=f"waitlist-gone:{offer.pk}",
        kind="waitlist_gone",
        appointment=None,
        clinic_id=clinic.pk,
        to=patient.email,
        subject=f"The time we offered you has gone · {clinic.name}",
        body=render_to_string("waitlist/email/gone.txt", _context(offer)),
        send_after=now,
    )
