"""A person's private iCalendar feed (only a hash of the secret is stored, as for therapists),
and the PDF summaries of records kept for their askers."""

from django.conf import settings
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


class KeptSummary(models.Model):
    """The PDF summary of a record, as one person may see it, laid out by the worker.

    One per person asking and patient: a summary shows what its asker may see, so staff and
    the person each have their own. `fingerprint` says which state of the record it shows;
    when the record changes, the next download asks for a new one in place of the old.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the page and print stylesheet
    # The page (HTML) the worker lays out, as read by the asker's access selectors; emptied
    # once laid out, so the record is not kept twice.
    page = models.TextField(blank=True)
    # The PDF, once laid out. In the database, not on a disk: the worker may run on another
    # machine than the web server that hands it over.
    pdf = models.BinaryField(blank=True, default=b"")
    asked_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "asked_by"], name="exports_one_kept_summary_per_asker"
            )
        ]

    def __str__(self) -> str:
        return f"summary of patient {self.patient_id} for user {self.asked_by_id}"
