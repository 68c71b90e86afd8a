"""Staff calendars as grids (`calendar_grid` places them): the day with a column per
therapist, the week with a column per day of one therapist, in the clinic's zone.

Days are the clinic's local dates: a day is [local midnight, next local midnight) in UTC, so
a DST day is 23 or 25 hours long and a 09:00 visit shows at 09:00 on both sides of a change.
Each page costs a fixed number of queries however many therapists and appointments it shows.
"""

import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from unknot import scheduling as core
from unknot.accounts.access import may_read_chart, may_write, staff_only
from unknot.accounts.roles import ALL_STAFF_ROLES
from unknot.booking import adapters, attendance, hooks, safety_calls, selectors
from unknot.booking import calendar_grid as grid
from unknot.booking.forms_staff import CalendarFilterForm
from unknot.booking.models import Appointment
from unknot.clinics import times
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import get_clinic_for
from unknot.common import inputs

DAY = dt.timedelta(days=1)
DEFAULT_HOURS = (8, 18)  # rows shown when the clinic has no opening hours


@dataclass(frozen=True)
class Filters:
    therapist_id: int | None
    appointment_type: Any


@dataclass(frozen=True)
class FreeSlot:
    start: dt.datetime
    therapists: list[Any]


def local_midnight(day: dt.date, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    return core.to_utc(dt.datetime.combine(day, dt.time()), tz)


def read_filters(request: HttpRequest, clinic: Clinic) -> tuple[CalendarFilterForm, Filters]:
    """Filters from the query string; an invalid one is named on the page and ignored."""
    form = CalendarFilterForm(request.GET or None, clinic=clinic)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    therapist = data.get("therapist")
    return form, Filters(therapist.pk if therapist else None, data.get("appointment_type"))


def free_slots(
    clinic: Clinic, filters: Filters, days: tuple[dt.date, dt.date], therapists: Sequence[Any]
) -> list[FreeSlot]:
    """Free starts for the chosen appointment type; a handful of queries for the whole range."""
    if filters.appointment_type is None:
        return []
    by_id = {t.pk: t for t in therapists}
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
    request: HttpRequest,
    clinic: Clinic,
    days: tuple[dt.date, dt.date],
    filtered: tuple[CalendarFilterForm, Filters],
    therapist_id: int | None,
) -> tuple[dict[str, Any], list[Appointment]]:
    """What the day and week pages share: filters, appointments, the legend, who may write.

    The clinic's opening hours and closures are fetched once here for everything after."""
    form, filters = filtered
    first, last = days
    tz = adapters.zone(clinic)
    prefetch_related_objects([clinic], "opening_hours", "closures")
    rows = selectors.appointments_between(
        request.user, clinic, local_midnight(first, tz), local_midnight(last + DAY, tz),
        therapist_id,
    )  # fmt: skip
    # The "call before the visit" task and the safety flags come in the same query; a role
    # that does not read the chart (the biller) sees the visits without them.
    chart = may_read_chart(request.user)
    flagged = hooks.with_calendar_flags(safety_calls.with_open_call(rows)) if chart else rows
    appointments = list(flagged)
    context = {
        "clinic": clinic,
        "filter_form": form,
        "query": request.GET.urlencode(),
        "therapist_id": filters.therapist_id,
        "slot_type": filters.appointment_type,
        "can_write": may_write(request.user),
        "today": timezone.now().astimezone(tz).date(),
        "legend_kinds": grid.LEGEND_KINDS,
        "legend_statuses": grid.LEGEND_STATUSES,
        "legend_flags": hooks.calendar_flag_words() if chart else [],
    }
    return context, appointments


def _marks(request: HttpRequest, now: dt.datetime) -> Callable[[Appointment], Any]:
    """The mark buttons of each appointment: none for a role that only reads."""
    if not may_write(request.user):
        return lambda appointment: []
    return lambda appointment: grid.mark_buttons(appointment, now)


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def calendar_today(request: HttpRequest, slug: str) -> HttpResponse:
    """Today's page in the clinic's own calendar, which may not be the server's date."""
    clinic = get_clinic_for(request.user, slug)
    today = timezone.now().astimezone(adapters.zone(clinic)).date()
    return redirect("booking:staff_day", slug=clinic.slug, day=today)


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def day_view(request: HttpRequest, slug: str, day: dt.date) -> HttpResponse:
    """Therapists as columns (all who take bookings here, or the one chosen), time as rows."""
    clinic = get_clinic_for(request.user, slug)
    inputs.check_date(day, "day")  # a year like 1 or 9999 is a 400, never an overflow
    form, filters = read_filters(request, clinic)
    context, appointments = _page(
        request, clinic, (day, day), (form, filters), filters.therapist_id
    )
    therapists = day_therapists(clinic, filters.therapist_id, appointments)
    marks = _marks(request, timezone.now())
    flags = attendance.flags_for(request.user, timezone.now(), appointments)  # one query
    context |= {
        "day": day,
        "grid": day_grid(request, clinic, day, therapists, appointments),
        "appointments": [(a, marks(a), flags.get(a.pk)) for a in appointments],
        "free_slots": free_slots(clinic, filters, (day, day), [t for t, _ in therapists]),
        "previous_day": day - DAY,
        "next_day": day + DAY,
    }
    return render(request, "booking/staff/day.html", context)


def day_grid(
    request: HttpRequest,
    clinic: Clinic,
    day: dt.date,
    therapists: list[tuple[Any, bool]],
    appointments: Sequence[Appointment],
) -> grid.Grid:
    now, tz = timezone.now(), adapters.zone(clinic)
    calendar = adapters.clinic_calendar(clinic)
    fr = grid.frame(tz, grid.hour_span(opening_span(calendar), appointments, tz), now)
    schedules = schedules_by_id(clinic, [t.pk for t, _ in therapists], day, day)
    marks = _marks(request, now)
    columns = [
        grid.Column(
            n, therapist, day,
            grid.column_items(
                fr, day, [a for a in appointments if a.therapist_id == therapist.pk],
                grid.working_spans(calendar, schedules.get(therapist.pk), [day]), marks,
            ),
            takes_bookings,
        )
        for n, (therapist, takes_bookings) in enumerate(therapists)
    ]  # fmt: skip
    return grid.Grid(fr.rows, columns, grid.now_line(fr, day))


def day_therapists(
    clinic: Clinic, therapist_id: int | None, appointments: Sequence[Appointment]
) -> list[tuple[Any, bool]]:
    """(therapist, takes bookings here) for each column: those who take bookings, then anyone
    else with an appointment that day (a therapist who left keeps their visits in sight)."""
    columns = [
        (t, True)
        for t in selectors.bookable_therapists(clinic)
        if therapist_id is None or t.pk == therapist_id
    ]
    shown = {t.pk for t, _ in columns}
    for appointment in appointments:
        if appointment.therapist_id not in shown and appointment.status in grid.ON_GRID:
            columns.append((appointment.therapist, False))
            shown.add(appointment.therapist_id)
    return columns


def schedules_by_id(
    clinic: Clinic, ids: list[int], first: dt.date, last: dt.date
) -> dict[int, core.TherapistSchedule]:
    """Working hours, overrides and time off of these therapists: three queries for all."""
    schedules = adapters.therapist_schedules(clinic, ids, first, last)
    return {int(s.therapist_id): s for s in schedules}


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def week_view(request: HttpRequest, slug: str, day: dt.date) -> HttpResponse:
    """Days as columns for one therapist: the one chosen, else the first who takes bookings
    (a week of every therapist at once would be too crowded to read; the day page has them)."""
    clinic = get_clinic_for(request.user, slug)
    inputs.check_date(day, "day")
    monday = day - dt.timedelta(days=day.weekday())
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    form, filters = read_filters(request, clinic)
    therapist = week_therapist(clinic, filters.therapist_id)
    therapist_id = therapist.pk if therapist is not None else -1  # -1: nobody, no rows
    context, appointments = _page(
        request, clinic, (days[0], days[-1]), (form, filters), therapist_id
    )
    context |= {
        "day": day,
        "days": days,
        "therapist": therapist,
        "grid": week_grid(request, clinic, therapist, days, appointments),
        "previous_week": monday - dt.timedelta(days=7),
        "next_week": monday + dt.timedelta(days=7),
    }
    return render(request, "booking/staff/week.html", context)


def week_therapist(clinic: Clinic, therapist_id: int | None) -> Any:
    therapists = selectors.bookable_therapists(clinic)
    if therapist_id is not None:
        therapists = therapists.filter(pk=therapist_id)
    return therapists.first()


def week_grid(
    request: HttpRequest,
    clinic: Clinic,
    therapist: Any,
    days: list[dt.date],
    appointments: Sequence[Appointment],
) -> grid.Grid:
    now, tz = timezone.now(), adapters.zone(clinic)
    calendar = adapters.clinic_calendar(clinic)
    fr = grid.frame(tz, grid.hour_span(opening_span(calendar), appointments, tz), now)
    if therapist is None:
        return grid.Grid(fr.rows, [], None)
    schedule = schedules_by_id(clinic, [therapist.pk], days[0], days[-1]).get(therapist.pk)
    marks = _marks(request, now)
    columns = [
        grid.Column(
            n, therapist, day,
            grid.column_items(
                fr, day, [a for a in appointments if times.clinic_day(a.start, clinic) == day],
                grid.working_spans(calendar, schedule, [day]), marks,
            ),
        )
        for n, day in enumerate(days)
    ]  # fmt: skip
    today = now.astimezone(tz).date()
    return grid.Grid(fr.rows, columns, grid.now_line(fr, today) if today in days else None)


def opening_span(calendar: core.ClinicCalendar) -> tuple[int, int]:
    """First and last-plus-one local hours the clinic is open on any weekday."""
    hours = [r for weekday in range(7) for r in calendar.opening.on(weekday)]
    if not hours:
        return DEFAULT_HOURS
    closes = max(r.end for r in hours)
    return min(r.start for r in hours).hour, closes.hour + (1 if closes.minute else 0)
