"""Moments as people read them: in the clinic's own zone, in US style, with the zone named.

The database holds UTC and the site's current zone is UTC, so Django's `date` filter alone
would show a therapist in Denver a UTC signature time as if it were theirs. Every date or
time shown to people goes through here (the template filters in site/templatetags/times.py);
machine outputs (CSV, iCalendar, FHIR, JSON) keep their own ISO formats.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import dateformat

US_DATE = "M j, Y"  # Dec 7, 2026
US_LONG_DATE = "l, F j, Y"  # Monday, December 7, 2026 (where the page wants the weekday)
US_SHORT_DATE = "D, M j"  # Mon, Dec 7 (a day in a week or a list of near days)
US_MONTH_DAY = "M j"  # Dec 7 (the ends of a chart's axis)
US_AXIS_DAY = "n/j"  # 12/7 (month first: a chart's tick under a week)
US_MONTH = "F Y"  # December 2026 (a month of the booking calendar)
US_TIME = "g:i A"  # 2:05 PM
US_TIME_SECONDS = "g:i:s A"  # 2:05:09 PM (the audit trail)
UTC = "UTC"


def zone_of(where: Any) -> zoneinfo.ZoneInfo:
    """A clinic (anything with `time_zone`), a zone's name, or nothing: UTC, which is named."""
    name = getattr(where, "time_zone", where) or UTC
    return zoneinfo.ZoneInfo(str(name))


def in_zone(moment: dt.datetime, where: Any) -> dt.datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(zone_of(where))


def moment_label(moment: dt.datetime, where: Any, *, seconds: bool = False) -> str:
    """ "Dec 7, 2026, 2:05 PM EST": the wall clock of the clinic then, and its zone's name.

    With `seconds`, "Dec 7, 2026, 2:05:09 PM EST", for the audit trail.
    """
    local = in_zone(moment, where)
    clock = US_TIME_SECONDS if seconds else US_TIME
    return f"{dateformat.format(local, f'{US_DATE}, {clock}')} {local.tzname()}"


def long_moment_label(moment: dt.datetime, where: Any) -> str:
    """ "Monday, December 7, 2026, 2:05 PM EST": a visit's time where the weekday matters."""
    local = in_zone(moment, where)
    return f"{dateformat.format(local, f'{US_LONG_DATE}, {US_TIME}')} {local.tzname()}"


def wall_clock_label(clock: dt.time) -> str:
    """ "9:00 AM": a wall-clock time with no day (an hour row, opening hours); the page names
    the clinic's zone once, since such a time has no moment to take an abbreviation from."""
    return dateformat.time_format(clock, US_TIME)


def clock_label(moment: dt.datetime, where: Any) -> str:
    """ "2:05 PM EST": the time of day at the clinic, for lists already grouped by day."""
    local = in_zone(moment, where)
    return f"{dateformat.format(local, US_TIME)} {local.tzname()}"


def clinic_day(day: dt.date | dt.datetime, where: Any = None) -> dt.date:
    """The calendar day: a moment is first taken to the clinic's zone, whose day it may change."""
    if isinstance(day, dt.datetime):
        return in_zone(day, where).date()
    return day


def day_label(day: dt.date | dt.datetime, where: Any = None) -> str:
    """ "Dec 7, 2026". A moment is first taken to the clinic's zone, whose day it may change."""
    return dateformat.format(clinic_day(day, where), US_DATE)


def long_day_label(day: dt.date | dt.datetime, where: Any = None) -> str:
    """ "Monday, December 7, 2026": a page or email about one day."""
    return dateformat.format(clinic_day(day, where), US_LONG_DATE)


def short_day_label(day: dt.date | dt.datetime, where: Any = None) -> str:
    """ "Mon, Dec 7": a day among the days of a week or of the next weeks."""
    return dateformat.format(clinic_day(day, where), US_SHORT_DATE)


def month_day_label(day: dt.date) -> str:
    """ "Dec 7": the first and last day under a chart."""
    return dateformat.format(day, US_MONTH_DAY)


def axis_day_label(day: dt.date) -> str:
    """ "12/7": month first, for a chart's narrow tick."""
    return dateformat.format(day, US_AXIS_DAY)


def month_label(day: dt.date) -> str:
    """ "December 2026": the month a day is in (the portal's month of free days)."""
    return dateformat.format(day, US_MONTH)


def on_clinic_days(
    path: str, first: dt.date, last: dt.date, clinics: Iterable[Any], via: str = "clinic"
) -> Q:
    """Rows whose instant `path` falls on the days `first` to `last` (both included) as each
    row's own clinic (`via`) counts them: from its midnight of `first` to its midnight after
    `last`. Clinics are grouped by time zone, so the database tests one range per zone, not
    one per clinic (a chain has dozens of clinics and a few zones). Django's `__date` would
    count the days in UTC, which ends a US evening's work on the next day."""
    by_zone: dict[str, list[Any]] = defaultdict(list)
    for clinic in clinics:
        by_zone[str(clinic.time_zone)].append(clinic)
    found = Q(pk__in=[])  # no clinics: no rows
    for name, same_zone in by_zone.items():
        zone = zoneinfo.ZoneInfo(name)
        start = dt.datetime.combine(first, dt.time(), zone)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
        found |= Q(**{f"{via}__in": same_zone, f"{path}__gte": start, f"{path}__lt": end})
    return found
