"""Reads of the waitlist. Entries and offers are health data (who waits for what care):
staff see their clinics', a patient their own, through the access helpers below, which
record the read in the audit trail. A link's offer is found by its signed token only."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from unknot import audit
from unknot.accounts.access import ensure_may_write, staff_role
from unknot.accounts.models import AnyUser
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.waitlist import links
from unknot.waitlist.models import (
    EntryStatus,
    Offer,
    OfferStatus,
    Opening,
    OpeningStatus,
    WaitlistEntry,
)

FIRST_FEW = 3  # people shown per clinic on the front desk's home
FILLED_DAYS_BACK = 7
SHOWN = 50


def entries_visible_to(user: AnyUser) -> QuerySet[WaitlistEntry]:
    """Staff: their clinics' entries. Patients: their own. Nobody else: nothing."""
    base = WaitlistEntry.objects.select_related(
        "clinic", "patient", "appointment_type", "therapist__user"
    )
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if staff_role(user) is not None:
        return base.filter(clinic__in=clinics_visible_to(user))
    return base.filter(patient__user=user)


def get_entry_for(user: AnyUser, entry_id: int) -> WaitlistEntry:
    """The access helper for entries: the row, or 404 when the user may not see it."""
    return one_visible_or_404(entries_visible_to(user), user, "waitlist_entry", entry_id)


def get_entry_for_rw(user: AnyUser, entry_id: int) -> WaitlistEntry:
    """As get_entry_for, and 403 for staff roles that may only read."""
    entry = get_entry_for(user, entry_id)
    if staff_role(user) is not None:
        ensure_may_write(user, "Your role may read the waitlist but not change it.")
    return entry


def waiting_at(user: AnyUser, clinic: Clinic) -> list[WaitlistEntry]:
    """The clinic's queue, first joined first (the list is recorded as read, as a whole)."""
    rows = entries_visible_to(user).filter(clinic=clinic, status=EntryStatus.WAITING)
    _list_read(user, clinic)
    return list(rows.order_by("joined_at", "pk")[:200])


def offers_visible_to(user: AnyUser) -> QuerySet[Offer]:
    base = Offer.objects.select_related(
        "opening__clinic", "opening__therapist__user", "opening__appointment_type",
        "entry__patient",
    )  # fmt: skip
    if staff_role(user) is None:
        return base.none()
    return base.filter(opening__clinic__in=clinics_visible_to(user))


def open_offers(user: AnyUser, clinics: list[Clinic], now: dt.datetime) -> list[Offer]:
    """Offers still waiting for an answer, the soonest to run out first."""
    rows = offers_visible_to(user).filter(
        opening__clinic__in=clinics, status=OfferStatus.OPEN, expires_at__gt=now
    )
    return list(rows.order_by("expires_at", "pk")[:SHOWN])


def recently_filled(user: AnyUser, clinics: list[Clinic], now: dt.datetime) -> list[Opening]:
    rows = Opening.objects.filter(
        clinic__in=clinics_visible_to(user).filter(pk__in=[c.pk for c in clinics]),
        status=OpeningStatus.FILLED,
        closed_at__gte=now - dt.timedelta(days=FILLED_DAYS_BACK),
    ).select_related("clinic", "therapist__user", "appointment_type", "filled_by__patient")
    return list(rows.order_by("-closed_at", "-pk")[:SHOWN])


@dataclass(frozen=True)
class ClinicQueue:
    clinic: Clinic
    waiting: int
    first: list[WaitlistEntry]


@dataclass(frozen=True)
class DeskWaitlist:
    queues: list[ClinicQueue]
    offers: list[Offer]
    filled: list[Opening]


def desk_waitlist(user: AnyUser, clinics: list[Clinic], now: dt.datetime) -> DeskWaitlist:
    """The front desk's section: per clinic how many wait and the first few, open offers, the
    last week's filled times. Three queries however long the lists."""
    return DeskWaitlist(
        queues=_queues(user, clinics), offers=open_offers(user, clinics, now),
        filled=recently_filled(user, clinics, now),
    )  # fmt: skip


def _queues(user: AnyUser, clinics: list[Clinic]) -> list[ClinicQueue]:
    """The first few of each clinic's queue with the queue's length, in one query."""
    by_clinic = F("clinic_id")
    rows = (
        entries_visible_to(user)
        .filter(clinic__in=clinics, status=EntryStatus.WAITING)
        .annotate(
            place=Window(RowNumber(), partition_by=by_clinic, order_by=[F("joined_at"), F("pk")]),
            waiting=Window(Count("pk"), partition_by=by_clinic),
        )
        .filter(place__lte=FIRST_FEW)
        .order_by("clinic_id", "place")
    )
    found: dict[int, list[WaitlistEntry]] = {}
    for entry in rows:
        found.setdefault(entry.clinic_id, []).append(entry)
    return [
        ClinicQueue(clinic=c, waiting=found[c.pk][0].waiting if c.pk in found else 0,  # type: ignore[attr-defined]
                    first=found.get(c.pk, []))
        for c in clinics
    ]  # fmt: skip


def my_entries(user: AnyUser) -> list[WaitlistEntry]:
    """A patient's own places on the waitlist, still waiting."""
    rows = entries_visible_to(user).filter(status=EntryStatus.WAITING)
    return list(rows.order_by("joined_at", "pk"))


def offer_for_token(token: str) -> Offer:
    """The access helper for an offer's signed link: a bad, old or foreign token is a plain
    404. The read is recorded (by whoever holds the link)."""
    offer_id = links.offer_from_token(token)
    found = (
        Offer.objects.select_related(
            "opening__clinic",
            "opening__therapist__user",
            "opening__appointment_type",
            "entry__patient",
            "entry__clinic",
        )
        .filter(pk=offer_id)
        .first()
        if offer_id
        else None
    )
    if found is None:
        raise Http404("This link is not valid.")
    audit.record(
        Action.READ, object_type="waitlist_offer", object_id=found.pk,
        patient_id=found.entry.patient_id, clinic_id=found.entry.clinic_id, reason="link",
    )  # fmt: skip
    return found


def _list_read(user: AnyUser, clinic: Clinic) -> None:
    audit.record(
        Action.READ, by=user, object_type="waitlist", object_id=clinic.pk, clinic_id=clinic.pk,
        reason="list",
    )  # fmt: skip
