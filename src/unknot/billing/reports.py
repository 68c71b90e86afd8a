"""The practice's billing reports (docs/billing.md, "Reports"): totals per month, clinic,
therapist or payer; outstanding balances with their ageing; Medicare patients near or past the
year's KX threshold; visits per authorisation.

Each report is set-based: a fixed number of queries whatever the number of rows (aggregates
in the database, or one query of the rows grouped here), so a year of a busy practice costs
what a quiet week does. The rules are the ones the rest of billing uses, from their one home:
balances and ageing from `billing.ledger` and `care.ledger` (LEDGER-BAL, LEDGER-AGE), the
year's Medicare amount and threshold from `billing.charging` (CHG-KX, CHG-KX-YEAR), the
counting of authorised visits from `coverage.authorisations` and the scheduling core.

Only the billing office (`BILLING_ROLES`) reads them, each member at their own clinics (the
rows come from `selectors.charges_visible_to` and `authorisations_visible_to`); each report
read is one event in the audit trail.
"""

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db import models
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from unknot import audit
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import Role
from unknot.audit.models import Action
from unknot.billing import ledger
from unknot.billing.charging import medicare_charges_of, threshold_for
from unknot.billing.models import Adjustment, Allocation, Charge
from unknot.billing.selectors import charges_visible_to, works_the_money
from unknot.care import ledger as arithmetic
from unknot.clinics.models import Clinic, StaffMember
from unknot.clinics.selectors import clinics_visible_to
from unknot.clinics.times import on_clinic_days
from unknot.coverage.authorisations import AuthorisationUse, authorisations_visible_to, uses_of
from unknot.coverage.models import Payer

ZERO = Decimal("0.00")
# The KX report lists a Medicare patient once their year's amount reaches this share of the
# threshold: 80% leaves a few visits' notice before the KX modifier (and its documentation
# of medical necessity) is needed.
KX_NEAR_SHARE = Decimal("0.80")
# Who renders care, and so may be chosen as "therapist": everyone who may sign a visit note.
TREATING_ROLES = (Role.THERAPIST, Role.MANAGER, Role.OWNER)
SELF_PAY = "Self-pay"


class Dimension(models.TextChoices):
    MONTH = "month", "Month"
    CLINIC = "clinic", "Clinic"
    THERAPIST = "therapist", "Therapist"
    PAYER = "payer", "Payer"


@dataclass(frozen=True)
class Scope:
    """What a report covers: the days (both included), the clinics (the one chosen, or all of
    the reader's), and optionally one therapist and one payer."""

    first: dt.date
    last: dt.date
    clinics: list[Clinic]
    therapist: StaffMember | None = None
    payer: Payer | None = None


# --- what the reader may choose ----------------------------------------------------------------


def clinics_for(user: AnyUser) -> QuerySet[Clinic]:
    """The clinics a report may cover: the reader's, for the billing office only."""
    if not works_the_money(user):
        return Clinic.objects.none()
    return clinics_visible_to(user).order_by("name")


def therapists_for(user: AnyUser) -> QuerySet[StaffMember]:
    """Who may be chosen as the rendering therapist: treating staff of the reader's clinics."""
    return (
        StaffMember.objects.filter(clinics__in=clinics_for(user), role__in=TREATING_ROLES)
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name", "pk")
    )


def payers_for(user: AnyUser) -> QuerySet[Payer]:
    """The payers of the practices of the reader's clinics (those taken off the list too:
    their charges and balances are still reported)."""
    practices = clinics_for(user).values("practice_id")
    return Payer.objects.filter(practice_id__in=practices).order_by("name", "pk")


# --- the rows a report starts from -------------------------------------------------------------


def charges_in_scope(user: AnyUser, scope: Scope) -> QuerySet[Charge]:
    """The reader's charges at the scope's clinics, of its therapist and payer, any date."""
    rows = charges_visible_to(user).filter(clinic__in=scope.clinics)
    if scope.therapist is not None:
        rows = rows.filter(rendering=scope.therapist)
    if scope.payer is not None:
        rows = rows.filter(coverage__payer=scope.payer)
    return rows.select_related(None).prefetch_related(None).order_by()


def _read(user: AnyUser, report: str, scope: Scope) -> None:
    only = scope.clinics[0].pk if len(scope.clinics) == 1 else None
    audit.record(
        Action.READ, by=user, object_type="billing_report", object_id=report, clinic_id=only,
        reason="list",
    )  # fmt: skip


# --- 1. charges, payments and adjustments ------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """One line of the totals report: what was charged, paid and adjusted."""

    label: str
    charges: Decimal = ZERO
    payments: Decimal = ZERO
    adjustments: Decimal = ZERO


@dataclass(frozen=True)
class Totals:
    dimension: Dimension
    rows: list[Money]
    total: Money


# Where each dimension's key is, seen from a charge; payments and adjustments reach it through
# their charge. A month is that of the visit, the payment's receipt or the adjustment.
_CHARGE_KEYS = {
    Dimension.CLINIC: "clinic_id",
    Dimension.THERAPIST: "rendering_id",
    Dimension.PAYER: "coverage__payer_id",
}
_MONTH_OF = {Charge: "service_date", Allocation: "payment__received_on", Adjustment: "at"}


def _key(model: type[models.Model], dimension: Dimension) -> Any:
    if dimension == Dimension.MONTH:
        return TruncMonth(_MONTH_OF[model])
    path = _CHARGE_KEYS[dimension]
    return F(path if model is Charge else f"charge__{path}")


def _summed(
    rows: QuerySet[Any], model: type[models.Model], dimension: Dimension
) -> dict[Any, Decimal]:
    """One grouped query: the amount summed per key of the dimension."""
    grouped = rows.annotate(key=_key(model, dimension)).values("key").order_by("key")
    summed = grouped.annotate(sum=Coalesce(Sum("total" if model is Charge else "amount"), ZERO))
    by_month = dimension == Dimension.MONTH
    return {
        _month_start(row["key"]) if by_month else row["key"]: _cents(row["sum"]) for row in summed
    }


def _cents(amount: Decimal) -> Decimal:
    """A sum as money: two places (some databases drop them from a sum)."""
    return Decimal(amount).quantize(arithmetic.CENT)


def _month_start(value: dt.date | dt.datetime) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.replace(day=1)


def totals(user: AnyUser, scope: Scope, dimension: Dimension) -> Totals:
    """What was charged (approved and billed visits of the period, as corrected), paid
    (payments received in the period, as applied to visits) and adjusted (adjustments made in
    the period), grouped by the dimension; three grouped queries and one for the labels."""
    charges = charges_in_scope(user, scope)
    in_scope = charges.values("pk")
    charged = _summed(
        charges.filter(status__in=ledger.OWED, service_date__range=(scope.first, scope.last)),
        Charge, dimension,
    )  # fmt: skip
    paid = _summed(
        Allocation.objects.filter(
            charge__in=in_scope, payment__received_on__range=(scope.first, scope.last)
        ),
        Allocation, dimension,
    )  # fmt: skip
    adjusted = _summed(
        Adjustment.objects.filter(
            on_clinic_days("at", scope.first, scope.last, scope.clinics, via="charge__clinic"),
            charge__in=in_scope,
        ),
        Adjustment, dimension,
    )  # fmt: skip
    keys = set(charged) | set(paid) | set(adjusted)
    labels = _labels(dimension, keys, scope)
    by_month = dimension == Dimension.MONTH
    in_order = sorted(keys, key=lambda key: key if by_month else labels[key].casefold())
    rows = [
        Money(labels[key], charged.get(key, ZERO), paid.get(key, ZERO), adjusted.get(key, ZERO))
        for key in in_order
    ]
    _read(user, f"totals_by_{dimension.value}", scope)
    return Totals(dimension, rows, _sum_of(rows))


def _sum_of(rows: list[Money]) -> Money:
    return Money(
        "Total",
        sum((row.charges for row in rows), ZERO),
        sum((row.payments for row in rows), ZERO),
        sum((row.adjustments for row in rows), ZERO),
    )


def _labels(dimension: Dimension, keys: Iterable[Any], scope: Scope) -> dict[Any, str]:
    """What people read for each key: a month's name, a clinic's, a therapist's, a payer's."""
    keys = list(keys)
    if dimension == Dimension.MONTH:
        return {key: f"{key:%B %Y}" for key in keys}
    if dimension == Dimension.CLINIC:
        return {clinic.pk: clinic.name for clinic in scope.clinics if clinic.pk in keys}
    if dimension == Dimension.THERAPIST:
        staff = StaffMember.objects.filter(pk__in=keys).select_related("user")
        return {member.pk: member.display_name for member in staff}
    payers = dict(Payer.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {key: payers.get(key, SELF_PAY) for key in keys}


# --- 2. outstanding balances -------------------------------------------------------------------


@dataclass(frozen=True)
class Aged:
    """What one patient or payer owes, per ageing bucket (LEDGER-AGE)."""

    label: str
    buckets: list[Decimal]
    patient_id: int | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.buckets, ZERO)


@dataclass(frozen=True)
class Balances:
    as_of: dt.date
    by_patient: list[Aged]  # every patient owing, or the largest when cut
    by_payer: list[Aged]
    totals: list[Decimal]
    patients_owing: int  # how many patients owe, listed or not

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)


def balances(user: AnyUser, scope: Scope, *, patients: int | None = None) -> Balances:
    """What approved and billed visits up to the scope's last day still owe (LEDGER-BAL),
    aged to that day (LEDGER-AGE), per patient and per payer: a balance is under its insurer
    while it awaits the insurer's answer, under "Patient" after and for self-pay (LEDGER-RESP,
    as on the ageing page). `patients`: only that many patients, those who owe the most (in
    name order), and how many owe at all. Grouped in the database: one query per payer, one
    for the patients (and one to count them when they are cut)."""
    owed = charges_in_scope(user, scope).filter(
        status__in=ledger.OWED, service_date__lte=scope.last
    )
    by_payer = [
        Aged(whose, buckets) for whose, buckets in ledger.aged_by_whom(owed, scope.last).items()
    ]
    by_payer.sort(key=lambda row: row.label.casefold())
    totals = [sum((row.buckets[i] for row in by_payer), ZERO) for i in range(len(ledger.BUCKETS))]
    by_patient = _patients_owing(owed, scope.last, patients)
    owing = len(by_patient) if patients is None else _count_owing(owed)
    _read(user, "balances", scope)
    return Balances(scope.last, by_patient, by_payer, totals, owing)


def _patients_owing(owed: QuerySet[Charge], as_of: dt.date, most: int | None) -> list[Aged]:
    """Each patient's balances aged, in name order; with `most`, only that many, those whose
    aged balances add up to the most."""
    sums = ledger.aged_sums(as_of)
    rows = (
        ledger.with_balances(owed.filter(ledger.OWING))
        .values("patient_id", "patient__last_name", "patient__first_name")
        .order_by()
        .annotate(**sums)
    )
    if most is not None:
        aged_total = reduce(operator.add, (F(name) for name in sums))
        rows = rows.annotate(aged_total=aged_total).order_by("-aged_total", "patient_id")[:most]
    found = [
        Aged(f"{row['patient__last_name']}, {row['patient__first_name']}", ledger.aged_of(row),
             row["patient_id"])
        for row in rows
    ]  # fmt: skip
    found.sort(key=lambda row: (row.label.casefold(), row.patient_id))
    return found


def _count_owing(owed: QuerySet[Charge]) -> int:
    """How many patients still owe (or are owed) on some visit."""
    counted = owed.filter(ledger.OWING).aggregate(patients=Count("patient_id", distinct=True))
    return int(counted["patients"])


# --- 3. Medicare patients near or past the KX threshold ----------------------------------------


@dataclass(frozen=True)
class KxRow:
    patient_id: int
    name: str
    amount: Decimal  # the year's Medicare therapy amount so far
    threshold: Decimal | None  # None: not known for the year

    @property
    def past(self) -> bool:
        return self.threshold is not None and self.amount > self.threshold

    @property
    def share(self) -> int | None:
        """The amount as a whole percentage of the threshold."""
        if not self.threshold:
            return None
        return int(self.amount * 100 / self.threshold)

    @property
    def near(self) -> bool:
        return self.threshold is not None and self.amount >= self.threshold * KX_NEAR_SHARE

    @property
    def standing(self) -> str:
        if self.threshold is None:
            return "Threshold not known"
        if self.past:
            return "Past the threshold: KX"
        return "Near the threshold" if self.near else "Under the threshold"


@dataclass(frozen=True)
class KxReport:
    year: int
    as_of: dt.date
    rows: list[KxRow]
    problems: list[str] = field(default_factory=list)  # years with no known threshold


def kx_patients(user: AnyUser, scope: Scope, *, every: bool = False) -> KxReport:
    """Medicare patients with a charge in the scope (its clinics, therapist, payer) in the year
    of its last day, whose year's Medicare amount up to that day (CHG-KX: every clinic of the
    practice, voided charges left out) is at least KX_NEAR_SHARE of the year's threshold
    (CHG-KX-YEAR); every such patient when asked, or when the threshold is not known. One
    query for the amounts, one per practice for the threshold."""
    year = scope.last.year
    counted = medicare_charges_of(year).filter(service_date__lte=scope.last)
    seen = counted.filter(pk__in=charges_in_scope(user, scope).values("pk")).values("patient_id")
    amounts = (
        counted.filter(patient_id__in=seen)
        .values("patient_id", "patient__last_name", "patient__first_name",
                "patient__preferred_clinic__practice_id")
        .order_by("patient_id")
        .annotate(amount=Sum("total"))
    )  # fmt: skip
    thresholds, problems = _thresholds(scope.clinics, year)
    rows = []
    for row in amounts:
        threshold = thresholds.get(row["patient__preferred_clinic__practice_id"])
        name = f"{row['patient__last_name']}, {row['patient__first_name']}"
        found = KxRow(row["patient_id"], name, _cents(row["amount"]), threshold)
        if every or threshold is None or found.near:
            rows.append(found)
    rows.sort(key=lambda row: (-row.amount, row.name.casefold()))
    _read(user, "kx_threshold", scope)
    return KxReport(year, scope.last, rows, problems)


def _thresholds(clinics: list[Clinic], year: int) -> tuple[dict[int, Decimal], list[str]]:
    """The year's threshold of each practice of the clinics (None when not known)."""
    found: dict[int, Decimal] = {}
    problems: list[str] = []
    for clinic in {clinic.practice_id: clinic for clinic in clinics}.values():
        amount, problem = threshold_for(clinic, year)
        if problem:
            problems.append(problem)
        else:
            found[clinic.practice_id] = amount
    return found, problems


# --- 4. visits per authorisation ---------------------------------------------------------------


@dataclass(frozen=True)
class AuthorisationsReport:
    today: dt.date
    uses: list[AuthorisationUse]

    def running_out(self, use: AuthorisationUse) -> bool:
        return use.usage.running_out or use.ending_soon(self.today)


def authorisations(user: AnyUser, scope: Scope, today: dt.date) -> AuthorisationsReport:
    """Authorisations of the scope's clinics' patients (and payer) whose dates meet the period,
    each with its use as the front desk counts it; one query for the authorisations, one for
    the appointments. A therapist chosen does not narrow it: an authorisation is the
    patient's, whoever treats them."""
    rows = authorisations_visible_to(user).filter(
        coverage__patient__preferred_clinic__in=scope.clinics,
        start_date__lte=scope.last,
        end_date__gte=scope.first,
    )
    if not works_the_money(user):
        rows = rows.none()
    if scope.payer is not None:
        rows = rows.filter(coverage__payer=scope.payer)
    ordered = rows.order_by(
        "coverage__patient__last_name", "coverage__patient__first_name", "start_date", "pk"
    )
    _read(user, "authorisations", scope)
    return AuthorisationsReport(today, uses_of(list(ordered)))
