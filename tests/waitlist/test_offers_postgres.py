"""Everyone offered one freed time accepts at once, on PostgreSQL: exactly one booking, the
others are told it has gone (a refusal, never a server error), and the others get the email.

Each round frees a time, offers it to a batch of people waiting, and releases their
acceptances together; the opening's row lock takes them one after the other and the
exclusion constraint under the booking has the last word.

Needs DATABASE_URL pointing at PostgreSQL (the PostgreSQL pass of .ci/run); skipped otherwise.
"""

from collections import Counter

import pytest
from django.test import override_settings

from tests.calendar import NOW, make_calendar
from tests.concurrency import race
from tests.personas import make_cast
from tests.waitlist.support import booked_then_cancelled, emails, join, offered
from unknot.booking.models import Appointment, Status
from unknot.waitlist import offers
from unknot.waitlist.errors import OfferGone
from unknot.waitlist.models import OfferStatus, OpeningStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

RACERS = 6
ROUNDS = 3


def accept(offer_id: int) -> str:
    try:
        offers.offer_accept(offer_id=offer_id, now=NOW)
    except OfferGone:
        return "gone"
    return "booked"


@override_settings(WAITLIST_OFFERS_AT_ONCE=RACERS)
def test_of_simultaneous_acceptances_exactly_one_books() -> None:
    calendar = make_calendar(make_cast())
    for hour in range(10, 10 + ROUNDS):
        for _ in range(RACERS):
            join(calendar)
        opening = offered(booked_then_cancelled(calendar, f"{hour}:00"))
        assert opening is not None
        ids = list(opening.offers.values_list("pk", flat=True))
        assert len(ids) == RACERS
        outcomes = race(lambda i, ids=ids: accept(ids[i]), RACERS)  # type: ignore[misc]
        assert outcomes == Counter({"booked": 1, "gone": RACERS - 1})
        opening.refresh_from_db()
        assert opening.status == OpeningStatus.FILLED
        booked = Appointment.objects.filter(start=opening.start, status=Status.BOOKED)
        assert booked.count() == 1 and booked.get().source == "waitlist"
        statuses = Counter(opening.offers.values_list("status", flat=True))
        assert statuses == Counter({OfferStatus.ACCEPTED: 1, OfferStatus.GONE: RACERS - 1})
    assert len(emails("waitlist_gone")) == ROUNDS * (RACERS - 1)
