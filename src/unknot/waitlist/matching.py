"""Which waiting entries want a freed time: the one home of that rule, as a database filter.

A time matches an entry of the same clinic and appointment type, waiting, for its therapist
or any therapist, when the clinic's calendar day of the time lies in the entry's dates, its
weekday is one of the entry's, and the wall-clock time it starts at is inside the entry's
part of the day (or between its two times). The queue order is first joined, first offered.
"""

import datetime as dt

from django.db.models import F, Q, QuerySet

from unknot.clinics import times
from unknot.waitlist.models import DAY_PARTS, EntryStatus, Opening, TimeOfDay, WaitlistEntry


def parts_of_day(clock: dt.time) -> list[str]:
    """The parts of the day (any, morning, ...) whose window holds this wall-clock time."""
    return [part for part, (first, last) in DAY_PARTS.items() if first <= clock < last]


def wanting(opening: Opening) -> QuerySet[WaitlistEntry]:
    """The waiting entries that would take `opening`, in queue order."""
    local = times.in_zone(opening.start, opening.clinic)
    clock = local.time().replace(tzinfo=None)
    between = Q(time_of_day=TimeOfDay.BETWEEN, earliest__lte=clock, latest__gt=clock)
    return (
        WaitlistEntry.objects.filter(
            clinic_id=opening.clinic_id,
            appointment_type_id=opening.appointment_type_id,
            status=EntryStatus.WAITING,
            first_day__lte=local.date(),
            last_day__gte=local.date(),
        )
        .filter(Q(therapist__isnull=True) | Q(therapist_id=opening.therapist_id))
        .filter(Q(time_of_day__in=parts_of_day(clock)) | between)
        .annotate(on_that_day=F("weekdays").bitand(1 << local.weekday()))
        .filter(on_that_day__gt=0)
        .order_by("joined_at", "pk")
    )
