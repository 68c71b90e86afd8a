"""The patient ledger: payments received and applied to charges, adjustments, balances and
ageing (docs/billing.md, "Payments and balances"). The arithmetic is the care core's
(`care.ledger`); this module reads and writes the rows, inside transactions, audited.

Who: the front desk takes payments at the desk; billers, managers and the owner take and
apply every kind and make adjustments. A patient sees their own balance."""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
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
# LEDGER-RESP: the adjustments that close an insurer's part of a charge, posted from its
# answer: a denial, or "bill the patient" ($0.00) when it paid nothing and denied nothing.
CLOSE_INSURERS_PART = (AdjustmentReason.DENIED, AdjustmentReason.TO_PATIENT)
# Whose money the ageing and the account call the patient's own.
PATIENT = "Patient"

_MONEY_FIELD = DecimalField(max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
_NOTHING = Value(Decimal("0.00"), output_field=_MONEY_FIELD)


# LEDGER-BAL in SQL: an owed charge whose total is not met exactly by what was paid and adjusted
# still owes something (or, overpaid, is owed a credit): `Charge.owing`, which the index
# `charge_owing` holds, so a query with it reads these few, not the years of settled charges.
OWING = Q(owing=True)


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


def keep_figures(charge_ids: Iterable[int]) -> None:
    """LEDGER-BAL's running figures of these charges (`Charge.paid`, `Charge.adjusted`) summed
    again from their allocations and adjustments, in one statement. The one writer of the
    figures: whatever writes an allocation or an adjustment calls it in the same transaction
    (`payment_record`, `adjustment_make`), so a balance is always read from the row."""
    Charge.objects.filter(pk__in=list(charge_ids)).update(
        paid=_summed(Allocation), adjusted=_summed(Adjustment)
    )


def with_balances(charges: QuerySet[Charge]) -> QuerySet[Charge]:
    """Each charge with its `balance` (LEDGER-BAL, from the running figures `paid` and
    `adjusted`), and whether its insurer has paid on it or had its part closed (LEDGER-RESP),
    set-based."""
    insurer_paid = Allocation.objects.filter(
        charge=OuterRef("pk"), payment__payer=OuterRef("coverage__payer")
    )
    insurer_closed = Adjustment.objects.filter(
        charge=OuterRef("pk"), reason__in=CLOSE_INSURERS_PART
    )
    return charges.annotate(
        insurer_paid=Exists(insurer_paid), insurer_closed=Exists(insurer_closed),
        balance=F("total") - F("paid") - F("adjusted"),
    )  # fmt: skip


def awaits_insurer(charge: Charge) -> bool:
    """LEDGER-RESP on a row `with_balances` annotated."""
    return ledger.awaits_insurer(
        billed_to_insurer=charge.coverage_id is not None,
        insurer_paid=charge.insurer_paid,  # type: ignore[attr-defined]
        insurer_closed=charge.insurer_closed,  # type: ignore[attr-defined]
    )


def share_of(charge: Charge) -> ledger.Share:
    """What of the charge's balance waits for its insurer and what is the patient's."""
    return ledger.share_of(balance_of(charge), awaiting_insurer=awaits_insurer(charge))


def balance_of(charge: Charge) -> Decimal:
    """The balance `with_balances` annotated on the row."""
    owed: Decimal = charge.balance  # type: ignore[attr-defined]
    return owed


def paid_of(charge: Charge) -> Decimal:
    return charge.paid


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
    """A patient's money with the practice: what is owed per visit, what of it waits for an
    insurer and what is the patient's (LEDGER-RESP), credit, what the patient owes."""

    patient: Patient
    charges: list[Charge]  # each with paid, adjusted, balance and its share
    on_visits: Decimal  # what the visits still owe, from anyone
    awaiting: dict[str, Decimal]  # per insurer's name, what waits for its answer
    unapplied: Decimal  # money received and not yet applied: a credit
    owed: Decimal  # the patient's part less the credit: what the patient is asked for

    @property
    def awaiting_insurance(self) -> Decimal:
        return sum(self.awaiting.values(), Decimal("0.00"))

    @property
    def credit(self) -> Decimal:
        """What the practice owes the patient back, when the patient owes less than nothing."""
        return max(-self.owed, Decimal("0.00"))


def account_of(user: AnyUser, patient: Patient) -> Account:
    """The patient's account as the user may see it, recorded as read."""
    charges = list(
        with_balances(charges_owed_visible_to(user).filter(patient=patient))
        .select_related("clinic", "coverage__payer")
        .prefetch_related("lines")
        .order_by("service_date", "pk")
    )
    awaiting: dict[str, Decimal] = {}
    patients_part = Decimal("0.00")
    for charge in charges:
        share = share_of(charge)
        charge.share = share  # type: ignore[attr-defined]  # for the pages' visit tables
        if share.awaiting_insurer:
            name = charge.coverage.payer.name  # type: ignore[union-attr]  # billed to it
            awaiting[name] = awaiting.get(name, Decimal("0.00")) + share.awaiting_insurer
        patients_part += share.patient
    unapplied = _unapplied(patient)
    on_visits = sum((balance_of(c) for c in charges), Decimal("0.00"))
    audit.record(
        Action.READ, by=user, object_type="patient_account", object_id=patient.pk,
        patient_id=patient.pk, clinic_id=patient.preferred_clinic_id,
    )  # fmt: skip
    return Account(patient, charges, on_visits, awaiting, unapplied, patients_part - unapplied)


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
    # LEDGER-APPLY: the patient's own money pays what they owe before what awaits an insurer.
    patients_money = data.payer is None
    return [
        ledger.Open(c.pk, c.service_date, balance_of(c), patients_money and awaits_insurer(c))
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
            keep_figures(a.charge_id for a in applied)
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
    if amount != amount.quantize(ledger.CENT):
        raise Refused("An adjustment is an amount in whole cents.")
    if (amount == 0) != (reason == AdjustmentReason.TO_PATIENT):
        raise Refused(
            'An adjustment takes off more than $0.00, except "bill the patient", which takes '
            "off nothing: it says the insurer has answered and the rest is the patient's."
        )
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
        keep_figures([locked.pk])
        _recorded(by, Action.CREATE, "adjustment", made.pk, locked.patient, locked.clinic_id)
    return made


def ageing_by_payer(user: AnyUser, today: dt.date) -> dict[str, dict[str, Decimal]]:
    """LEDGER-AGE per payer over the user's clinics: a balance is under its insurer while it
    waits for the insurer's answer, under "Patient" after and for self-pay (LEDGER-RESP).
    One grouped query of what is still owed (`aged_by_whom`)."""
    by_whom = aged_by_whom(charges_owed_visible_to(user), today)
    audit.record(Action.READ, by=user, object_type="ageing_report")
    return {whose: dict(zip(BUCKETS, owed, strict=True)) for whose, owed in sorted(by_whom.items())}


def aged_sums(today: dt.date) -> dict[str, Coalesce]:
    """LEDGER-AGE as aggregates over rows `with_balances` annotated: per bucket, the sum of the
    positive balances of the visits in it (a credit is not aged), as `care.ledger.ageing` sums
    them; the buckets' days are `care.ledger.bucket_starts`. Named aged_0, aged_1, ..."""
    sums: dict[str, Coalesce] = {}
    newer: dt.date | None = None  # the earliest day of the bucket before
    for number, (_, earliest) in enumerate(ledger.bucket_starts(today)):
        in_bucket = Q(balance__gt=0)
        if earliest is not None:
            in_bucket &= Q(service_date__gte=earliest)
        if newer is not None:
            in_bucket &= Q(service_date__lt=newer)
        sums[f"aged_{number}"] = Coalesce(Sum("balance", filter=in_bucket), _NOTHING)
        newer = earliest
    return sums


def aged_of(row: Mapping[str, Any]) -> list[Decimal]:
    """The bucket sums of one row grouped with `aged_sums`, in the buckets' order."""
    return [Decimal(row[f"aged_{n}"]).quantize(ledger.CENT) for n in range(len(BUCKETS))]


def aged_by_whom(owed: QuerySet[Charge], today: dt.date) -> dict[str, list[Decimal]]:
    """What the charges still owe, aged (LEDGER-AGE) per whom it is owed by (LEDGER-RESP): the
    part that awaits an insurer under the insurer's name, the patient's part under "Patient"
    (a part of $0.00 leaves its name out; a credit alone keeps it, with nothing aged).

    One query: the owing charges grouped by the facts LEDGER-RESP reads (billed to a coverage,
    its insurer paid, its part closed) and by the sign of the balance, each group's balances
    summed per bucket; `care.ledger` then splits each group as it splits one charge (within a
    group every charge waits, or none does, and all owe or all are owed, so the split of the
    sum is the sum of the splits)."""
    groups = (
        with_balances(owed.filter(OWING))
        .annotate(
            insured=ExpressionWrapper(Q(coverage__isnull=False), output_field=BooleanField()),
            in_credit=ExpressionWrapper(Q(balance__lt=0), output_field=BooleanField()),
        )
        .values("coverage__payer__name", "insured", "insurer_paid", "insurer_closed", "in_credit")
        .order_by()
        .annotate(owed=Sum("balance"), **aged_sums(today))
    )
    aged: dict[str, list[Decimal]] = {}
    for group in groups:
        awaiting = ledger.awaits_insurer(
            billed_to_insurer=group["insured"], insurer_paid=group["insurer_paid"],
            insurer_closed=group["insurer_closed"],
        )  # fmt: skip
        group_owes = Decimal(group["owed"]).quantize(ledger.CENT)  # some databases sum in floats
        whole = ledger.share_of(group_owes, awaiting_insurer=awaiting)
        parts = [ledger.share_of(amount, awaiting_insurer=awaiting) for amount in aged_of(group)]
        payer = group["coverage__payer__name"]
        if whole.awaiting_insurer:
            _add(aged.setdefault(payer, _none_aged()), [p.awaiting_insurer for p in parts])
        if whole.patient:
            _add(aged.setdefault(PATIENT, _none_aged()), [p.patient for p in parts])
    return aged


def _none_aged() -> list[Decimal]:
    return [Decimal("0.00") for _ in BUCKETS]


def _add(into: list[Decimal], amounts: list[Decimal]) -> None:
    for number, amount in enumerate(amounts):
        into[number] += amount


def _recorded(
    by: User, action: str, object_type: str, object_id: int, patient: Patient | None, clinic_id: int
) -> None:
    audit.record(
        action, by=by, object_type=object_type, object_id=object_id,
        patient_id=patient.pk if patient else None, clinic_id=clinic_id,
    )  # fmt: skip
