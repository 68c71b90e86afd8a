"""Every email the site sends, as a row written in the transaction of what it tells about.

The worker (outbox/tasks.py) sends the rows later. The table keeps the name it had when the
outbox was part of booking (`booking_outboxemail`): moving the model into this app changed no
table, index or key.
"""

from django.db import models


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will retry)"
    GAVE_UP = "gave_up", "Failed (gave up)"
    CANCELLED = "cancelled", "Not needed any more"


class OutboxEmail(models.Model):
    """Every email the site sends, visible to staff. `key` makes each send unique."""

    key = models.CharField(max_length=120)  # unique: see Meta.constraints
    kind = models.CharField(max_length=30)  # confirmation, reminder, cancellation, contact...
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="outbox")
    # The visit an email is about, when it is about one: deleting the visit deletes its emails,
    # and booking finds them as `appointment.emails`. Named by label, so nothing is imported.
    appointment = models.ForeignKey(
        "booking.Appointment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    ics = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    send_after = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "booking_outboxemail"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "send_after"], name="outbox_due"),
            # The staff's outbox, newest first: of one clinic, or of every clinic (the owner).
            models.Index(fields=["clinic", "-created_at"], name="outbox_clinic_newest"),
            models.Index(fields=["-created_at"], name="outbox_newest"),
        ]
        # A constraint rather than `unique=True`, which on PostgreSQL also builds a "_like"
        # index for prefix searches: keys are only ever looked up whole.
        constraints = [models.UniqueConstraint(fields=["key"], name="outbox_key_unique")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"
