"""Who pays for a patient's care: the practice's payers, each patient's coverages or self-pay,
and the visits a payer has authorised (docs/billing.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from unknot.clinics.models import Practice
from unknot.patients.models import Patient


class PlanType(models.TextChoices):
    MEDICARE_B = "medicare_b", "Medicare Part B"
    MEDICARE_ADVANTAGE = "medicare_advantage", "Medicare Advantage"
    MEDICAID = "medicaid", "Medicaid"
    COMMERCIAL = "commercial", "Commercial insurance"
    WORKERS_COMP = "workers_comp", "Workers' compensation"
    AUTO = "auto", "Auto insurance"
    TRICARE = "tricare", "TRICARE"
    OTHER = "other", "Other"


# The plan types whose yearly therapy amount is tracked against the KX threshold.
MEDICARE_PLAN_TYPES = frozenset({PlanType.MEDICARE_B})


class DistinctModifier(models.TextChoices):
    """CHG-59: the modifier a payer wants on the column-two code of a bundled pair."""

    FIFTY_NINE = "59", "59 (distinct procedural service)"
    XU = "XU", "XU (unusual non-overlapping service)"


class Payer(models.Model):
    """An insurer the practice bills, from the practice's own list."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="payers")
    name = models.CharField(max_length=120)
    # The electronic payer id the clearinghouse routes claims by (e.g. a MAC's jurisdiction id).
    payer_id = models.CharField("payer id", max_length=20)
    plan_type = models.CharField(max_length=30, choices=PlanType.choices)
    address_line = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state", max_length=2, blank=True)
    postcode = models.CharField("ZIP code", max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # AUTH-NOSHOW: some payers count a missed visit against the authorisation.
    counts_no_shows = models.BooleanField("no-shows count against authorisations", default=False)
    distinct_modifier = models.CharField(
        max_length=2, choices=DistinctModifier.choices, default=DistinctModifier.FIFTY_NINE
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "payer_id", "name"], name="payer_unique_in_practice"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_medicare(self) -> bool:
        return self.plan_type in MEDICARE_PLAN_TYPES


class Relationship(models.TextChoices):
    """The patient's relationship to the subscriber (X12 individual relationship codes)."""

    SELF = "18", "Self"
    SPOUSE = "01", "Spouse"
    CHILD = "19", "Child"
    OTHER = "G8", "Other"


class Priority(models.IntegerChoices):
    PRIMARY = 1, "Primary"
    SECONDARY = 2, "Secondary"
    TERTIARY = 3, "Tertiary"


class Coverage(models.Model):
    """One insurance a patient has; several may be on file, one per priority at a time."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="coverages")
    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="coverages")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.PRIMARY)
    member_id = models.CharField("member id", max_length=40)
    group_number = models.CharField(max_length=40, blank=True)
    relationship = models.CharField(
        "patient's relationship to the subscriber",
        max_length=2,
        choices=Relationship.choices,
        default=Relationship.SELF,
    )
    # The subscriber when it is not the patient (a spouse's or parent's plan).
    subscriber_first_name = models.CharField(max_length=100, blank=True)
    subscriber_last_name = models.CharField(max_length=100, blank=True)
    subscriber_date_of_birth = models.DateField(null=True, blank=True)
    # The subscriber's address as the insurer has it; a claim carries it, and the patient's
    # too when the patient is a dependent (they share it unless the claim says otherwise).
    address_line = models.CharField("street address", max_length=55, blank=True)
    city = models.CharField(max_length=30, blank=True)
    state = models.CharField(max_length=2, blank=True, help_text="two letters, e.g. NY")
    zip_code = models.CharField("ZIP code", max_length=10, blank=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    # The card's images, stored privately under the data directory (never under static or
    # media URLs) and served only through the coverage access check; paths relative to it.
    card_front = models.CharField(max_length=200, blank=True, editable=False)
    card_back = models.CharField(max_length=200, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="coverage_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payer} ({self.get_priority_display()})"


class SelfPay(models.Model):
    """The patient pays for their own care: said on purpose, so that no coverage on file is
    not mistaken for self-pay (an unanswered question is unknown, never "no")."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="self_pay")
    since = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"self-pay since {self.since:%m/%d/%Y}"


class AuthorisationUnit(models.TextChoices):
    VISITS = "visits", "Visits"
    UNITS = "units", "Billing units"


class Authorisation(models.Model):
    """What a payer agreed to pay for: a count of visits or units between two dates."""

    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="authorisations")
    reference = models.CharField("authorisation number", max_length=40)
    unit = models.CharField(
        max_length=10, choices=AuthorisationUnit.choices, default=AuthorisationUnit.VISITS
    )
    authorised = models.PositiveSmallIntegerField("visits or units authorised")
    start_date = models.DateField()
    end_date = models.DateField()
    # The appointment type slugs it covers; empty covers every kind of visit.
    covers = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="authorisation_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(authorised__gte=1), name="authorisation_not_empty"),
        ]

    def __str__(self) -> str:
        return f"authorisation {self.reference}"
