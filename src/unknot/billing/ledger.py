"""The patient ledger: payments received and applied to charges, adjustments, balances and
ageing (docs/billing.md, "Payments and balances"). The arithmetic is the care core's
(`care.ledger`); this module reads and writes the rows, inside transactions, audited.

Who: the front desk takes payments at the desk; billers, managers and the owner take and
apply every kind and make adjustments. A patient sees their own balance."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from unknot import audit
from unknot.accounts.access import staff_role
from unknot.accounts.models import AnyUser, User
from unknot.accounts.roles import BILLING_ROLES, PAYMENT_ROLES, Role
from unknot.audit.models import Action
from unknot.billing.models import (
    MONEY_DIGITS,
    MONEY_PLACES,
    Adjustment,
    AdjustmentReason,
    Allocation,
    Charge,
    ChargeStatus,
    Payment,
    PaymentMethod,
)
from unknot.care import ledger
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.common.errors import Refused
from unknot.common.money import dollars
from unknot.coverage.models import Payer
from unknot.patients.models import Patient

# Who may take money at all, and who may also write money off.
TAKES_PAYMENTS = PAYMENT_ROLES
ADJUSTS = BILLING_ROLES
# Charges that are owed: approved or billed. One still in review or on hold may change; a void
# one is owed by nobody.
OWED = (ChargeStatus.APPROVED, ChargeStatus.BILLED)

BUCKETS = [label for label, _, _ in ledger.AGEING_BUCKETS]
# Who owes a balance billed to no payer: the patient (self-pay, and their share).
PATIENT_OWES = "Patient"

_MONEY_FIELD = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
_NOTHING = Value(Decimal("0.00"), output_field=_MONEY_FIELD)


def _summed(model: type[Allocation] | type[Adjustment]) -> Coalesce:
    """The sum of a charge's allocations or adjustments, as one correlated subquery."""
    rows = (
        model.objects.filter(charge=OuterRef("pk"))
        .order_by()
        .values("charge")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=_MONEY_FIELD), _NOTHING)


def with_balances(charges: QuerySet[Charge]) -> QuerySet[Charge]:
    """Each charge with `paid`, `adjusted` and `balance` (LEDGER-BAL), set-based."""
    return charges.annotate(paid=_summed(Allocation), adjusted=_summed(Adjustment)).annotate(
        balance=Coalesce("total", _NOTHING)
        - Coalesce("paid", _NOTHING)
        - Coalesce("adjusted", _NOTHING)
    )


def balance_of(charge: Charge) -> Decimal:
    """The balance `with_balances` annotated on the row."""
    owed: Decimal = charge.balance  # type: ignore[attr-defined]
    return owed


def paid_of(charge: Charge) -> Decimal:
    paid: Decimal = charge.paid  # type: ignore[attr-defined]
    return paid


def _staff_in(user: AnyUser, roles: frozenset[Role]) -> bool:
    return staff_role(user) in roles


def charges_owed_visible_to(user: AnyUser) -> QuerySet[Charge]:
    """Owed charges: staff who take payments see their clinics'; a patient their own."""
    base = Charge.objects.filter(status__in=OWED)
    if not user.is_authenticated or not user.is_active:
        return base.none()
    if staff_role(user) is not None:
        if not _staff_in(user, TAKES_PAYMENTS):
            return base.none()
        return base.filter(clinic__in=clinics_visible_to(user))
    return base.filter(patient__user=user)


@dataclass(frozen=True)
class Account:
    """A patient's money with the practice: what is owed per visit, credit, the total."""

    patient: Patient
    charges: list[Charge]  # each with paid, adjusted and balance
    on_visits: Decimal  # what the visits still owe
    unapplied: Decimal  # money received and not yet applied: a credit
    owed: Decimal  # the balances less the credit


def account_of(user: AnyUser, patient: Patient) -> Account:
    """The patient's account as the user may see it, recorded as read."""
    charges = list(
        with_balances(charges_owed_visible_to(user).filter(patient=patient))
        .select_related("clinic", "coverage__payer")
        .prefetch_related("lines")
        .order_by("service_date", "pk")
    )
    unapplied = _unapplied(patient)
    on_visits = sum((balance_of(c) for c in charges), Decimal("0.00"))
    audit.record(
        Action.READ, by=user, object_type="patient_account", object_id=patient.pk,
        patient_id=patient.pk, clinic_id=patient.preferred_clinic_id,
    )  # fmt: skip
    return Account(patient, charges, on_visits, unapplied, on_visits - unapplied)


def _unapplied(patient: Patient) -> Decimal:
    """What the patient paid that sits on no charge yet."""
    received = Payment.objects.filter(patient=patient, payer__isnull=True).aggregate(
        total=Coalesce(Sum("amount"), _NOTHING)
    )["total"]
    applied = Allocation.objects.filter(
        payment__patient=patient, payment__payer__isnull=True
    ).aggregate(total=Coalesce(Sum("amount"), _NOTHING))["total"]
    return Decimal(received) - Decimal(applied)


def payments_visible_to(user: AnyUser) -> QuerySet[Payment]:
    """Payments: staff who take payments see those taken at their clinics; a patient their
    own; anyone else nothing."""
    rows = Payment.objects.select_related("payer", "clinic", "patient")
    if not user.is_authenticated or not user.is_active:
        return rows.none()
    if staff_role(user) is not None:
        if not _staff_in(user, TAKES_PAYMENTS):
            return rows.none()
        return rows.filter(clinic__in=clinics_visible_to(user))
    return rows.filter(patient__user=user)


def payments_of(user: AnyUser, patient: Patient) -> list[Payment]:
    """The patient's payments the user may see (staff: taken at their clinics), newest first;
    read as part of the account, which records the read."""
    rows = payments_visible_to(user).filter(patient=patient)
    return list(rows.prefetch_related("allocations__charge")[:200])


def adjustments_of(account: Account) -> list[Adjustment]:
    """The adjustments of the account's visits (those the reader may see), newest first."""
    charges = [charge.pk for charge in account.charges]
    return list(Adjustment.objects.filter(charge_id__in=charges).select_related("charge")[:200])


@dataclass(frozen=True)
class PaymentInput:
    clinic: Clinic
    method: PaymentMethod
    amount: Decimal
    received_on: dt.date
    reference: str = ""
    patient: Patient | None = None
    payer: Payer | None = None  # an insurer's payment for the patient's visits
    # A split by hand, (charge id, amount); None pays the oldest visits first.
    split: Sequence[tuple[int, Decimal]] | None = None


def _open(user: AnyUser, data: PaymentInput) -> list[ledger.Open]:
    charges = with_balances(charges_owed_visible_to(user).filter(patient=data.patient))
    if data.payer is not None:
        charges = charges.filter(coverage__payer=data.payer)
    return [
        ledger.Open(c.pk, c.service_date, balance_of(c))
        for c in charges.select_for_update(of=("self",)).order_by("service_date", "pk")
    ]


def _check_payment(by: User, data: PaymentInput) -> None:
    if not _staff_in(by, TAKES_PAYMENTS):
        raise Refused("Your role may not record payments.")
    if data.clinic not in clinics_visible_to(by):
        raise Refused("You can only record payments at your own clinics.")
    if data.patient is None:
        raise Refused("Choose the patient the payment is for.")
    if (data.method == PaymentMethod.INSURER) != (data.payer is not None):
        raise Refused("An insurance payment names its insurer, and only an insurance payment does.")
    if data.payer is not None and not _staff_in(by, ADJUSTS):
        raise Refused("Insurance payments are posted by the billing office.")


def payment_record(*, by: User, data: PaymentInput) -> Payment:
    """LEDGER-APPLY / LEDGER-SPLIT: records the payment and applies it, all or nothing."""
    _check_payment(by, data)
    try:
        with transaction.atomic():
            open_charges = _open(by, data)
            if data.split is None:
                applied = ledger.apply_payment(data.amount, open_charges)
            else:
                applied = tuple(ledger.Applied(cid, amount) for cid, amount in data.split)
                ledger.check_allocations(data.amount, applied, open_charges)
            payment = Payment.objects.create(
                patient=data.patient, payer=data.payer, clinic=data.clinic, method=data.method,
                amount=data.amount, received_on=data.received_on, reference=data.reference,
                recorded_by=by, recorded_at=timezone.now(),
            )  # fmt: skip
            Allocation.objects.bulk_create(
                Allocation(payment=payment, charge_id=a.charge_id, amount=a.amount) for a in applied
            )
            _recorded(by, Action.CREATE, "payment", payment.pk, data.patient, data.clinic.pk)
    except ledger.LedgerError as error:
        raise Refused(str(error)) from None
    return payment


def adjustment_make(
    *, by: User, charge: Charge, amount: Decimal, reason: AdjustmentReason, note: str = ""
) -> Adjustment:
    """Takes an amount off a charge (or, negative, puts it back) with a reason; never more
    than is owed, so a write-off cannot make a credit."""
    if not _staff_in(by, ADJUSTS):
        raise Refused("Only the billing office may adjust a charge.")
    if amount == 0 or amount != amount.quantize(ledger.CENT):
        raise Refused("An adjustment is a non-zero amount in whole cents.")
    with transaction.atomic():
        locked = with_balances(
            charges_owed_visible_to(by).filter(pk=charge.pk).select_for_update(of=("self",))
        ).first()
        if locked is None:
            raise Refused("That charge is not one you can adjust.")
        owed = balance_of(locked)
        if amount > owed:
            raise Refused(
                f"{dollars(amount)} is more than the {dollars(owed)} still owed on that visit."
            )
        made = Adjustment.objects.create(
            charge=locked, amount=amount, reason=reason, note=note, by=by, at=timezone.now()
        )
        _recorded(by, Action.CREATE, "adjustment", made.pk, locked.patient, locked.clinic_id)
    return made


def ageing_by_payer(user: AnyUser, today: dt.date) -> dict[str, dict[str, Decimal]]:
    """LEDGER-AGE per payer ("Patient" for self-pay and patient balances), over the user's
    clinics: one query for the open balances, summed in Python per bucket."""
    rows = (
        with_balances(charges_owed_visible_to(user))
        .exclude(balance=0)  # type: ignore[misc]  # an annotation
        .values_list("pk", "service_date", "balance", "coverage__payer__name")
    )
    by_payer: dict[str, list[ledger.Open]] = {}
    for pk, service_date, owed, payer in rows:
        by_payer.setdefault(payer or PATIENT_OWES, []).append(ledger.Open(pk, service_date, owed))
    audit.record(Action.READ, by=user, object_type="ageing_report")
    return {payer: ledger.ageing(charges, today) for payer, charges in sorted(by_payer.items())}


def _recorded(
    by: User, action: str, object_type: str, object_id: int, patient: Patient | None, clinic_id: int
) -> None:
    audit.record(
        action, by=by, object_type=object_type, object_id=object_id,
        patient_id=patient.pk if patient else None, clinic_id=clinic_id,
    )  # fmt: skip
