"""Calendars: working time, appointment types, appointments, series, questions, feeds.

All instants are stored in UTC; wall-clock rules (weekly hours) are in the clinic's zone.
The PostgreSQL exclusion constraint that forbids double booking is added by migration 0002.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from unknot.clinics.models import Clinic, StaffMember, Weekday
from unknot.patients.models import Patient


class AppointmentKind(models.TextChoices):
    INITIAL = "initial_evaluation", "Initial evaluation"
    FOLLOW_UP = "follow_up", "Follow-up visit"
    FLARE_UP = "flare_up", "Flare-up visit"


class OnlineBooking(models.TextChoices):
    NEW_PATIENTS = "new_patients", "Anyone, online (new patients)"
    PATIENTS_WITH_PLAN = "patients_with_plan", "Patients with a plan, from the portal"
    STAFF_ONLY = "staff_only", "Staff only"


# The longest a visit and each of its buffers may be. They bound how long any appointment can
# block its therapist (LONGEST_BLOCK), which gives every time-window query of the calendar a
# lower bound: "what overlaps this day" reads only rows starting from a day before it, through
# the (therapist, blocked_start) and (clinic, start) indexes, never the whole history.
MAX_DURATION_MINUTES = 16 * 60
MAX_BUFFER_MINUTES = 4 * 60
LONGEST_BLOCK = dt.timedelta(minutes=MAX_DURATION_MINUTES + 2 * MAX_BUFFER_MINUTES)


class AppointmentType(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="appointment_types")
    kind = models.CharField(max_length=30, choices=AppointmentKind.choices)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_BUFFER_MINUTES)]
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(MAX_BUFFER_MINUTES)]
    )
    min_notice_minutes = models.PositiveIntegerField(default=120)
    change_notice_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Patients may move or cancel until this many hours before."
    )
    horizon_days = models.PositiveSmallIntegerField(default=60)
    slot_step_minutes = models.PositiveSmallIntegerField(default=15)
    online_booking = models.CharField(max_length=30, choices=OnlineBooking.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["clinic", "duration_minutes"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="type_has_duration"),
            models.CheckConstraint(condition=Q(slot_step_minutes__gt=0), name="type_has_step"),
            models.CheckConstraint(
                condition=Q(duration_minutes__lte=MAX_DURATION_MINUTES)
                & Q(buffer_before_minutes__lte=MAX_BUFFER_MINUTES)
                & Q(buffer_after_minutes__lte=MAX_BUFFER_MINUTES),
                name="type_fits_longest_block",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.duration_minutes} min)"


class WorkingHours(models.Model):
    """A weekly working interval of a therapist at a clinic, in the clinic's wall-clock time."""

    therapist = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="working_hours"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["therapist", "clinic", "weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="work_starts_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class ScheduleOverride(models.Model):
    """A date with different hours at a clinic; a row without times means not working that day."""

    therapist = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="overrides")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="schedule_overrides")
    date = models.DateField()
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start"]

    def __str__(self) -> str:
        return f"{self.date}: " + (
            f"{self.start:%H:%M}-{self.end:%H:%M}" if self.start and self.end else "off"
        )


class TimeOff(models.Model):
    """Absence of a therapist, everywhere: part of a day or whole days."""

    therapist = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    whole_day = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="time_off_in_order"),
        ]

    def __str__(self) -> str:
        return f"time off {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M} UTC"


class Status(models.TextChoices):
    HELD = "held", "Held while booking"
    BOOKED = "booked", "Booked"
    ARRIVED = "arrived", "Arrived"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "Did not attend"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_STATUSES = (Status.HELD, Status.BOOKED, Status.ARRIVED, Status.COMPLETED, Status.NO_SHOW)


class CancelledBy(models.TextChoices):
    """Who cancelled a visit. Only the patient's own cancellations can count against them."""

    PATIENT_ONLINE = "patient_online", "The patient, online"
    PATIENT_BY_PHONE = "patient_by_phone", "The patient, through the front desk"
    CLINIC = "clinic", "The clinic"
    # Cancellations from before this was asked, and staff cancellations through the APIs,
    # which do not ask: never counted against the patient (booking migration 0007).
    NOT_RECORDED = "not_recorded", "Not recorded"


PATIENT_CANCELLERS = (CancelledBy.PATIENT_ONLINE, CancelledBy.PATIENT_BY_PHONE)


class AppointmentSeries(models.Model):
    """A plan-of-care block of visits, reserved all at once."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT)
    therapist = models.ForeignKey(StaffMember, on_delete=models.PROTECT)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="series")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT)
    description = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.description


def missed_at() -> models.Case:
    """When a visit was missed: its start for a no-show, the moment of a late cancellation.
    The attendance rules count misses by it, and an index is built on it."""
    return models.Case(models.When(status="no_show", then=F("start")), default=F("cancelled_at"))


class Appointment(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointments")
    therapist = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="appointments"
    )
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    series = models.ForeignKey(
        AppointmentSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    # The time the therapist is blocked: the appointment plus its type's buffers. Double booking
    # is judged on this interval, in the core and in the database constraint alike.
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    # Who holds a held time, as keyed hashes (never the values): the browser session and the
    # client address, for the limits on live holds (unknot.booking.hold_limits). Cleared at
    # booking.
    # A default in the database too: rows written outside the ORM (other tools, raw SQL) are
    # bookings with no holder.
    hold_visitor = models.CharField(max_length=64, blank=True, default="", db_default="")
    hold_address = models.CharField(max_length=64, blank=True, default="", db_default="")
    source = models.CharField(max_length=20, default="staff")  # online, portal, staff, series
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    cancelled_by = models.CharField(
        max_length=20, choices=CancelledBy.choices, blank=True, default="", db_default=""
    )
    # Late under the attendance policy, judged once when it was cancelled (the patient's own
    # cancellation inside the type's change notice as it was then): a notice changed later
    # does not rewrite history. `booking.attendance.late_under_policy` is the rule.
    cancelled_late = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["therapist", "blocked_start"], name="appt_therapist_time"),
            models.Index(fields=["clinic", "start"], name="appt_clinic_start"),
            # The API's list over every clinic (the auditor), in its order, paged by keyset.
            models.Index(fields=["start", "id"], name="appt_start"),
            # Live holds are few: these partial indexes hold only them.
            models.Index(
                fields=["hold_visitor"], condition=Q(status="held"), name="appt_held_by_visitor"
            ),
            models.Index(
                fields=["hold_address"], condition=Q(status="held"), name="appt_held_by_address"
            ),
            # What counts against the attendance policy, few rows: no-shows, late cancellations.
            models.Index(
                fields=["clinic", "patient"],
                condition=Q(status="no_show") | Q(cancelled_late=True),
                name="appt_missed",
            ),
            # The same rows by when they were missed: a policy window reads only its own days,
            # not every miss since the clinic opened.
            models.Index(
                F("clinic"),
                missed_at(),
                condition=Q(status="no_show") | Q(cancelled_late=True),
                name="appt_missed_at",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="appt_in_order"),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=F("start")) & Q(blocked_end__gte=F("end")),
                name="appt_blocked_covers_visit",
            ),
            # Only a cancellation by the patient can be late under the attendance policy.
            models.CheckConstraint(
                condition=Q(cancelled_late=False)
                | Q(status="cancelled", cancelled_by__in=PATIENT_CANCELLERS),
                name="appt_late_is_the_patients_cancellation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type.name} {self.start:%Y-%m-%d %H:%M} UTC"

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start


class QuestionStatus(models.TextChoices):
    NEW = "new", "New"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class ContactQuestion(models.Model):
    """A question sent from a clinic page to that clinic's front desk."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="questions")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    message = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.NEW
    )
    sender_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        # An explicit index, not `db_index=True`, which on PostgreSQL also builds an unused
        # "_like" index: a sender's questions of the last hour are looked up by the whole value.
        indexes = [
            models.Index(fields=["sender_fingerprint", "created_at"], name="question_sender_recent")
        ]

    def __str__(self) -> str:
        return f"question from {self.name} ({self.status})"


class CalendarFeed(models.Model):
    """A therapist's private iCalendar feed. Only a hash of the secret is stored.

    Anyone with the address reads it without signing in, so it carries no more than its
    creator could see when making it: `clinics` is fixed at creation (the creator's clinics
    where the therapist works), and patients are named by initials only if chosen then.
    """

    therapist = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="feeds")
    token_hash = models.CharField(max_length=64)
    clinics = models.ManyToManyField(Clinic, related_name="calendar_feeds", blank=True)
    show_patient_initials = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Not `unique=True`: on PostgreSQL that adds an unused "_like" index (a hash is only
        # ever looked up whole).
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], name="booking_feed_token_unique")
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.therapist}"


class CallStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"


class CallOutcome(models.TextChoices):
    CLEARED = "cleared", "Cleared to attend"
    REBOOKED = "rebooked", "Rebooked"
    SENT_TO_DOCTOR = "sent_to_doctor", "Sent to a doctor"


CALL_NOTE_MAX = 2000


class SafetyCall(models.Model):
    """A "call before the visit": online safety answers that need a word with the person first.

    Opened with the booking (same transaction) when the pre-screen says "call first"; it stays
    open, whatever happens to the appointment, until a member of staff records the call.
    `questions` keeps the questions as the person read them and their answer, e.g.
    [{"question": "Have you ever had cancer?", "answer": "Yes"}]; `fired_rule_ids` the care
    core's rules (RF-CANCER...), for clinicians.
    """

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="safety_calls"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="safety_calls")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="safety_calls")
    questions = models.JSONField(default=list)
    fired_rule_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN)
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices, blank=True)
    outcome_note = models.TextField(max_length=CALL_NOTE_MAX, blank=True)
    done_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["clinic", "status"], name="safety_call_open")]
        constraints = [
            # Done means all of it: an outcome, a note of the call, who and when.
            models.CheckConstraint(
                condition=(
                    Q(status=CallStatus.OPEN, outcome="", done_at__isnull=True)
                    | (
                        Q(status=CallStatus.DONE, done_at__isnull=False, done_by__isnull=False)
                        & ~Q(outcome="")
                        & ~Q(outcome_note="")
                    )
                ),
                name="safety_call_done_in_full",
            ),
        ]

    def __str__(self) -> str:
        return f"call before the visit {self.pk} ({self.status})"


FOLLOW_UP_NOTE_MAX = 500


class AttendanceFollowUp(models.Model):
    """The front desk spoke to a patient about their missed or late-cancelled visits.

    Closes the patient's attendance flag at that clinic for every miss up to `done_at`; a
    miss after it opens the flag again (`booking.attendance`). Rows are only added.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    done_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField()
    note = models.TextField(max_length=FOLLOW_UP_NOTE_MAX)

    class Meta:
        ordering = ["-done_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "clinic", "done_at"], name="attendance_followed_up")
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="follow_up_has_a_note"),
        ]

    def __str__(self) -> str:
        return f"attendance follow-up {self.pk}"
