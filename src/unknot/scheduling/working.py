"""Working time: wall-clock rules of one local day turned into merged UTC spans.

A therapist's working time at a clinic is
    (their hours for each day - their time off) intersected with the clinic's opening hours,
where each day's hours come from a date override if there is one, else the weekly rule, and
a clinic closure removes the day entirely.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from .intervals import Span, intersect, merge, subtract
from .localtime import local_date, midnight_utc, to_utc
from .model import (
    AppointmentType,
    Busy,
    ClinicCalendar,
    TherapistId,
    TherapistSchedule,
    TimeOff,
    TimeRange,
)

_DAY = timedelta(days=1)


def days_between(first: date, last: date) -> Iterator[date]:
    """Local dates `first` .. `last`, inclusive."""
    day = first
    while day <= last:
        yield day
        day += _DAY


def day_spans(day: date, hours: Iterable[TimeRange], tz: ZoneInfo) -> list[Span]:
    """The UTC spans of `hours` on local `day`; ranges wholly in a DST gap vanish."""
    spans = []
    for rng in hours:
        start = to_utc(datetime.combine(day, rng.start), tz)
        end = to_utc(datetime.combine(day, rng.end), tz)
        if start < end:
            spans.append(Span(start, end))
    return spans


class DaySpans:
    """`day_spans` memoised for one search: therapists mostly share the same hours.

    Lives only as long as one call of the core, so it never outlives the zone rules it read.
    Equal calls return the same list: callers must not change it.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._known: dict[tuple[date, tuple[TimeRange, ...]], list[Span]] = {}

    def __call__(self, day: date, hours: tuple[TimeRange, ...]) -> list[Span]:
        key = (day, hours)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = day_spans(day, hours, self.tz)
        return found


def clinic_open(
    clinic: ClinicCalendar, days: Iterable[date], spans_of: DaySpans | None = None
) -> list[Span]:
    spans_of = spans_of or DaySpans(clinic.tz)
    return merge(span for day in days for span in spans_of(day, clinic.hours_on(day)))


def scheduled(
    schedule: TherapistSchedule,
    tz: ZoneInfo,
    days: Iterable[date],
    spans_of: DaySpans | None = None,
) -> list[Span]:
    """The therapist's own hours (weekly or overridden), before time off and clinic hours."""
    spans_of = spans_of or DaySpans(tz)
    return merge(span for day in days for span in spans_of(day, schedule.hours_on(day)))


def time_off_span(off: TimeOff, tz: ZoneInfo) -> Span:
    if off.whole_day:
        first, last = (_date_in(value, tz) for value in (off.start, off.end))
        return Span(midnight_utc(first, tz), midnight_utc(last + _DAY, tz))
    return Span(_instant(off.start, tz), _instant(off.end, tz))


def _date_in(value: datetime, tz: ZoneInfo) -> date:
    return value.date() if value.tzinfo is None else local_date(value, tz)


def _instant(value: datetime, tz: ZoneInfo) -> datetime:
    return to_utc(value, tz) if value.tzinfo is None else value.astimezone(UTC)


def time_off(schedule: TherapistSchedule, tz: ZoneInfo) -> list[Span]:
    return merge(time_off_span(off, tz) for off in schedule.time_off)


def working_time(
    clinic: ClinicCalendar,
    schedule: TherapistSchedule,
    days: Sequence[date],
    opening: Sequence[Span] | None = None,
    spans_of: DaySpans | None = None,
) -> list[Span]:
    """Merged UTC spans in which the therapist works and the clinic is open.

    A search over many therapists passes the clinic's `opening` spans for `days` and one
    `spans_of`, computed once; alone, both are worked out here.
    """
    ensure_same_clinic(clinic, schedule)
    tz = clinic.tz
    spans_of = spans_of or DaySpans(tz)
    own = scheduled(schedule, tz, days, spans_of)
    if schedule.time_off:
        own = subtract(own, time_off(schedule, tz))
    if opening is None:
        opening = clinic_open(clinic, days, spans_of)
    return intersect(own, opening)


def ensure_same_clinic(clinic: ClinicCalendar, schedule: TherapistSchedule) -> None:
    """A schedule read against another clinic's hours and zone would be silently wrong."""
    if schedule.clinic_id != clinic.clinic_id:
        raise ValueError(
            f"schedule of therapist {schedule.therapist_id} belongs to clinic "
            f"{schedule.clinic_id}, not {clinic.clinic_id}"
        )


def blocked(
    busy: Iterable[Busy], therapist_id: TherapistId, appointment_type: AppointmentType
) -> list[Span]:
    """Busy time grown by the new appointment's own buffers, merged.

    A slot [s, e) with buffers needs [s - before, e + after) clear of busy [b0, b1), which
    is the same as [s, e) clear of [b0 - after, b1 + before). Growing the few busy spans once
    lets the grid walk test slots against free spans alone.
    """
    before, after = appointment_type.buffer_before, appointment_type.buffer_after
    return merge(
        Span(b.start_utc - after, b.end_utc + before)
        for b in busy
        if b.therapist_id == therapist_id
    )
