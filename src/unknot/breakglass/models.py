"""Who may break the glass (a grant), and each time someone did (an access).

A grant is kept, never deleted: revoking it stamps `revoked_at`, so the practice can always
say who was allowed, by whom and until when. An access is one opening of one patient's
record, with the reason in the person's own words; the audit trail holds only its ids and
the reason's category (docs/audit.md: no free text in the trail).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from unknot.clinics.models import StaffMember
from unknot.patients.models import Patient


class Category(models.TextChoices):
    """Why the glass was broken. The value is a code, so it may go into the audit trail."""

    EMERGENCY_CARE = "emergency_care", "Emergency care"
    PATIENT_TRANSFERRED = "patient_transferred", "Patient transferred to my clinic"
    COVERING_COLLEAGUE = "covering_colleague", "Covering for a colleague at that clinic"
    SAFETY_CONCERN = "safety_concern", "Patient safety concern"


class BreakGlassGrant(models.Model):
    """A clinician's standing permission to use break-glass access (granted by the owner)."""

    staff = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField()
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = "break-glass grant"
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(revoked_at__isnull=True),
                name="breakglass_one_active_grant",
            )
        ]

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "active"
        return f"Break-glass grant for {self.staff.display_name} ({state})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class BreakGlassAccess(models.Model):
    """One opening of one patient's record under a grant, until `expires_at` (or ended)."""

    grant = models.ForeignKey(BreakGlassGrant, on_delete=models.PROTECT, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    # If a patient's record is ever removed, the openings go with it; the audit trail keeps
    # their ids, and it is the record that answers "who looked".
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=30, choices=Category.choices)
    reason = models.TextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_expiry")]

    def __str__(self) -> str:
        return f"Break-glass access #{self.pk} to patient {self.patient_id}"

    @property
    def ends_at(self) -> dt.datetime:
        """When the access stopped or will stop: ended by hand, else at its expiry."""
        return self.ended_at or self.expires_at
