import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from unknot.accounts.roles import CHART_ROLES, MANAGING_ROLES, PAYMENT_ROLES, READ_ONLY_ROLES, Role
from unknot.common.identifiers import validate_ein, validate_npi


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone (for example America/New_York).")


ATTENDANCE_WINDOW_MAX = 730  # two years: a longer memory would hold old history against people
ATTENDANCE_ALLOWED_MAX = 50


class PlaceOfService(models.TextChoices):
    """CMS place-of-service codes a PT clinic's claims use (the full list has ~100)."""

    OFFICE = "11", "Office"
    HOME = "12", "Home"
    TELEHEALTH_HOME = "10", "Telehealth in the patient's home"
    OUTPATIENT_HOSPITAL = "22", "On-campus outpatient hospital"
    COMPREHENSIVE_OUTPATIENT_REHAB = "62", "Comprehensive outpatient rehabilitation facility"


class Practice(models.Model):
    name = models.CharField(max_length=120)
    tagline = models.CharField(max_length=200, blank=True)
    # What a claim names as the billing provider (docs/billing.md): the practice's group NPI
    # and its employer identification number. Blank until the owner enters them; a claim
    # cannot be made without them.
    npi = models.CharField("group NPI", max_length=10, blank=True, validators=[validate_npi])
    tax_id = models.CharField(
        "tax id (EIN)", max_length=10, blank=True, validators=[validate_ein], help_text="NN-NNNNNNN"
    )

    def __str__(self) -> str:
        return self.name


class Clinic(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clinics")
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    address_line = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField("state or region", max_length=100, blank=True)
    postcode = models.CharField(max_length=20)
    phone = models.CharField(max_length=40)
    email = models.EmailField(blank=True)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    description = models.TextField(blank=True)
    # CMS place-of-service code printed on this clinic's claims: 11 is an office (docs/billing.md).
    place_of_service = models.CharField(
        max_length=2, choices=PlaceOfService.choices, default=PlaceOfService.OFFICE
    )
    # The attendance policy (docs/booking.md, "Attendance"): more missed or late-cancelled
    # visits than `attendance_allowed` within the last `attendance_window_days` flags the
    # patient for a word with the front desk.
    attendance_window_days = models.PositiveSmallIntegerField(
        "attendance policy: over the last (days)",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(ATTENDANCE_WINDOW_MAX)],
    )
    attendance_allowed = models.PositiveSmallIntegerField(
        "attendance policy: missed or late-cancelled visits allowed",
        default=2,
        validators=[MaxValueValidator(ATTENDANCE_ALLOWED_MAX)],
        help_text="One more than this within the period flags the patient for the front desk.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_window_days__gte=1)
                & Q(attendance_window_days__lte=ATTENDANCE_WINDOW_MAX)
                & Q(attendance_allowed__lte=ATTENDANCE_ALLOWED_MAX),
                name="clinic_attendance_policy_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def one_line_address(self) -> str:
        parts = [self.address_line, self.city, f"{self.region} {self.postcode}".strip()]
        return ", ".join(part for part in parts if part)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    """One open interval on a weekday, in the clinic's own wall-clock time.

    Several rows per weekday express a lunch closure.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="opening_before_closing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError("The clinic must open before it closes.")


class Closure(models.Model):
    """Days the clinic is closed (holidays, works), inclusive of both dates."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="closure_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinic}: closed {self.start_date} to {self.end_date}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValidationError("A closure must end on or after the day it starts.")


class StaffMember(models.Model):
    """A member of staff, their role and the clinics where they work."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_member"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    clinics = models.ManyToManyField(Clinic, related_name="staff")
    credentials = models.CharField(max_length=80, blank=True, help_text="e.g. PT, DPT, OCS")
    # The rendering provider on a claim: a therapist's own (type 1) NPI.
    npi = models.CharField("NPI", max_length=10, blank=True, validators=[validate_npi])
    bio = models.TextField("short profile", blank=True)
    focus = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"

    @property
    def takes_payments(self) -> bool:
        """The front desk or the billing office: the patient's account is theirs to keep."""
        return self.role in PAYMENT_ROLES

    @property
    def manages_clinics(self) -> bool:
        """A manager or the owner: the pages that run clinics are theirs."""
        return self.role in MANAGING_ROLES

    @property
    def reads_chart(self) -> bool:
        """Anyone but the biller: the clinical record's pages and links are theirs."""
        return self.role in CHART_ROLES

    @property
    def writes_care(self) -> bool:
        """Changes patients, the calendar and the waitlist: neither the auditor nor the biller."""
        return self.role in CHART_ROLES - READ_ONLY_ROLES

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()
