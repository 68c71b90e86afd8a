"""A person's private iCalendar feed. Only a hash of the secret is stored, as for therapists."""

from django.db import models

from unknot.patients.models import Patient


class PatientFeed(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64)  # unique: see Meta.constraints
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Not `unique=True`: on PostgreSQL that adds an unused "_like" index (a hash is only
        # ever looked up whole).
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], name="exports_feed_token_unique")
        ]

    def __str__(self) -> str:
        return f"calendar feed of patient {self.patient_id}"
