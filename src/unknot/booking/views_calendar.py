"""Staff calendars: a clinic's day and week, optionally one therapist's, in the clinic's zone.

Days are the clinic's local dates: a day is [local midnight, next local midnight) in UTC, so
a DST day is 23 or 25 hours long and a 09:00 visit shows at 09:00 on both sides of a change.
Each page costs a fixed number of queries however many appointments it shows.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from unknot import scheduling as core
from unknot.accounts.access import is_read_only, staff_only
from unknot.booking import attendance, safety_calls, selectors
from unknot.booking.forms_staff import CalendarFilterForm
from unknot.booking.models import Appointment, Status
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import get_clinic_for
from unknot.common import inputs

DAY = dt.timedelta(days=1)
DEFAULT_HOURS = (8, 18)  # rows shown in a week when the clinic has no opening hours


@dataclass(frozen=True)
class Filters:
    therapist_id: int | None
    appointment_type: Any


@dataclass(frozen=True)
class FreeSlot:
    start: dt.datetime
    therapists: list[Any]


def zone(clinic: Clinic) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(clinic.time_zone)


def local_midnight(day: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return core.to_utc(dt.datetime.combine(day, dt.time()), tz)


def local_day_of(instant: dt.datetime, clinic: Clinic) -> dt.date:
    return instant.astimezone(zone(clinic)).date()


def read_filters(request: HttpRequest, clinic: Clinic) -> tuple[CalendarFilterForm, Filters]:
    """Filters from the query string; an invalid one is named on the page and ignored."""
    form = CalendarFilterForm(request.GET or None, clinic=clinic)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    therapist = data.get("therapist")
    return form, Filters(therapist.pk if therapist else None, data.get("appointment_type"))


def free_slots(clinic: Clinic, filters: Filters, days: tuple[dt.date, dt.date]) -> list[FreeSlot]:
    """Free starts for the chosen appointment type; a handful of queries for the whole range."""
    if filters.appointment_type is None:
        return []
    by_id = {t.pk: t for t in selectors.bookable_therapists(clinic)}
    ids = [filters.therapist_id] if filters.therapist_id else list(by_id)
    slots = selectors.availability(
        clinic=clinic,
        appointment_type=filters.appointment_type,
        therapist_ids=ids,
        first_day=days[0],
        last_day=days[1],
        now=timezone.now(),
    )
    return [FreeSlot(s.start_utc, [by_id[int(t)] for t in s.therapist_ids]) for s in slots]


def _page(
    request: HttpRequest, clinic: Clinic, first: dt.date, last: dt.date, *, with_slots: bool
) -> tuple[dict[str, Any], list[Appointment]]:
    """What the day and week pages share: filters, therapists, appointments, free slots."""
    form, filters = read_filters(request, clinic)
    tz = zone(clinic)
    appointments = list(
        safety_calls.with_open_call(  # the "call before the visit" flag, in the same query
            selectors.appointments_between(
                request.user,
                clinic,
                local_midnight(first, tz),
                local_midnight(last + DAY, tz),
                filters.therapist_id,
            )
        )
    )
    context = {
        "clinic": clinic,
        "filter_form": form,
        "query": request.GET.urlencode(),
        "therapist_id": filters.therapist_id,
        "slot_type": filters.appointment_type,
        "free_slots": free_slots(clinic, filters, (first, last)) if with_slots else [],
        "can_write": not is_read_only(request.user),
        "today": timezone.now().astimezone(tz).date(),
    }
    return context, appointments


@require_safe
@staff_only()
def calendar_today(request: HttpRequest, slug: str) -> HttpResponse:
    """Today's page in the clinic's own calendar, which may not be the server's date."""
    clinic = get_clinic_for(request.user, slug)
    today = timezone.now().astimezone(zone(clinic)).date()
    return redirect("booking:staff_day", slug=clinic.slug, day=today)


@require_safe
@staff_only()
def day_view(request: HttpRequest, slug: str, day: dt.date) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    inputs.check_date(day, "day")  # a year like 1 or 9999 is a 400, never an overflow
    context, appointments = _page(request, clinic, day, day, with_slots=True)
    flags = attendance.flags_for(request.user, timezone.now(), appointments)  # one query
    context |= {
        "day": day,
        "appointments": [(a, flags.get(a.pk)) for a in appointments],
        "previous_day": day - DAY,
        "next_day": day + DAY,
        "markable": can_mark_any(appointments),
    }
    return render(request, "booking/staff/day.html", context)


def can_mark_any(appointments: Sequence[Appointment]) -> bool:
    return any(a.status not in (Status.CANCELLED, Status.HELD) for a in appointments)


@require_safe
@staff_only()
def week_view(request: HttpRequest, slug: str, day: dt.date) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    inputs.check_date(day, "day")
    monday = day - dt.timedelta(days=day.weekday())
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    context, appointments = _page(request, clinic, days[0], days[-1], with_slots=False)
    context |= {
        "day": day,
        "days": days,
        "rows": week_rows(clinic, days, appointments),
        "previous_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
    }
    return render(request, "booking/staff/week.html", context)


def week_rows(
    clinic: Clinic, days: Sequence[dt.date], appointments: Sequence[Appointment]
) -> list[tuple[dt.time, list[list[Appointment]]]]:
    """One row per local hour, one cell per local date: the wall clock, not UTC, decides both."""
    tz = zone(clinic)
    cells: dict[tuple[int, dt.date], list[Appointment]] = defaultdict(list)
    for appointment in appointments:
        local = appointment.start.astimezone(tz)
        cells[(local.hour, local.date())].append(appointment)
    first, last = opening_span(clinic)
    hours = {hour for hour, _ in cells} | set(range(first, last))
    return [
        (dt.time(hour), [cells.get((hour, day), []) for day in days])
        for hour in range(min(hours), max(hours) + 1)
    ]


def opening_span(clinic: Clinic) -> tuple[int, int]:
    """First and last-plus-one local hours the clinic is open on any weekday."""
    rows = list(clinic.opening_hours.all())
    if not rows:
        return DEFAULT_HOURS
    closes = max(r.closes for r in rows)
    return min(r.opens for r in rows).hour, closes.hour + (1 if closes.minute else 0)
