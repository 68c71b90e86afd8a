from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from unknot.accounts.emails import validate_email_address
from unknot.clinics.models import Clinic


class Patient(models.Model):
    """A person in care. Health data hangs off this row; reach it only through access helpers."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True, validators=[validate_email_address])
    phone = models.CharField(max_length=40, blank=True)
    address = models.CharField(max_length=300, blank=True)
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
