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


# kind -> (subject before the clinic's name, template)
EMAILS = {
    "waitlist_offer": ("A time has freed up for you", "waitlist/email/offer.txt"),
    "waitlist_gone": ("The time we offered you has gone", "waitlist/email/gone.txt"),
}


def queue_offer(offer: Offer, now: dt.datetime) -> None:
    _queue("waitlist_offer", offer, now)


def queue_gone(offer: Offer, now: dt.datetime) -> None:
    _queue("waitlist_gone", offer, now)


def _queue(kind: str, offer: Offer, now: dt.datetime) -> None:
    subject, template = EMAILS[kind]
    patient, clinic = offer.entry.patient, offer.opening.clinic
    queue_email(
        key=f"{kind.replace('_', '-')}:{offer.pk}",
        kind=kind,
        appointment=None,
        clinic_id=clinic.pk,
        to=patient.email,
        subject=f"{subject} · {clinic.name}",
        body=render_to_string(template, _context(offer)),
        send_after=now,
    )
