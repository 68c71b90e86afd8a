"""check_bookable names the first rule a requested start breaks; check_change the notice."""

from datetime import date, datetime, timedelta

import pytest

from unknot.scheduling import Busy, Closure, Reason, TimeOff, check_bookable, check_change

from ._builders import appt, clinic, local, therapist

LONDON = "Europe/London"
NOW = local(LONDON, 2025, 6, 2, 8)


def at(hour: int, minute: int = 0, day: int = 2):
    return local(LONDON, 2025, 6, day, hour, minute)


def check(start: datetime, **changes: object) -> Reason | None:
    args: dict[str, object] = {
        "clinic": clinic(
            LONDON, "08:00-18:00", closures=(Closure(date(2025, 6, 4), reason="Audit"),)
        ),
        "appointment_type": appt(
            30, step=15, before=5, after=5, notice=timedelta(hours=2), horizon=7
        ),
        "schedule": therapist(
            "t1",
            "09:00-12:00",
            "13:00-19:00",
            time_off=(TimeOff(datetime(2025, 6, 3, 14), datetime(2025, 6, 3, 15)),),
        ),
        "busy": (Busy("t1", at(11), at(11, 30)),),
        "now": NOW,
    }
    args.update(changes)
    verdict = check_bookable(start, **args)  # type: ignore[arg-type]
    assert verdict.ok == (verdict.reason is None)
    assert bool(verdict.message) == (verdict.reason is not None)
    return verdict.reason


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (at(10), None),
        (at(9, 45), Reason.TOO_SOON),
        (at(10, 0, day=2) + timedelta(days=8), Reason.BEYOND_HORIZON),
        (at(10, 5), Reason.OFF_GRID),
        (at(10, 0, day=4), Reason.CLINIC_CLOSED),
        (at(17, 45), Reason.OUTSIDE_OPENING_HOURS),
        (at(12), Reason.NOT_WORKING),
        (at(11, 45, day=3), Reason.NOT_WORKING),
        (at(14, 15, day=3), Reason.TIME_OFF),
        (at(10, 30), Reason.BUSY),
        (at(11, 30), Reason.BUSY),  # its 5-minute before-buffer overlaps busy until 11:30
        (at(13), None),
    ],
)
def test_reasons(start: datetime, reason: Reason | None) -> None:
    assert check(start) == reason


def test_off_grid_allowed_when_staff_book_by_hand() -> None:
    assert check(at(10, 5), enforce_grid=False) is None


def test_closure_message_names_reason() -> None:
    verdict = check_bookable(
        at(10, day=4),
        clinic=clinic(LONDON, closures=(Closure(date(2025, 6, 4), reason="Audit"),)),
        appointment_type=appt(),
        schedule=therapist(),
        busy=(),
        now=NOW,
    )
    assert verdict.reason is Reason.CLINIC_CLOSED
    assert "Audit" in verdict.message


def test_change_notice() -> None:
    kind = appt()
    start = at(10, day=3)
    assert check_change(start, appointment_type=kind, now=start - timedelta(hours=24)).ok
    late = check_change(start, appointment_type=kind, now=start - timedelta(hours=23))
    assert late.reason is Reason.CHANGE_TOO_LATE
    assert "24 hours" in late.message


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        check_change(datetime(2025, 6, 3, 10), appointment_type=appt(), now=NOW)


def test_refusals_read_us_style_with_the_zone_named() -> None:
    args: dict[str, object] = {
        "clinic": clinic(LONDON, closures=(Closure(date(2025, 6, 4), reason="Audit"),)),
        "appointment_type": appt(notice=timedelta(hours=2)),
        "schedule": therapist(),
        "busy": (),
        "now": NOW,
    }
    soon = check_bookable(at(9, 45), **args)  # type: ignore[arg-type]
    assert soon.message == "The earliest start you can book is Mon, Jun 2, 2025, 10:00 AM BST."
    closed = check_bookable(at(10, day=4), **args)  # type: ignore[arg-type]
    assert closed.message == "The clinic is closed on Jun 4, 2025 (Audit)."
