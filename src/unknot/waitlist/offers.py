"""Offering freed times to the people waiting, and their answers.

A booked time frees up (booking's `run_after_slot_freed` hook calls `when_slot_frees` in the
cancellation's or the move's transaction); once that commits, the worker runs
`open_freed_time`: if the time is still free and bookable, the first few matching entries
(`WAITLIST_OFFERS_AT_ONCE`) are emailed an offer, which runs `WAITLIST_OFFER_HOURS`, and
never past the type's minimum notice before the visit. The first to accept books it through
`booking.services.appointment_book` (its guarantee against double booking and its refusals
hold); the others are told it has gone. When every offer of a round has expired or been
declined, the next people in the queue are offered it, until nobody is left or it is too late.

Each step locks the opening's row first, so two answers to one opening are taken one after
the other; the exclusion constraint under the booking still has the last word.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from unknot import audit
from unknot.accounts.models import User
from unknot.audit.models import Action
from unknot.booking import services as booking
from unknot.booking.errors import SlotTaken
from unknot.booking.models import Appointment, AppointmentType, Status
from unknot.booking.selectors import availability
from unknot.clinics import times
from unknot.waitlist import matching, notifications
from unknot.waitlist.errors import (
    NotWaiting,
    OfferAnswered,
    OfferExpired,
    OfferGone,
    WaitlistRefused,
)
from unknot.waitlist.models import (
    EntryStatus,
    JoinedFrom,
    Offer,
    OfferStatus,
    Opening,
    OpeningStatus,
    WaitlistEntry,
)


def offers_at_once() -> int:
    return max(1, int(getattr(settings, "WAITLIST_OFFERS_AT_ONCE", 3)))


def offer_lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "WAITLIST_OFFER_MINUTES", 120)))


# --- a time frees up ---------------------------------------------------------------------


def when_slot_frees(appointment: Appointment) -> None:
    """Booking's hook, in the cancellation's or move's transaction: after the commit, the
    worker looks for people waiting for this time. Nothing is read or written here."""
    if appointment.status != Status.BOOKED:
        return
    clinic_id, therapist_id = appointment.clinic_id, appointment.therapist_id
    type_id, start = appointment.appointment_type_id, appointment.start.isoformat()
    from unknot.waitlist import tasks  # the tasks run these services

    transaction.on_commit(
        lambda: tasks.offer_freed_time.enqueue(clinic_id, therapist_id, type_id, start)
    )


def open_freed_time(
    *, clinic_id: int, therapist_id: int, type_id: int, start: dt.datetime, now: dt.datetime
) -> Opening | None:
    """The worker's half: offers the time to the first people waiting for it, if it is still
    free and bookable. None (and nothing written) when it is not, or when nobody waits."""
    kind = (
        AppointmentType.objects.select_related("clinic")
        .filter(pk=type_id, clinic_id=clinic_id, is_active=True)
        .first()
    )
    if kind is None:
        return None
    with transaction.atomic():
        offering = Opening.objects.filter(
            therapist_id=therapist_id, start=start, status=OpeningStatus.OFFERING
        ).first()
        if offering is not None:  # the same time told twice: it is already being offered
            return offering
        opening = Opening(
            clinic=kind.clinic, therapist_id=therapist_id, appointment_type=kind, start=start,
            freed_at=now,
        )  # fmt: skip
        _offer_next_round(opening, now)
        return opening if opening.pk else None


def _bookable(opening: Opening, now: dt.datetime) -> bool:
    """Free now, with this therapist, for this type: inside working hours, past the minimum
    notice, inside the horizon (the booking pages' own search: `booking.selectors`)."""
    day = times.clinic_day(opening.start, opening.clinic)
    slots = availability(
        clinic=opening.clinic, appointment_type=opening.appointment_type,
        therapist_ids=[opening.therapist_id], first_day=day, last_day=day, now=now,
    )  # fmt: skip
    return any(slot.start_utc == opening.start for slot in slots)


def _expiry(opening: Opening, now: dt.datetime) -> dt.datetime:
    """An offer runs its lifetime, but never past the last moment the type may be booked."""
    notice = dt.timedelta(minutes=opening.appointment_type.min_notice_minutes)
    return min(now + offer_lifetime(), opening.start - notice)


def _offer_next_round(opening: Opening, now: dt.datetime) -> None:
    """Offers the opening to the next few in the queue not yet asked; closes it when nobody
    is left, it is too late, or the time was booked meanwhile. An opening not yet saved is
    saved only if someone is asked."""
    expires = _expiry(opening, now)
    asked = Offer.objects.filter(opening_id=opening.pk).values("entry_id")
    batch = _next_in_queue(opening, asked) if expires > now else []
    if batch and not _bookable(opening, now):
        batch = []
    if not batch:
        _close(opening, now)
        return
    opening.rounds += 1
    opening.save()
    offers = Offer.objects.bulk_create(
        Offer(opening=opening, entry=entry, round=opening.rounds, offered_at=now,
              expires_at=expires)
        for entry in batch
    )  # fmt: skip
    for offer in offers:
        notifications.queue_offer(offer, now)
        _recorded(None, Action.CREATE, offer, "offered")
    opening_id = opening.pk
    from unknot.waitlist import tasks

    transaction.on_commit(lambda: tasks.schedule_expiry(opening_id, expires))


def _next_in_queue(opening: Opening, asked: QuerySet[Offer, Any]) -> list[WaitlistEntry]:
    """The first entries in queue order that want the time, can be emailed, and were not
    asked about this opening yet."""
    rows = matching.wanting(opening).exclude(patient__email="").exclude(pk__in=asked)
    return list(rows.select_related("patient")[: offers_at_once()])


def _close(opening: Opening, now: dt.datetime) -> None:
    if opening.pk and opening.status == OpeningStatus.OFFERING:
        opening.status, opening.closed_at = OpeningStatus.CLOSED, now
        opening.save(update_fields=["status", "closed_at"])


# --- answers -------------------------------------------------------------------------------


def _locked(offer_id: int) -> Offer:
    """The offer, after its opening's row is locked (in the caller's transaction)."""
    opening_ids = Offer.objects.filter(pk=offer_id).values_list("opening_id", flat=True)
    Opening.objects.select_for_update().filter(pk__in=list(opening_ids)).first()
    return Offer.objects.select_related(
        "opening__clinic", "opening__therapist__user", "opening__appointment_type",
        "entry__patient__user", "entry__added_by",
    ).get(pk=offer_id)  # fmt: skip


def refusal(offer: Offer, now: dt.datetime) -> WaitlistRefused | None:
    """Why this offer can no longer be accepted or declined, or None while it can."""
    if offer.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED):
        return OfferAnswered()
    if offer.status == OfferStatus.EXPIRED or offer.expires_at <= now:
        return OfferExpired()
    if offer.status == OfferStatus.GONE or offer.opening.status != OpeningStatus.OFFERING:
        return OfferGone()
    if offer.entry.status != EntryStatus.WAITING:
        return NotWaiting()
    return None


def offer_accept(*, offer_id: int, now: dt.datetime) -> Appointment:
    """Books the offered time for the offer's patient, or refuses and changes nothing."""
    try:
        with transaction.atomic():
            offer = _locked(offer_id)
            if (refused := refusal(offer, now)) is not None:
                raise refused
            appointment = _book(offer, now)
            _filled(offer, appointment, now)
            withdraw(offer.entry, now)  # booked: its offers of other times go to others
            return appointment
    except SlotTaken:
        _taken_elsewhere(offer_id, now)
        raise OfferGone() from None


def _booker(entry: WaitlistEntry) -> User:
    """Who books: the member of staff who put the person on the list (the clinic offered it
    on their behalf), or the person themselves, under the rules of the portal."""
    if entry.joined_from == JoinedFrom.STAFF and entry.added_by is not None:
        return entry.added_by
    if entry.patient.user is not None:
        return entry.patient.user
    raise WaitlistRefused(f"Please call {entry.clinic.name} to take this time.", "call_clinic")


def _book(offer: Offer, now: dt.datetime) -> Appointment:
    opening, entry = offer.opening, offer.entry
    try:
        return booking.appointment_book(
            by=_booker(entry), clinic=opening.clinic, appointment_type=opening.appointment_type,
            therapist=opening.therapist, patient=entry.patient, start=opening.start, now=now,
            source="waitlist",
        )  # fmt: skip
    except PermissionDenied:
        raise WaitlistRefused(
            f"Please call {opening.clinic.name} on {opening.clinic.phone} to take this time.",
            "call_clinic",
        ) from None


def _filled(offer: Offer, appointment: Appointment, now: dt.datetime) -> None:
    opening = offer.opening
    offer.status, offer.answered_at = OfferStatus.ACCEPTED, now
    offer.save(update_fields=["status", "answered_at"])
    opening.status, opening.closed_at = OpeningStatus.FILLED, now
    opening.filled_by, opening.appointment = offer.entry, appointment
    opening.save(update_fields=["status", "closed_at", "filled_by", "appointment"])
    _recorded(None, Action.UPDATE, offer, "accepted")
    _tell_the_others(opening, now)


def _tell_the_others(opening: Opening, now: dt.datetime, asking: int | None = None) -> None:
    """The opening's open offers have gone; each is told by email, except `asking` (the
    offer whose answer found the time taken: its page says so)."""
    others = list(opening.offers.filter(status=OfferStatus.OPEN).select_related("entry__patient"))
    Offer.objects.filter(pk__in=[o.pk for o in others]).update(status=OfferStatus.GONE)
    for other in others:
        if other.pk != asking:
            other.opening = opening
            notifications.queue_gone(other, now)


def _taken_elsewhere(offer_id: int, now: dt.datetime) -> None:
    """The time was booked another way meanwhile: the opening ends, its offers are gone."""
    with transaction.atomic():
        opening = _locked(offer_id).opening
        if opening.status == OpeningStatus.OFFERING:
            _tell_the_others(opening, now, asking=offer_id)
            _close(opening, now)


def offer_decline(*, offer_id: int, now: dt.datetime) -> Offer:
    """The person does not want this time; they stay on the waitlist. When nobody of the
    round is left to answer, the next people in the queue are asked at once."""
    with transaction.atomic():
        offer = _locked(offer_id)
        if (refused := refusal(offer, now)) is not None and not isinstance(refused, NotWaiting):
            raise refused
        offer.status, offer.answered_at = OfferStatus.DECLINED, now
        offer.save(update_fields=["status", "answered_at"])
        _recorded(None, Action.UPDATE, offer, "declined")
        if not offer.opening.offers.filter(status=OfferStatus.OPEN).exists():
            _offer_next_round(offer.opening, now)
        return offer


def withdraw(entry: WaitlistEntry, now: dt.datetime) -> None:
    """The entry left the waitlist: its open offers are declined, so their rounds go on."""
    live = entry.offers.filter(status=OfferStatus.OPEN, expires_at__gt=now)
    for offer_id in live.values_list("pk", flat=True):
        try:
            offer_decline(offer_id=offer_id, now=now)
        except WaitlistRefused:  # answered or ended meanwhile: nothing left to withdraw
            continue


def offers_expire(*, opening_id: int, now: dt.datetime) -> None:
    """The worker, when a round's offers run out: unanswered ones expire, and if nobody of the
    round is left to answer, the next people in the queue are asked."""
    with transaction.atomic():
        opening = Opening.objects.select_for_update().filter(pk=opening_id).first()
        if opening is None or opening.status != OpeningStatus.OFFERING:
            return
        opening.offers.filter(status=OfferStatus.OPEN, expires_at__lte=now).update(
            status=OfferStatus.EXPIRED
        )
        if not opening.offers.filter(status=OfferStatus.OPEN).exists():
            _offer_next_round(opening, now)


def _recorded(by: User | None, action: str, offer: Offer, reason: str) -> None:
    entry = offer.entry
    audit.record(
        action, by=by, object_type="waitlist_offer", object_id=offer.pk,
        patient_id=entry.patient_id, clinic_id=entry.clinic_id, reason=reason,
    )  # fmt: skip
