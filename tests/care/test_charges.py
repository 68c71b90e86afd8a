"""CHG-*, CERT-*, PROGRESS-1: charge lines, modifiers and Medicare due dates (issue 16)."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unknot.care.charges import (
    BillingSettings,
    Charge,
    UnknownThresholdYear,
    certification_due,
    charge_lines,
    kx_threshold_for,
    progress_report_due,
    with_threshold_modifier,
)
from unknot.care.codes import TIMED_CPT, UNTIMED_CPT, units_for_minutes

FEES = {
    "97010": Decimal("15.00"),
    "97110": Decimal("30.50"),
    "97112": Decimal("35.25"),
    "97140": Decimal("32.00"),
    "97530": Decimal("40.00"),
    "97535": Decimal("33.10"),
    "97161": Decimal("100.00"),
    "97162": Decimal("110.00"),
    "97163": Decimal("120.00"),
    "97164": Decimal("75.00"),
}
THRESHOLD = Decimal("2410")


def charge(minutes: dict[str, int], year_to_date: str = "0", **kwargs: Any) -> Charge:
    return charge_lines(
        minutes, year_to_date=Decimal(year_to_date), fees=FEES, kx_threshold=THRESHOLD, **kwargs
    )


def test_mixed_timed_and_untimed_codes() -> None:
    # 33 + 7 = 40 timed minutes -> 3 units (2 to 97110, the third to 97112); 97010 untimed.
    result = charge({"97110": 33, "97112": 7, "97010": 15}, year_to_date="100")
    lines = [(line.code, line.units, line.modifiers, line.amount) for line in result.lines]
    assert lines == [
        ("97010", 1, ("GP",), Decimal("15.00")),
        ("97110", 2, ("GP",), Decimal("61.00")),
        ("97112", 1, ("GP",), Decimal("35.25")),
    ]
    assert result.total == Decimal("111.25")
    assert result.year_to_date_after == Decimal("211.25")
    assert [line.running_total for line in result.lines] == [
        Decimal("115.00"),
        Decimal("176.00"),
        Decimal("211.25"),
    ]


def test_kx_exactly_at_the_threshold_is_not_past_it() -> None:
    # 2,379.50 + 30.50 = 2,410.00: at the threshold, not past it.
    at = charge({"97110": 15}, year_to_date="2379.50")
    assert at.lines[0].modifiers == ("GP",)
    assert at.year_to_date_after == THRESHOLD
    past = charge({"97110": 15}, year_to_date="2379.51")
    assert past.lines[0].modifiers == ("GP", "KX")
    assert past.year_to_date_after == Decimal("2410.01")


def test_kx_from_the_line_that_crosses_the_threshold() -> None:
    # 2,390 + 15 (97010) = 2,405 stays under; + 30.50 (97110) crosses; later lines keep KX.
    result = charge({"97010": 10, "97110": 15, "97112": 15}, year_to_date="2390")
    assert [line.modifiers for line in result.lines] == [("GP",), ("GP", "KX"), ("GP", "KX")]


def test_kx_on_a_line_follows_its_running_total_and_keeps_the_other_modifiers() -> None:
    threshold = Decimal("100")
    assert with_threshold_modifier(("GP", "59"), Decimal("100.01"), threshold) == (
        "GP", "59", "KX")  # fmt: skip
    assert with_threshold_modifier(("GP", "KX", "59"), Decimal("100"), threshold) == ("GP", "59")
    assert with_threshold_modifier(("GP", "KX"), Decimal("250"), threshold) == ("GP", "KX")


def test_59_on_the_column_two_code_of_a_bundled_pair_only() -> None:
    result = charge({"97530": 15, "97140": 15, "97110": 15})
    assert {line.code: line.modifiers for line in result.lines} == {
        "97110": ("GP",),
        "97140": ("GP", "59"),
        "97530": ("GP",),
    }
    alone = charge({"97140": 15, "97110": 15})
    assert all(line.modifiers == ("GP",) for line in alone.lines)
    # Minutes too few to bill 97140 a unit: no line, so no pair and no 59.
    unbilled = charge({"97530": 30, "97140": 5})
    assert [(line.code, line.modifiers) for line in unbilled.lines] == [("97530", ("GP",))]


def test_xu_and_own_pairs() -> None:
    result = charge(
        {"97110": 15, "97112": 15},
        distinct_procedure_pairs=(("97110", "97112"),),
        distinct_modifier="XU",
    )
    assert [line.modifiers for line in result.lines] == [("GP",), ("GP", "XU")]
    with pytest.raises(ValueError, match="not a distinct-procedure modifier"):
        charge({"97110": 15}, distinct_modifier="25")


def test_bad_money_is_refused() -> None:
    with pytest.raises(ValueError, match="no fee for 97140"):
        charge_lines({"97140": 15}, year_to_date=Decimal(0), fees={}, kx_threshold=THRESHOLD)
    with pytest.raises(ValueError, match="fee cannot be negative"):
        charge_lines(
            {"97140": 15},
            year_to_date=Decimal(0),
            fees={"97140": Decimal("-1")},
            kx_threshold=THRESHOLD,
        )
    with pytest.raises(ValueError, match="cannot be negative"):
        charge({"97140": 15}, year_to_date="-0.01")
    with pytest.raises(ValueError, match="not a code this practice bills"):
        charge({"99999": 15})


def test_kx_threshold_for_published_years() -> None:
    assert kx_threshold_for(2024) == Decimal("2330")
    assert kx_threshold_for(2025) == Decimal("2410")
    assert kx_threshold_for(2026) == Decimal("2480")
    with pytest.raises(UnknownThresholdYear, match="no KX threshold is known for 2031"):
        kx_threshold_for(2031)


def test_certification_dates() -> None:
    first = date(2026, 1, 5)
    long_plan = certification_due(first, date(2026, 6, 30))
    assert long_plan.certification_due == date(2026, 2, 4)
    assert long_plan.recertification_due == date(2026, 4, 5)  # day 90
    short_plan = certification_due(first, date(2026, 2, 27))
    assert short_plan.recertification_due == date(2026, 2, 27)  # the plan's end
    with pytest.raises(ValueError, match="cannot end before"):
        certification_due(first, date(2026, 1, 4))
    custom = certification_due(first, date(2026, 6, 30), settings=BillingSettings(60, 60, 10))
    assert custom.recertification_due == date(2026, 3, 6)
    with pytest.raises(ValueError, match="at least 1"):
        BillingSettings(progress_report_treatment_days=0)


def test_progress_report_on_the_tenth_treatment_day() -> None:
    days = [date(2026, 3, 2) + timedelta(days=2 * i) for i in range(12)]
    nine = progress_report_due(days[:9])
    assert (nine.treatment_days_since_report, nine.treatment_days_left, nine.due) == (9, 1, None)
    # Two visits on one day are one treatment day.
    assert progress_report_due([*days[:9], days[8]]).due is None
    ten = progress_report_due(days)
    assert ten.due == days[9]
    assert ten.treatment_days_left == 0
    after = progress_report_due(days, last_report=days[9])
    assert (after.treatment_days_since_report, after.treatment_days_left) == (2, 8)
    assert progress_report_due([]).due is None


CODES = sorted(TIMED_CPT | UNTIMED_CPT)
minutes_maps = st.dictionaries(st.sampled_from(CODES), st.integers(0, 90), max_size=6)
money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)
fee_maps = st.fixed_dictionaries({code: money for code in CODES})


@given(minutes_maps, money, fee_maps, money)
def test_charge_properties(
    minutes: dict[str, int], year_to_date: Decimal, fees: dict[str, Decimal], threshold: Decimal
) -> None:
    result = charge_lines(minutes, year_to_date=year_to_date, fees=fees, kx_threshold=threshold)
    timed = sum(m for c, m in minutes.items() if c in TIMED_CPT)
    untimed = sum(1 for c, m in minutes.items() if c in UNTIMED_CPT and m > 0)
    assert sum(line.units for line in result.lines) == units_for_minutes(timed) + untimed
    running = year_to_date
    for line in result.lines:
        assert line.modifiers[0] == "GP"
        assert line.amount >= 0
        assert line.amount == line.fee * line.units
        running += line.amount
        assert line.running_total == running
        assert ("KX" in line.modifiers) == (running > threshold)
    assert result.total >= 0
    assert result.year_to_date_after == year_to_date + result.total
    billed = {line.code for line in result.lines}
    marked = {line.code for line in result.lines if "59" in line.modifiers}
    assert marked == ({"97140"} if {"97140", "97530"} <= billed else set())


days_strategy = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(days_strategy, st.integers(0, 400), st.integers(1, 120), st.integers(1, 120))
def test_certification_properties(
    first: date, plan_days: int, cert_days: int, recert_days: int
) -> None:
    settings = BillingSettings(cert_days, recert_days, 10)
    plan_end = first + timedelta(days=plan_days)
    dates = certification_due(first, plan_end, settings=settings)
    assert dates.certification_due > first
    assert first <= dates.recertification_due <= plan_end
    assert dates.recertification_due <= first + timedelta(days=recert_days)


@given(st.lists(days_strategy, max_size=30), st.none() | days_strategy, st.integers(1, 15))
def test_progress_report_properties(
    treatment_days: list[date], last_report: date | None, every: int
) -> None:
    settings = BillingSettings(progress_report_treatment_days=every)
    result = progress_report_due(treatment_days, last_report=last_report, settings=settings)
    counted = {d for d in treatment_days if last_report is None or d > last_report}
    assert result.treatment_days_since_report == len(counted)
    assert (result.due is None) == (len(counted) < every)
    if result.due is not None:
        assert result.due in counted
        assert result.due >= min(treatment_days)
        assert sum(1 for d in counted if d <= result.due) == every
