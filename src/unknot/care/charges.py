"""Charges, the first rules of billing (issue 16): lines, modifiers and Medicare due dates.

Pure: money is Decimal, dates are the clinic's local days (the callers convert), no clock.
The rule ids (CHG-*) are those of docs/care.md.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal

from .codes import cpt_units

# CHG-GP: every outpatient physical therapy service carries GP ("under a PT plan of care").
PT_PLAN_MODIFIER = "GP"
# CHG-KX: the therapist attests that care past the yearly threshold is medically necessary.
THRESHOLD_MODIFIER = "KX"

# CHG-59 (heuristic, NOT the NCCI tables): code pairs a payer bundles unless the services were
# distinct, as (column one, column two); the distinct-procedure modifier goes on the column-two
# code. The default holds the one pair PT billers meet most (therapeutic activities with manual
# therapy); a clinic or payer with other edits passes its own pairs.
DEFAULT_DISTINCT_PROCEDURE_PAIRS: tuple[tuple[str, str], ...] = (("97530", "97140"),)
DISTINCT_PROCEDURE_MODIFIERS = frozenset({"59", "XU"})

# CHG-KX-YEAR: the KX threshold per calendar year (PT and SLP combined), from the CMS physician
# fee schedule final rule of each year.
# 2026: $2,480 as reported from the CY2026 final rule (published Oct 31, 2025) by several
# practice-management sources; not yet checked against the Federal Register text itself.
KX_THRESHOLDS: Mapping[int, Decimal] = {
    2024: Decimal("2330"),
    2025: Decimal("2410"),
    2026: Decimal("2480"),
}


class UnknownThresholdYear(LookupError):
    """No published KX threshold for the year: a biller must set it, never a guess."""


def kx_threshold_for(year: int) -> Decimal:
    """The published KX threshold of a calendar year; UnknownThresholdYear if not in the table."""
    try:
        return KX_THRESHOLDS[year]
    except KeyError:
        known = ", ".join(str(y) for y in sorted(KX_THRESHOLDS))
        raise UnknownThresholdYear(
            f"no KX threshold is known for {year} (known years: {known}); "
            "enter the value from that year's CMS physician fee schedule final rule"
        ) from None


@dataclass(frozen=True)
class ChargeLine:
    code: str
    units: int
    modifiers: tuple[str, ...]
    fee: Decimal  # per unit
    amount: Decimal  # fee x units
    running_total: Decimal  # the year's therapy amount after this line


@dataclass(frozen=True)
class Charge:
    lines: tuple[ChargeLine, ...]  # codes in ascending order
    total: Decimal  # this visit
    year_to_date_after: Decimal  # the running total after the visit


def _check_money(year_to_date: Decimal, fees: Mapping[str, Decimal], threshold: Decimal) -> None:
    if year_to_date < 0:
        raise ValueError("the year's therapy amount cannot be negative")
    if threshold < 0:
        raise ValueError("the KX threshold cannot be negative")
    for code, fee in fees.items():
        if fee < 0:
            raise ValueError(f"{code}: the fee cannot be negative")


def _column_two_codes(codes: frozenset[str], pairs: Sequence[tuple[str, str]]) -> frozenset[str]:
    """CHG-59: the column-two code of every bundled pair whose two codes are both billed."""
    return frozenset(second for first, second in pairs if first in codes and second in codes)


def charge_lines(
    minutes: Mapping[str, int],
    *,
    year_to_date: Decimal,
    fees: Mapping[str, Decimal],
    kx_threshold: Decimal,
    distinct_procedure_pairs: Sequence[tuple[str, str]] = DEFAULT_DISTINCT_PROCEDURE_PAIRS,
    distinct_modifier: str = "59",
) -> Charge:
    """One visit's charge lines from minutes per CPT code (units by the 8-minute rule).

    KX goes on a line once the running total including that line passes (is above) the
    threshold: the line that crosses it and every later one. The amounts counted are the fees
    given; a caller that tracks Medicare's allowed amounts passes those.
    """
    if distinct_modifier not in DISTINCT_PROCEDURE_MODIFIERS:
        raise ValueError(f"{distinct_modifier}: not a distinct-procedure modifier (59 or XU)")
    _check_money(year_to_date, fees, kx_threshold)
    units = cpt_units(minutes).units
    missing = sorted(code for code, _ in units if code not in fees)
    if missing:
        raise ValueError(f"no fee for {', '.join(missing)} in the fee schedule")
    distinct = _column_two_codes(frozenset(code for code, _ in units), distinct_procedure_pairs)
    running = year_to_date
    lines: list[ChargeLine] = []
    for code, count in units:
        amount = fees[code] * count
        running += amount
        modifiers = [PT_PLAN_MODIFIER]
        if code in distinct:
            modifiers.append(distinct_modifier)
        marked = with_threshold_modifier(modifiers, running, kx_threshold)
        lines.append(ChargeLine(code, count, marked, fees[code], amount, running))
    return Charge(tuple(lines), running - year_to_date, running)


def with_threshold_modifier(
    modifiers: Sequence[str], running_total: Decimal, kx_threshold: Decimal
) -> tuple[str, ...]:
    """CHG-KX for one line: its modifiers with KX last once the running total including the
    line is above the threshold, without KX otherwise; the others kept in their order."""
    kept = tuple(modifier for modifier in modifiers if modifier != THRESHOLD_MODIFIER)
    return (*kept, THRESHOLD_MODIFIER) if running_total > kx_threshold else kept


@dataclass(frozen=True)
class BillingSettings:
    """Medicare's plan-of-care rules (Benefit Policy Manual ch. 15, sec. 220.1) as settings."""

    # CERT-1: the physician or NPP certifies the plan within 30 days of the first treatment.
    certification_days: int = 30
    # CERT-2: a certification covers at most 90 calendar days from the first treatment.
    recertification_days: int = 90
    # PROGRESS-1: a progress report at least once every 10 treatment days.
    progress_report_treatment_days: int = 10

    def __post_init__(self) -> None:
        for field in fields(self):
            if getattr(self, field.name) < 1:
                raise ValueError(f"{field.name} must be at least 1")


DEFAULT_BILLING_SETTINGS = BillingSettings()


@dataclass(frozen=True)
class CertificationDates:
    certification_due: date
    recertification_due: date


def certification_due(
    first_treatment: date, plan_end: date, *, settings: BillingSettings = DEFAULT_BILLING_SETTINGS
) -> CertificationDates:
    """CERT-1 and CERT-2: when the plan must be certified, and recertified at the latest."""
    if plan_end < first_treatment:
        raise ValueError("the plan cannot end before the first treatment")
    certification = first_treatment + timedelta(days=settings.certification_days)
    longest = first_treatment + timedelta(days=settings.recertification_days)
    return CertificationDates(certification, min(plan_end, longest))


@dataclass(frozen=True)
class ProgressReportDue:
    treatment_days_since_report: int
    treatment_days_left: int  # before a report is due; 0 when it is due now
    due: date | None  # the treatment day on which it fell due, None while not yet due


def progress_report_due(
    treatment_days: Sequence[date],
    *,
    last_report: date | None = None,
    settings: BillingSettings = DEFAULT_BILLING_SETTINGS,
) -> ProgressReportDue:
    """PROGRESS-1: the report falls due on the 10th treatment day after the last report (or
    since the start of care); several visits on one day are one treatment day."""
    counted = sorted({d for d in treatment_days if last_report is None or d > last_report})
    every = settings.progress_report_treatment_days
    due = counted[every - 1] if len(counted) >= every else None
    return ProgressReportDue(len(counted), max(0, every - len(counted)), due)
