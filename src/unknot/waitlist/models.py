"""The waitlist: people waiting for a time, the times that freed up, and the offers made.

An entry waits for one appointment type at one clinic, with one therapist or any, on the
weekdays, times of day and dates the person can come. When a booked time frees up, an
`Opening` is recorded and offered to the matching entries in queue order (first joined
first), a few at a time (`Offer`); the first to accept books it through the booking service.
All instants are UTC; weekdays and times of day are the clinic's wall clock.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from unknot.booking.models import Appointment, AppointmentType
from unknot.clinics.models import Clinic, StaffMember, Weekday
from unknot.patients.models import Patient

ALL_WEEKDAYS = 0b1111111  # bit n is Weekday n (Monday 0 ... Sunday 6)


class TimeOfDay(models.TextChoices):
    ANY = "any", "Any time of day"
    MORNING = "morning", "Mornings (before noon)"
    AFTERNOON = "afternoon", "Afternoons (noon to 5 PM)"
    EVENING = "evening", "Evenings (from 5 PM)"
    BETWEEN = "between", "Between two times"


# The wall-clock window of each part of the day: a visit matches when it starts inside.
DAY_PARTS: dict[str, tuple[dt.time, dt.time]] = {
    TimeOfDay.ANY: (dt.time(0), dt.time.max),
    TimeOfDay.MORNING: (dt.time(0), dt.time(12)),
    TimeOfDay.AFTERNOON: (dt.time(12), dt.time(17)),
    TimeOfDay.EVENING: (dt.time(17), dt.time.max),
}


class EntryStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    BOOKED = "booked", "Booked"
    LEFT = "left", "Left the waitlist"


class JoinedFrom(models.TextChoices):
    PORTAL = "portal", "The patient, from the portal"
    STAFF = "staff", "Staff, for the patient"


class WaitlistEntry(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="waitlist_entries")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT)
    # None: any therapist of the clinic who takes bookings.
    therapist = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    weekdays = models.PositiveSmallIntegerField(default=ALL_WEEKDAYS)
    time_of_day = models.CharField(max_length=20, choices=TimeOfDay.choices, default=TimeOfDay.ANY)
    earliest = models.TimeField(null=True, blank=True)  # only for "between two times"
    latest = models.TimeField(null=True, blank=True)
    first_day = models.DateField()
    last_day = models.DateField()
    status = models.CharField(
        max_length=20, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    joined_from = models.CharField(max_length=20, choices=JoinedFrom.choices)
    joined_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    left_at = models.DateTimeField(null=True, blank=True)
    booked_appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name_plural = "waitlist entries"
        indexes = [
            models.Index(
                fields=["clinic", "appointment_type", "joined_at"],
                condition=Q(status="waiting"),
                name="waitlist_queue",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekdays__gt=0, weekdays__lte=ALL_WEEKDAYS), name="waitlist_weekdays"
            ),
            models.CheckConstraint(
                condition=Q(first_day__lte=F("last_day")), name="waitlist_days_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(time_of_day="between")
                | Q(earliest__isnull=False, latest__isnull=False, earliest__lt=F("latest")),
                name="waitlist_between_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"waitlist entry {self.pk} ({self.status})"

    @property
    def weekday_names(self) -> list[str]:
        return [str(day.label) for day in Weekday if self.weekdays & (1 << day.value)]

    @property
    def window(self) -> tuple[dt.time, dt.time]:
        """The wall-clock window a visit must start in (from inclusive, to exclusive)."""
        if self.time_of_day == TimeOfDay.BETWEEN and self.earliest and self.latest:
            return self.earliest, self.latest
        return DAY_PARTS.get(self.time_of_day, DAY_PARTS[TimeOfDay.ANY])


class OpeningStatus(models.TextChoices):
    OFFERING = "offering", "Being offered"
    FILLED = "filled", "Filled from the waitlist"
    CLOSED = "closed", "Not filled from the waitlist"


class Opening(models.Model):
    """A booked time that freed up and is (or was) offered to the people waiting."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT)
    start = models.DateTimeField()
    freed_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=OpeningStatus.choices, default=OpeningStatus.OFFERING
    )
    rounds = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)  # filled or given up
    filled_by = models.ForeignKey(
        WaitlistEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["clinic", "status", "closed_at"], name="opening_state")]

    def __str__(self) -> str:
        return f"opening {self.pk} ({self.status})"


class OfferStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired unanswered"
    GONE = "gone", "Taken by someone else"


class Offer(models.Model):
    """An opening offered to one waiting entry, by email, until `expires_at`."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="offers")
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    round = models.PositiveSmallIntegerField()
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offered_at", "pk"]
        indexes = [models.Index(fields=["status", "expires_at"], name="offer_open")]
        constraints = [
            models.UniqueConstraint(fields=["opening", "entry"], name="one_offer_per_entry"),
            models.CheckConstraint(
                condition=Q(offered_at__lt=F("expires_at")), name="offer_expires_after"
            ),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} ({self.status})"
