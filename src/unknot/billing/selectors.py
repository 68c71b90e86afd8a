"""Reads of charges and fee schedules. Charges are billing data about a patient's care: only
the roles that work the money (biller, manager, owner: `BILLING_ROLES`) see them, and only at
their clinics; every read is recorded in the audit trail."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from unknot import audit
from unknot.accounts.access import staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import BILLING_ROLES
from unknot.audit.models import Action
from unknot.audit.reads import one_visible_or_404
from unknot.billing.charging import medicare_year_to_date, on_sent_claim, threshold_for
from unknot.billing.claims import claims_visible_to
from unknot.billing.ledger import charges_owed_visible_to
from unknot.billing.models import (
    NOTE_TEXT,
    Charge,
    ChargeCorrection,
    ChargeLine,
    ChargeStatus,
    Claim,
    Fee,
)
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.coverage.models import SelfPay
from unknot.plans.certification import is_progress_report, referring_certification

# A page of the charge queue: the oldest first, as many as a biller works through at a sitting
# (each charge is a card with its lines, KX and referrer); the rest follow as these are done.
SHOWN = 20


def works_the_money(user: AnyUser) -> bool:
    return staff_role(user) in BILLING_ROLES


def _lines() -> Prefetch:
    return Prefetch("lines", queryset=ChargeLine.objects.order_by("code", "pk"))


def _charge_rows() -> QuerySet[Charge]:
    return Charge.objects.select_related(
        "patient", "clinic", "rendering__user", "coverage__payer", "visit__episode", "reviewed_by"
    ).prefetch_related(_lines(), "visit__episode__certifications")


def with_lines_only(charges: QuerySet[Charge]) -> QuerySet[Charge]:
    """Charges as a list of the interfaces shows them: each with its clinic and its lines, not
    the patient, therapist, coverage, note and certifications the pages' cards read (a join of
    ten tables costs more to plan than a page of rows costs to read)."""
    return (
        charges.select_related(None)
        .select_related("clinic")
        .prefetch_related(None)
        .prefetch_related(_lines())
    )


def charges_visible_to(user: AnyUser) -> QuerySet[Charge]:
    """The charges of the clinics where a biller, manager or owner works; nothing for anyone
    else (a therapist signs the note but does not see what it is billed for)."""
    if not works_the_money(user):
        return _charge_rows().none()
    return _charge_rows().filter(clinic__in=clinics_visible_to(user))


def charges_readable_by(user: AnyUser) -> QuerySet[Charge]:
    """What the FHIR and REST interfaces show of charges: staff what the charge pages show
    them (`charges_visible_to`), a patient the visits their bills page shows
    (`ledger.charges_owed_visible_to`: their own approved and billed charges)."""
    if staff_role(user) is not None:
        return charges_visible_to(user)
    return _charge_rows().filter(pk__in=charges_owed_visible_to(user).values("pk"))


def get_charge_readable_for(user: AnyUser, charge_id: int) -> Charge:
    """The access helper of `charges_readable_by`: the row, or 404 (recorded)."""
    return one_visible_or_404(charges_readable_by(user), user, "charge", charge_id)


def claims_readable_by(user: AnyUser) -> QuerySet[Claim]:
    """Claims as the interfaces show them: staff those of the claim pages
    (`claims.claims_visible_to`), a patient the claims of the visits they may see."""
    if staff_role(user) is not None:
        rows = claims_visible_to(user)
    else:
        rows = Claim.objects.filter(pk__in=charges_owed_visible_to(user).values("claim_id"))
    return rows.select_related(
        "payer", "patient", "clinic__practice", "coverage__payer", "coverage__patient"
    )


def get_claim_readable_for(user: AnyUser, claim_id: int) -> Claim:
    """The access helper of `claims_readable_by`: the row, or 404 (recorded)."""
    return one_visible_or_404(claims_readable_by(user), user, "claim", claim_id)


def get_charge_for(user: AnyUser, charge_id: int) -> Charge:
    """The access helper for charges: the row, or 404 when the user may not see it. The
    roles that see charges all may change them (none of them is read-only)."""
    return one_visible_or_404(charges_visible_to(user), user, "charge", charge_id)


def corrections_of(charge: Charge) -> list[ChargeCorrection]:
    return list(charge.corrections.select_related("by").order_by("-at", "-pk"))


@dataclass(frozen=True)
class Queue:
    charges: list[Charge]  # the oldest SHOWN
    total: int  # in the queue altogether


def review_queue(
    user: AnyUser, clinic: Clinic, *, status: str = ChargeStatus.TO_REVIEW, day: dt.date | None
) -> Queue:
    """A clinic's charges in one state (by default those to review), the SHOWN with the oldest
    visits first, optionally of one service date, and how many there are; the list is recorded
    as read, as a whole."""
    rows = charges_visible_to(user).filter(clinic=clinic, status=status)
    if day is not None:
        rows = rows.filter(service_date=day)
    audit.record(
        Action.READ, by=user, object_type="charge_queue", object_id=clinic.pk,
        clinic_id=clinic.pk, reason="list",
    )  # fmt: skip
    unread = [f"visit__{name}" for name in NOTE_TEXT]
    shown = rows.defer(*unread).order_by("service_date", "pk")[:SHOWN]
    return Queue(list(shown), rows.count())


@dataclass(frozen=True)
class KxPicture:
    """CHG-KX as the biller reads it: the year's threshold and the patient's amount after
    this visit; None when the coverage is not tracked (not Medicare)."""

    threshold: Decimal | None
    year_to_date_after: Decimal
    past: bool
    # On a claim already sent, when earlier charges were corrected since: the amount after
    # this visit counted again (the claim keeps what it said; it may need correcting).
    counted_now: Decimal | None = None

    @property
    def past_now(self) -> bool:
        if self.threshold is None or self.counted_now is None:
            return False
        return self.counted_now > self.threshold


def kx_picture(charge: Charge) -> KxPicture | None:
    if charge.coverage is None or not charge.coverage.payer.is_medicare:
        return None
    threshold, problem = threshold_for(charge.clinic, charge.service_date.year)
    known = None if problem else threshold
    after = charge.year_to_date_after
    return KxPicture(known, after, known is not None and after > known, _counted_now(charge))


def _counted_now(charge: Charge) -> Decimal | None:
    if not on_sent_claim(charge):
        return None
    before = medicare_year_to_date(charge.patient, charge.service_date, leaving_out=charge.pk)
    now = before + charge.total
    return None if now == charge.year_to_date_after else now


def includes_progress_report(charge: Charge) -> bool:
    """PROGRESS-1 as the biller needs it: whether the charge's visit note is a progress report
    (Medicare's every 10 treatment days); the answer only, never the note."""
    return is_progress_report(charge.visit)


@dataclass(frozen=True)
class ReferringPicture:
    """Who the charge's claim will name as the referring provider (loop 2310A, box 17)."""

    named: str  # "Helen Park (NPI 1003000126)", or "" when no one
    missing: bool  # no one, and the payer is Medicare: its claim will be refused without one


def referring_picture(charge: Charge) -> ReferringPicture:
    found = referring_certification(charge.visit.episode, charge.service_date)
    if found is not None:
        return ReferringPicture(f"{found.physician_name} (NPI {found.physician_npi})", False)
    medicare = charge.coverage is not None and charge.coverage.payer.is_medicare
    return ReferringPicture("", missing=medicare)


def billed_to(charge: Charge) -> str:
    """Who the charge is billed to, in words: the payer, self-pay, or not known yet."""
    if charge.coverage is not None:
        coverage = charge.coverage
        group = f", group {coverage.group_number}" if coverage.group_number else ""
        return (f"{coverage.payer.name} ({coverage.get_priority_display()}, "
                f"{coverage.payer.get_plan_type_display()}), member id "
                f"{coverage.member_id}{group}")  # fmt: skip
    if SelfPay.objects.filter(patient_id=charge.patient_id).exists():
        return "Self-pay"
    return "Not known: no coverage on file and self-pay not declared"


def fee_schedule(user: AnyUser, clinic: Clinic) -> list[Fee]:
    """The clinic's fees, code by code (a read of the practice's prices, recorded)."""
    if not works_the_money(user):
        return []
    audit.record(
        Action.READ, by=user, object_type="fee_schedule", object_id=clinic.pk,
        clinic_id=clinic.pk, reason="list",
    )  # fmt: skip
    return list(Fee.objects.filter(clinic=clinic).order_by("code"))
