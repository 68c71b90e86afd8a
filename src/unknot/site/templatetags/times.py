"""Dates and times in words people read, one home for every page, email and PDF.

Registered as a template builtin (config/settings.py), like the labels. The formats and the
zone rules live in `unknot.clinics.times`; these filters only pass values through:

    {{ plan.signed_at|clinic_time:episode.clinic }}   Dec 7, 2026, 2:05 PM MST
    {{ appointment.start|clinic_clock:clinic }}       2:05 PM MST (in a list of one day)
    {{ episode.opened_at|clinic_date:episode.clinic }} Dec 7, 2026 (the clinic's day)
    {{ patient.date_of_birth|us_date }}                Mar 4, 1980
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
