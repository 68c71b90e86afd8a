"""Dates and times in words people read, one home for every page, email and PDF.

Registered as a template builtin (config/settings.py), like the labels. The formats and the
zone rules live in `unknot.clinics.times`; these filters only pass values through:

    {{ plan.signed_at|clinic_time:episode.clinic }}   Dec 7, 2026, 2:05 PM MST
    {{ appointment.start|clinic_clock:clinic }}       2:05 PM MST (in a list of one day)
    {{ episode.opened_at|clinic_date:episode.clinic }} Dec 7, 2026 (the clinic's day)
    {{ patient.date_of_birth|us_date }}                Mar 4, 1980
    {{ hour|us_clock }}                                9:00 AM (a wall clock, no moment)
    {{ day|long_date }}                                Monday, December 7, 2026
    {{ appointment.start|long_date:clinic }}           the same, the clinic's day of a moment
    {{ day|short_date }}                               Mon, Dec 7
    {{ day|us_month }}                                 December 2026
    {{ appointment.start|clinic_long_time:clinic }}    Monday, December 7, 2026, 2:05 PM MST
    {{ event.at|clinic_time_seconds:clinic }}          Dec 7, 2026, 2:05:09 PM MST (audit)
"""

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django import template

from unknot.clinics import times

register = template.Library()

# filter name -> (the values it reads, how it says them). Anything else (an empty field, a
# wrong type) shows as nothing: a page never fails on a missing date.
FILTERS: dict[str, tuple[type, Callable[..., str]]] = {
    "clinic_time": (dt.datetime, times.moment_label),
    "clinic_time_seconds": (dt.datetime, functools.partial(times.moment_label, seconds=True)),
    "clinic_long_time": (dt.datetime, times.long_moment_label),
    "clinic_clock": (dt.datetime, times.clock_label),
    "clinic_date": (dt.date, times.day_label),  # a moment's day at the clinic; a date as it is
    "long_date": (dt.date, times.long_day_label),
    "short_date": (dt.date, times.short_day_label),
}


def _filter(kind: type, say: Callable[..., str]) -> Callable[[Any, Any], str]:
    def render(value: Any, where: Any = None) -> str:
        return say(value, where) if isinstance(value, kind) else ""

    return render


for _name, (_kind, _say) in FILTERS.items():
    register.filter(_name, _filter(_kind, _say))


@register.filter
def us_date(value: Any) -> str:
    """A calendar date (a birthday, the day of a visit), US style."""
    return times.day_label(value) if isinstance(value, dt.date) else ""


@register.filter
def us_clock(value: Any) -> str:
    """A wall-clock time of no particular day (a row of the week), US style."""
    return times.wall_clock_label(value) if isinstance(value, dt.time) else ""


@register.filter
def us_month(value: Any) -> str:
    """The month a calendar date is in: "December 2026"."""
    return times.month_label(value) if isinstance(value, dt.date) else ""
