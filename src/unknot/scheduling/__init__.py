"""Pure scheduling core: working time, free slots, booking rules, series, opening hours,
authorisation counts.

No Django, no I/O, no clock: `now` and all data come in as arguments; frozen dataclasses
come out. The rules are described in docs/scheduling.md.
"""

from .authorisations import (
    Authorisation,
    AuthorisationSettings,
    Usage,
    Visit,
    VisitStatus,
    check_booking,
    check_series,
    usage,
)
from .availability import Window, available_slots, booking_window, pick_therapist
from .booking import ALLOWED, Reason, Verdict, check_bookable, check_change
from .localtime import exists, to_utc, wall_of
from .model import (
    AppointmentType,
    Busy,
    BusyRow,
    ClinicCalendar,
    Closure,
    DateOverride,
    Slot,
    TherapistId,
    TherapistSchedule,
    TimeOff,
    TimeRange,
    WeeklyHours,
)
from .opening import DayHours, OpenNow, format_hours, open_now, regular_hours, week_hours
from .series import (
    Conflict,
    SeriesPattern,
    SeriesPlan,
    plan_series,
    visit_starts,
    wanted_days,
)
from .working import working_time

__all__ = [
    "ALLOWED",
    "AppointmentType",
    "Authorisation",
    "AuthorisationSettings",
    "Busy",
    "BusyRow",
    "ClinicCalendar",
    "Closure",
    "Conflict",
    "DateOverride",
    "DayHours",
    "OpenNow",
    "Reason",
    "SeriesPattern",
    "SeriesPlan",
    "Slot",
    "TherapistId",
    "TherapistSchedule",
    "TimeOff",
    "TimeRange",
    "Usage",
    "Verdict",
    "Visit",
    "VisitStatus",
    "WeeklyHours",
    "Window",
    "available_slots",
    "booking_window",
    "check_bookable",
    "check_booking",
    "check_change",
    "check_series",
    "exists",
    "format_hours",
    "open_now",
    "pick_therapist",
    "plan_series",
    "regular_hours",
    "to_utc",
    "usage",
    "visit_starts",
    "wall_of",
    "wanted_days",
    "week_hours",
    "working_time",
]
