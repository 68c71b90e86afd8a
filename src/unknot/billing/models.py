"""The money side of the practice: fees, charges from signed visit notes, claims, payments and
adjustments (docs/billing.md). Money is Decimal with two places; nothing here is ever deleted:
a wrong row is corrected or voided, with who, when and why."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q

from unknot.clinics.models import Clinic, PlaceOfService, Practice, StaffMember
from unknot.common.money import dollars
from unknot.coverage.models import Coverage, Payer
from unknot.patients.models import Patient
from unknot.records.models import Visit

MONEY_DIGITS, MONEY_PLACES = 10, 2  # up to $99,999,999.99
ZERO = Decimal("0.00")


def money(verbose_name: str | None = None, **options: Any) -> Any:
    """A dollar amount: Decimal with two places."""
    return models.DecimalField(
        verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **options
    )


class Fee(models.Model):
    """A clinic's fee schedule: its charge per unit of a CPT code."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="fees")
    code = models.CharField("CPT code", max_length=5)
    amount = money(validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="fee_one_per_code"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ${self.amount}"


class KxThreshold(models.Model):
    """CHG-KX-YEAR as a setting: the practice's value for a year overrides the built-in table."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    amount = money(validators=[MinValueValidator(ZERO)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "year"], name="kx_threshold_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"KX threshold {self.year}: ${self.amount}"


PHYSICAL_THERAPIST_TAXONOMY = "225100000X"  # NUCC: Physical Therapist


class ClaimSettings(models.Model):
    """What the practice's claim files say about who sends them and where they go: the billing
    address (a street address with ZIP+4, as the 837P asks), the submitter id and contact the
    clearinghouse assigned, and the clearinghouse itself. Files are marked as tests until the
    practice says its clearinghouse is ready for production."""

    practice = models.OneToOneField(Practice, on_delete=models.PROTECT, related_name="+")
    address_line = models.CharField("billing street address", max_length=55)
    city = models.CharField(max_length=30)
    state = models.CharField(max_length=2, help_text="two letters, e.g. NY")
    zip_code = models.CharField("ZIP+4", max_length=10, help_text="nine digits, e.g. 10001-2345")
    taxonomy = models.CharField(max_length=10, default=PHYSICAL_THERAPIST_TAXONOMY)
    submitter_id = models.CharField("submitter id", max_length=15)
    contact_name = models.CharField("billing contact", max_length=60)
    contact_phone = models.CharField("billing contact phone", max_length=10, help_text="ten digits")
    clearinghouse_name = models.CharField(max_length=60)
    clearinghouse_id = models.CharField("clearinghouse id", max_length=15)
    production = models.BooleanField(
        "send as production files", default=False,
        help_text="Leave off until the clearinghouse has accepted test files.",
    )  # fmt: skip

    def __str__(self) -> str:
        return f"claim settings of {self.practice}"


class ChargeStatus(models.TextChoices):
    TO_REVIEW = "to_review", "To review"
    HELD = "held", "On hold"
    APPROVED = "approved", "Approved"
    BILLED = "billed", "Billed"
    VOID = "void", "Voided"


# What billing never reads of a charge's visit note: its words and findings (a charge's card
# and its claim say the codes, the dates and who treated), left out of the queries of lists.
NOTE_TEXT = ("subjective", "objective", "assessment", "plan_text", "red_flags", "triage")


class Charge(models.Model):
    """What one signed visit is billed for; made when the note is signed, reviewed by a biller."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="charge")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="charges")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="charges")
    rendering = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    # The coverage billed first; null when the patient pays for their own care.
    coverage = models.ForeignKey(
        Coverage, on_delete=models.PROTECT, null=True, blank=True, related_name="charges"
    )
    service_date = models.DateField()
    place_of_service = models.CharField(max_length=2, choices=PlaceOfService.choices)
    # The episode's ICD-10-CM codes in pointer order (A, B, C, D on the claim).
    diagnosis_codes = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=ChargeStatus.choices, default=ChargeStatus.TO_REVIEW
    )
    total = money()
    # CHG-KX: the patient's Medicare therapy amount for the year after this visit.
    year_to_date_after = money(default=ZERO)
    hold_reason = models.CharField(max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    claim = models.ForeignKey(
        "Claim", on_delete=models.PROTECT, null=True, blank=True, related_name="charges"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # LEDGER-BAL's running figures: the sums of the charge's allocations and adjustments, kept
    # by `billing.ledger.keep_figures` in the transaction of every payment and adjustment (the
    # only writers of either), so a balance is read from the row, not summed again each time.
    paid = money(default=ZERO, editable=False)
    adjusted = money(default=ZERO, editable=False)
    # LEDGER-BAL: owed (approved or billed) and its total not met exactly by what was paid and
    # adjusted: it still owes something or, overpaid, is owed a credit. Stored by the database
    # from the row, so the planner counts these few (a condition on three columns it cannot)
    # and the index `charge_owing` holds only them.
    owing = models.GeneratedField(
        expression=ExpressionWrapper(
            Q(status__in=("approved", "billed")) & ~Q(total=F("paid") + F("adjusted")),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-service_date", "-pk"]
        indexes = [
            models.Index(fields=["clinic", "status", "service_date"]),
            # The REST list's order (oldest visit first), read a page at a time.
            models.Index(fields=["service_date", "id"], name="charge_service_date"),
            # What is still owed (LEDGER-BAL): the few charges the ageing and the balances read
            # among the years of settled ones. `billing.ledger.OWING` is the same condition.
            models.Index(
                fields=["clinic", "service_date"], name="charge_owing", condition=Q(owing=True)
            ),
            # The approved charges waiting for a claim (`claims.waiting_to_claim`), found
            # without reading the unclaimed ones still to review, held or voided.
            models.Index(
                fields=["clinic"],
                name="charge_to_claim",
                condition=Q(status="approved", claim__isnull=True, coverage__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"charge for {self.visit}"


class ChargeLine(models.Model):
    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField("CPT code", max_length=5)
    units = models.PositiveSmallIntegerField()
    modifiers = models.JSONField(default=list)  # e.g. ["GP", "KX"]
    # Which of the charge's diagnosis codes this line is for, as 1-based positions (max 4).
    diagnosis_pointers = models.JSONField(default=list)
    fee = money()  # per unit
    amount = money()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} x{self.units}"


class ChargeCorrection(models.Model):
    """A biller's change to a charge: what it was, and why it changed."""

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="corrections")
    before = models.JSONField()  # the lines as they were
    reason = models.CharField(max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"correction of {self.charge}"


class ClaimStatus(models.TextChoices):
    READY = "ready", "Ready to send"
    SENT = "sent", "Sent"
    PAID = "paid", "Paid"
    DENIED = "denied", "Denied"
    VOID = "void", "Voided"


class Claim(models.Model):
    """Approved charges of one patient's coverage, in one 837P file."""

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="claims")
    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="claims")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="claims")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="claims")
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.READY)
    # The interchange control number of the file that carried it (ISA13), unique per practice.
    control_number = models.PositiveIntegerField(null=True, blank=True)
    total = money()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        # The claims page (newest first) and FHIR's Claim search (oldest first, by keyset).
        indexes = [models.Index(fields=["created_at", "id"], name="claim_created")]

    def __str__(self) -> str:
        return f"claim {self.pk}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "Cash"
    CARD = "card", "Card"
    CHECK = "check", "Check"
    INSURER = "insurer", "Insurance payment"


class Payment(models.Model):
    """Money received, from the patient or an insurer, applied to charges by allocations."""

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    payer = models.ForeignKey(
        Payer, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    amount = money(validators=[MinValueValidator(Decimal("0.01"))])
    received_on = models.DateField()
    reference = models.CharField("check or transaction number", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_on", "-pk"]
        # The REST list's order (newest first), read a page at a time.
        indexes = [models.Index(fields=["received_on", "id"], name="payment_received")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=Q(patient__isnull=False) | Q(payer__isnull=False),
                name="payment_has_a_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{dollars(self.amount)} on {self.received_on:%m/%d/%Y}"


class Allocation(models.Model):
    """Part of a payment applied to one charge."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="allocations")
    amount = money()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive"),
        ]

    def __str__(self) -> str:
        return f"{dollars(self.amount)} to {self.charge}"


class AdjustmentReason(models.TextChoices):
    CONTRACTUAL = "contractual", "Contractual write-off"
    DENIED = "denied", "Denied by the payer"
    SMALL_BALANCE = "small_balance", "Small balance write-off"
    HARDSHIP = "hardship", "Financial hardship"
    CORRECTION = "correction", "Correction"
    # LEDGER-RESP: the insurer answered without paying or denying (all to the deductible, say):
    # $0.00 taken off, what remains is the patient's.
    TO_PATIENT = "to_patient", "Insurer answered: bill the patient"


class Adjustment(models.Model):
    """An amount taken off (or, negative, put back on) a charge's balance, with its reason."""

    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="adjustments")
    amount = money()
    reason = models.CharField(max_length=20, choices=AdjustmentReason.choices)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: ${self.amount}"
