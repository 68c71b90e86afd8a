from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from unknot.accounts.emails import validate_email_address
from unknot.clinics.models import Clinic


class Sex(models.TextChoices):
    """Administrative sex, as a payer records it: what claims carry, not a clinical finding.

    The values are FHIR's AdministrativeGender codes and map one to one onto X12's DMG03
    (female F, male M, unknown U; billing.claims). FHIR's fourth code, "other", is left out:
    X12 has no letter for it, so it could only go on a claim as "unknown". An unanswered
    question is unknown, never guessed from a name.
    """

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not recorded"


# Claims carry an address line in 55 characters at most (X12 N3, CMS-1500 box 5); older
# records' free-text addresses were moved into line 1 whole, so the column holds more and the
# forms ask for a shorter line when one is edited.
ADDRESS_LINE_LENGTH = 55
ADDRESS_FIELDS = ["address_line1", "address_line2", "city", "state", "zip_code"]
# What a patient may change about themself in the portal.
OWN_DETAILS = ["email", "phone", *ADDRESS_FIELDS, "sex"]


class Patient(models.Model):
    """A person in care. Health data hangs off this row; reach it only through access helpers."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True, validators=[validate_email_address])
    phone = models.CharField(max_length=40, blank=True)
    sex = models.CharField(
        max_length=7,
        choices=Sex.choices,
        default=Sex.UNKNOWN,
        help_text="As the patient's health insurer records it; claims carry it.",
    )
    # The US postal address: all of it blank when not known (line 2 is often blank anyway).
    address_line1 = models.CharField("address line 1", max_length=300, blank=True)
    address_line2 = models.CharField("address line 2", max_length=ADDRESS_LINE_LENGTH, blank=True)
    city = models.CharField(max_length=30, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField("ZIP code", max_length=10, blank=True)
    preferred_clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient",
        help_text="The patient's portal login, if they have one.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    online_identity = models.BooleanField(
        default=False,
        editable=False,
        help_text="Filed by online booking under this email and date of birth at this clinic, "
        "and none of the three changed since: no other such record may share them.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        # The staff's patient list in its order, read from the top instead of sorting everyone.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="patient_by_name")]
        constraints = [
            # One person, one record: two first bookings of the same person at the same moment
            # must not file two patients (`services.patient_match_or_create`). Upper() is the
            # comparison of Django's iexact, which the matching uses. Only records filed online
            # (after this rule came) take part: staff may file whom they decide, and
            # duplicates from before stay as they are until someone merges them.
            models.UniqueConstraint(
                "preferred_clinic",
                Upper("email"),
                "date_of_birth",
                condition=models.Q(online_identity=True),
                name="patient_one_online_record_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def address_lines(self) -> list[str]:
        """The address as an envelope shows it: the street lines, then "City, ST 12345"."""
        state_and_zip = " ".join(part for part in (self.state, self.zip_code) if part)
        last = ", ".join(part for part in (self.city, state_and_zip) if part)
        return [line for line in (self.address_line1, self.address_line2, last) if line]

    @property
    def address(self) -> str:
        """The address on one line ("" when none is known), as the REST API gives it."""
        return ", ".join(self.address_lines)
