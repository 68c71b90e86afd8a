"""Moments as people read them: in the clinic's own zone, in US style, with the zone named.

The database holds UTC and the site's current zone is UTC, so Django's `date` filter alone
would show a therapist in Denver a UTC signature time as if it were theirs. Every date or
time shown to people goes through here (the template filters in site/templatetags/times.py);
machine outputs (CSV, iCalendar, FHIR, JSON) keep their own ISO formats.
"""

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import dateformat

US_DATE = "M j, Y"  # Dec 7, 2026
US_TIME = "g:i A"  # 2:05 PM
UTC = "UTC"


def zone_of(where: Any) -> zoneinfo.ZoneInfo:
    """A clinic (anything with `time_zone`), a zone's name, or nothing: UTC, which is named."""
    name = getattr(where, "time_zone", where) or UTC
    return zoneinfo.ZoneInfo(str(name))


def in_zone(moment: dt.datetime, where: Any) -> dt.datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(zone_of(where))


def moment_label(moment: dt.datetime, where: Any) -> str:
    """ "Dec 7, 2026, 2:05 PM EST": the wall clock of the clinic then, and its zone's name."""
    local = in_zone(moment, where)
    return f"{dateformat.format(local, f'{US_DATE}, {US_TIME}')} {local.tzname()}"


def clock_label(moment: dt.datetime, where: Any) -> str:
    """ "2:05 PM EST": the time of day at the clinic, for lists already grouped by day."""
    local = in_zone(moment, where)
    return f"{dateformat.format(local, US_TIME)} {local.tzname()}"


def day_label(day: dt.date | dt.datetime, where: Any = None) -> str:
    """ "Dec 7, 2026". A moment is first taken to the clinic's zone, whose day it may change."""
    if isinstance(day, dt.datetime):
        day = in_zone(day, where).date()
    return dateformat.format(day, US_DATE)
