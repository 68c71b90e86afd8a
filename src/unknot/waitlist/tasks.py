"""The waitlist's background work, run by the database-backed worker (`db_worker`)."""

import datetime as dt

from django.tasks import task
from django.utils import timezone

from unknot.waitlist import offers


@task()
def offer_freed_time(clinic_id: int, therapist_id: int, type_id: int, start: str) -> str:
    """A booked time was cancelled or moved away: offer it to the people waiting for it."""
    opening = offers.open_freed_time(
        clinic_id=clinic_id, therapist_id=therapist_id, type_id=type_id,
        start=dt.datetime.fromisoformat(start), now=timezone.now(),
    )  # fmt: skip
    return "offered" if opening is not None else "nobody to offer it to"


@task()
def expire_offers(opening_id: int) -> str:
    """A round's offers have run out: the next people in the queue are asked."""
    offers.offers_expire(opening_id=opening_id, now=timezone.now())
    return "done"


def schedule_expiry(opening_id: int, expires: dt.datetime) -> None:
    expire_offers.using(run_after=expires).enqueue(opening_id)
