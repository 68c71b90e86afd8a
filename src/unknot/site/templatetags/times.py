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
    {{ appointment.start|clinic_long_time:clinic }}    Monday, December 7, 2026, 2:05 PM MST
    {{ event.at|clinic_time_seconds:clinic }}          Dec 7, 2026, 2:05:09 PM MST (audit)
"""

import datetime as dt
from typing import Any

from django import template

from unknot.clinics import times

register = template.Library()


@register.filter
def clinic_time(value: Any, where: Any = None) -> str:
    """A moment in the clinic's zone (or the zone named), with the zone's abbreviation."""
    if not isinstance(value, dt.datetime):
        return ""
    return times.moment_label(value, where)


@register.filter
def clinic_time_seconds(value: Any, where: Any = None) -> str:
    """A moment to the second, in the clinic's zone with its abbreviation: the audit trail."""
    if not isinstance(value, dt.datetime):
        return ""
    return times.moment_label(value, where, seconds=True)


@register.filter
def clinic_long_time(value: Any, where: Any = None) -> str:
    """A moment with its weekday and the month in full, in the clinic's zone, zone named."""
    if not isinstance(value, dt.datetime):
        return ""
    return times.long_moment_label(value, where)


@register.filter
def clinic_clock(value: Any, where: Any = None) -> str:
    """The time of day in the clinic's zone, with the zone's abbreviation."""
    if not isinstance(value, dt.datetime):
        return ""
    return times.clock_label(value, where)


@register.filter
def clinic_date(value: Any, where: Any = None) -> str:
    """The day of a moment in the clinic's zone; a plain date as it is."""
    if not isinstance(value, dt.date):
        return ""
    return times.day_label(value, where)


@register.filter
def us_date(value: Any) -> str:
    """A calendar date (a birthday, the day of a visit), US style."""
    return clinic_date(value)


@register.filter
def long_date(value: Any, where: Any = None) -> str:
    """A day with its weekday, in full; a moment's day in the clinic's zone."""
    if not isinstance(value, dt.date):
        return ""
    return times.long_day_label(value, where)


@register.filter
def short_date(value: Any, where: Any = None) -> str:
    """A day with its weekday, short and without the year; a moment's day at the clinic."""
    if not isinstance(value, dt.date):
        return ""
    return times.short_day_label(value, where)


@register.filter
def us_clock(value: Any) -> str:
    """A wall-clock time of no particular day (a row of the week), US style."""
    if not isinstance(value, dt.time):
        return ""
    return times.wall_clock_label(value)
