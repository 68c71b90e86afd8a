"""Plans of care (versioned; signed ones are never edited), goals, home programmes and logs."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from unknot.care import parse_plan
from unknot.care.plan_model import Plan
from unknot.clinics.models import StaffMember
from unknot.records.models import Episode, Visit


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    SUPERSEDED = "superseded", "Replaced by a newer version"


class PlanOfCare(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    proposal = models.JSONField(default=dict)  # the care core's assessment output, untouched
    elements = models.JSONField(default=list)  # what the therapist kept, changed or added
    frequency_per_week = models.PositiveSmallIntegerField(default=2)
    duration_weeks = models.PositiveSmallIntegerField(default=6)
    current_phase = models.CharField(max_length=40, default="symptom_relief")
    diagnosis_codes = models.JSONField(default=list)
    signed_by = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["episode", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "version"], name="plan_version_unique"),
            models.UniqueConstraint(
                fields=["episode"], condition=Q(status="signed"), name="one_signed_plan_per_episode"
            ),
        ]

    def __str__(self) -> str:
        return f"plan v{self.version} ({self.status}) of {self.episode}"

    def core_plan(self) -> Plan | None:
        """The care core's plan in `proposal` as the core's dataclasses, or None for a version
        made without a proposal. The one place a stored plan is parsed: the rest of the app
        reads typed attributes, and a damaged row fails here with its path (StoredPlanError)."""
        stored = self.proposal.get("plan")
        return None if stored is None else parse_plan(stored)


class GoalTerm(models.TextChoices):
    SHORT = "short", "Short-term"
    LONG = "long", "Long-term"


class PlanGoal(models.Model):
    """A measurable goal tied to an outcome measure, e.g. ODI <= 20 % in 6 weeks."""

    plan = models.ForeignKey(PlanOfCare, on_delete=models.CASCADE, related_name="goals")
    term = models.CharField(max_length=10, choices=GoalTerm.choices)
    instrument = models.CharField(max_length=20)  # records.Instrument value
    comparison = models.CharField(max_length=2, choices=[("<=", "at most"), (">=", "at least")])
    target = models.FloatField()
    weeks = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.description


class HomeExercise(models.Model):
    """One exercise of the home programme of a plan, from the care core's library."""

    plan = models.ForeignKey(PlanOfCare, on_delete=models.CASCADE, related_name="home_exercises")
    exercise_key = models.CharField(max_length=60)
    dose = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    # Home sessions a week this exercise asks for; the programme's weekly target (adherence)
    # is the largest of its exercises', since one logged session covers the whole programme.
    sessions_per_week = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(21)]
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_per_week__gte=1) & Q(sessions_per_week__lte=21),
                name="home_sessions_per_week_1_21",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_key}: {self.dose}"


class LogStatus(models.TextChoices):
    DONE = "done", "Done"
    PARTLY = "partly", "Partly done"
    SKIPPED = "skipped", "Skipped"


class ExerciseLog(models.Model):
    """A home session as the person reports it from their phone."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="exercise_logs")
    performed_on = models.DateField()
    status = models.CharField(max_length=10, choices=LogStatus.choices)
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-performed_on", "-pk"]
        # The API's list in its default order (latest first), paged by keyset: read from here
        # page by page, never sorted whole.
        indexes = [models.Index(fields=["performed_on", "id"], name="log_performed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__lte=10) & Q(pain_after__lte=10), name="log_pain_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.performed_on}: {self.status}"


class AdherenceComment(models.Model):
    """The therapist's note on a week of home practice, shown to the person."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="adherence_comments"
    )
    week_start = models.DateField()
    author = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"comment on week {self.week_start}"


class EducationAssignment(models.Model):
    """A prevention lesson assigned by the plan, matched to the person's triggers and causes."""

    plan = models.ForeignKey(PlanOfCare, on_delete=models.CASCADE, related_name="education")
    topic_key = models.CharField(max_length=60)
    reason = models.CharField(max_length=200)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "topic_key"], name="education_once_per_plan"),
        ]

    def __str__(self) -> str:
        return self.topic_key


class CertificationStatus(models.TextChoices):
    SENT = "sent", "Sent, waiting for the physician"
    CERTIFIED = "certified", "Certified"
    REFUSED = "refused", "Declined by the physician"
    EXPIRED = "expired", "Link expired or replaced"


class Certification(models.Model):
    """A signed plan sent to the referring physician or NPP to certify (Medicare requires it;
    docs/billing.md). Each sending is a row with its own link: a re-send or a recertification
    is a new row, and the rows still open for the episode are marked expired. The link works
    until `expires_at` and only once: an answered row refuses a second answer."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="certifications")
    plan = models.ForeignKey(PlanOfCare, on_delete=models.PROTECT, related_name="certifications")
    # As the claim names the referring provider (837P loop 2310A, CMS-1500 box 17): the X12
    # lengths of a person's last (NM103) and first (NM104) name.
    physician_first_name = models.CharField(max_length=35)
    physician_last_name = models.CharField(max_length=60)
    physician_npi = models.CharField(max_length=10)
    physician_email = models.EmailField()
    sent_by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # The first clinic day this certification covers: the start of care for the first one, the
    # day after the last certified period for a recertification.
    period_start = models.DateField()
    # The last day covered, set when certified (CERT-2: the plan's end, at most 90 days).
    covers_until = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=CertificationStatus.choices, default=CertificationStatus.SENT
    )
    typed_name = models.CharField(max_length=200, blank=True)
    comment = models.CharField(max_length=1000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status="certified", covers_until__isnull=False, answered_at__isnull=False
                )
                | ~Q(status="certified"),
                name="certified_has_period_and_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"certification of {self.plan} ({self.status})"

    @property
    def physician_name(self) -> str:
        """The physician's name as people read it: first, then last."""
        return f"{self.physician_first_name} {self.physician_last_name}".strip()


class UncertifiedSignature(models.Model):
    """Why a therapist signed a treatment note past the certification due date without a
    certified plan (the reason Medicare asks for a delayed certification)."""

    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, related_name="uncertified_signature"
    )
    reason = models.CharField(max_length=1000)
    by = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"signed without certification: visit {self.visit_id}"
