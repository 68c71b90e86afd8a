"""Properties of availability across zones and DST days, against a brute-force reference."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unknot.scheduling import (
    AppointmentType,
    Busy,
    ClinicCalendar,
    Closure,
    DateOverride,
    TherapistSchedule,
    TimeOff,
    TimeRange,
    WeeklyHours,
    available_slots,
    check_bookable,
    to_utc,
    wall_of,
)
from unknot.scheduling.intervals import Span, contains, merge
from unknot.scheduling.working import day_spans

from ._reference import reference_starts

# Zones and days with a DST change (or none, for Phoenix and Kathmandu's odd offset).
DST_DAYS = {
    "America/New_York": [date(2025, 3, 9), date(2025, 11, 2)],
    "Europe/London": [date(2025, 3, 30), date(2025, 10, 26)],
    "Australia/Sydney": [date(2025, 4, 6), date(2025, 10, 5)],
    "Australia/Lord_Howe": [date(2025, 4, 6), date(2025, 10, 5)],
    "America/Santiago": [date(2025, 4, 6), date(2025, 9, 7)],  # changes at midnight
    "America/Phoenix": [date(2025, 3, 9)],
    "Asia/Kathmandu": [date(2025, 3, 9)],
}
STEPS = [5, 10, 15, 20, 30, 45, 60]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


@st.composite
def time_ranges(draw: st.DrawFn) -> TimeRange:
    # Five-minute boundaries, up to 23:55 (time.max would break a minute-level reference).
    start = draw(st.integers(0, 286)) * 5
    end = min(start + draw(st.integers(1, 12 * 10)) * 5, 1435)
    if end <= start:
        start, end = end - 5, end
    return TimeRange(time(start // 60, start % 60), time(end // 60, end % 60))


def day_hours(min_size: int = 0) -> st.SearchStrategy[tuple[TimeRange, ...]]:
    return st.lists(time_ranges(), min_size=min_size, max_size=3).map(lambda rs: tuple(sorted(rs)))


def weekly() -> st.SearchStrategy[WeeklyHours]:
    return st.tuples(*[day_hours(min_size=1)] * 7).map(WeeklyHours)


# Half the clinics open round the clock, so therapist hours and DST nights show through.
ALWAYS_OPEN = WeeklyHours.same_on(range(7), "00:00-23:55")
clinic_hours = st.one_of(st.just(ALWAYS_OPEN), weekly())


@st.composite
def scenarios(draw: st.DrawFn, therapists: int = 1) -> dict:
    zone = draw(st.sampled_from(sorted(DST_DAYS)))
    pivot = draw(st.sampled_from(DST_DAYS[zone]))
    first = pivot - timedelta(days=draw(st.integers(0, 1)))
    last = first + timedelta(days=draw(st.integers(0, 1)))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    in_range = st.sampled_from(days)
    # Closures and whole-day absences empty a short range; keep them to about one in five.
    rarely = st.integers(0, 4).flatmap(
        lambda n: st.sets(in_range, max_size=1) if n == 0 else st.just(set())
    )
    clinic = ClinicCalendar(
        "c1",
        zone,
        draw(clinic_hours),
        closures=tuple(Closure(d) for d in draw(rarely)),
        overrides=tuple(
            DateOverride(d, draw(day_hours())) for d in draw(st.sets(in_range, max_size=1))
        ),
    )
    tz = ZoneInfo(zone)
    origin = to_utc(datetime.combine(first, time()), tz)

    def instant(max_minutes: int) -> datetime:
        return origin + minutes(5 * draw(st.integers(-60, max_minutes // 5)))

    schedules = []
    busy = []
    for n in range(therapists):
        tid = f"t{n}"
        overrides = tuple(
            DateOverride(d, draw(day_hours())) for d in draw(st.sets(in_range, max_size=1))
        )
        offs = []
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["wall", "wall", "utc", "utc", "day"]))
            day = draw(in_range)
            if kind == "day":
                offs.append(TimeOff.days(day))
                continue
            rng = draw(time_ranges())
            wall = (datetime.combine(day, rng.start), datetime.combine(day, rng.end))
            if kind == "utc":
                wall = (to_utc(wall[0], tz), to_utc(wall[1], tz) + minutes(5))
            offs.append(TimeOff(*wall))
        schedules.append(TherapistSchedule(tid, "c1", draw(weekly()), overrides, tuple(offs)))
        for _ in range(draw(st.integers(0, 4))):
            start = instant(2 * 24 * 60)
            busy.append(Busy(tid, start, start + minutes(5 * draw(st.integers(1, 24)))))
    kind = AppointmentType(
        "visit",
        minutes(5 * draw(st.integers(1, 18))),
        buffer_before=minutes(5 * draw(st.integers(0, 6))),
        buffer_after=minutes(5 * draw(st.integers(0, 6))),
        min_notice=minutes(5 * draw(st.integers(0, 12 * 12))),
        horizon_days=draw(st.integers(0, 4)),
        step=minutes(draw(st.sampled_from(STEPS))),
    )
    now = origin + minutes(5 * draw(st.integers(-12 * 36, 12 * 12)))
    return {
        "clinic": clinic,
        "appointment_type": kind,
        "schedules": schedules,
        "busy": tuple(busy),
        "first_day": first,
        "last_day": last,
        "now": now,
    }


@SETTINGS
@given(scenarios())
def test_sweep_agrees_with_brute_force(sc: dict) -> None:
    found = available_slots(**sc)
    [schedule] = sc["schedules"]
    expected = reference_starts(
        sc["clinic"],
        sc["appointment_type"],
        schedule,
        sc["busy"],
        sc["first_day"],
        sc["last_day"],
        sc["now"],
    )
    assert [s.start_utc for s in found] == expected


@SETTINGS
@given(scenarios(therapists=3))
def test_any_therapist_is_the_union_of_each(sc: dict) -> None:
    together = available_slots(**sc)
    union: dict[datetime, list[str]] = defaultdict(list)
    for schedule in sc["schedules"]:
        for slot in available_slots(**{**sc, "schedules": [schedule]}):
            assert slot.therapist_ids == (schedule.therapist_id,)
            union[slot.start_utc].append(schedule.therapist_id)
    assert {s.start_utc: list(s.therapist_ids) for s in together} == union


@SETTINGS
@given(scenarios(therapists=2))
def test_slot_invariants(sc: dict) -> None:
    found = available_slots(**sc)
    clinic, kind = sc["clinic"], sc["appointment_type"]
    tz = clinic.tz
    days = [
        sc["first_day"] + timedelta(days=i)
        for i in range((sc["last_day"] - sc["first_day"]).days + 1)
    ]
    opened = merge(s for d in days for s in day_spans(d, clinic.hours_on(d), tz))
    starts = [s.start_utc for s in found]
    assert starts == sorted(set(starts))
    for slot in found:
        assert slot.end_utc - slot.start_utc == kind.duration
        assert slot.start_utc >= sc["now"] + kind.min_notice
        assert contains(opened, slot.start_utc, slot.end_utc)
        wall = wall_of(slot.start_utc, tz)
        assert (wall - datetime.combine(wall.date(), time())) % kind.step == timedelta(0)
        for tid in slot.therapist_ids:
            schedule = next(s for s in sc["schedules"] if s.therapist_id == tid)
            works = merge(x for d in days for x in day_spans(d, schedule.hours_on(d), tz))
            assert contains(works, slot.start_utc, slot.end_utc)
            wanted = Span(slot.start_utc - kind.buffer_before, slot.end_utc + kind.buffer_after)
            for b in sc["busy"]:
                if b.therapist_id == tid:
                    assert b.end_utc <= wanted.start or wanted.end <= b.start_utc


@SETTINGS
@given(scenarios())
def test_check_bookable_agrees_with_availability(sc: dict) -> None:
    found = {s.start_utc for s in available_slots(**sc)}
    [schedule] = sc["schedules"]
    kind, tz = sc["appointment_type"], sc["clinic"].tz
    start = to_utc(datetime.combine(sc["first_day"], time()), tz)
    end = to_utc(datetime.combine(sc["last_day"] + timedelta(days=1), time()), tz)
    while start < end:
        verdict = check_bookable(
            start,
            clinic=sc["clinic"],
            appointment_type=kind,
            schedule=schedule,
            busy=sc["busy"],
            now=sc["now"],
        )
        assert verdict.ok == (start in found), (start, verdict)
        start += minutes(5)  # every grid time is on this 5-minute lattice
