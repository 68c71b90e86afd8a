"""A person's private iCalendar feed. Only a hash of the secret is stored, as for therapists."""

from django.db import models

from unknot.patients.models import Patient


class PatientFeed(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"calendar feed of patient {self.patient_id}"
