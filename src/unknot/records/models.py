"""The clinical record of an episode of care: intake, evaluation, visits and outcome scores.

Structured answers are stored in the care core's own input shape (see docs/care.md), so the
record can be handed to `unknot.care.parse_case` without translation; free text sits beside it.
"""

from django.conf import settings
from django.db import models

from unknot.booking.models import Appointment
from unknot.care import instruments
from unknot.clinics.models import Clinic, StaffMember
from unknot.patients.models import Patient


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISCHARGED = "discharged", "Discharged"


class Episode(models.Model):
    """One course of care for one complaint, from intake to discharge."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="episodes")
    therapist = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    status = models.CharField(
        max_length=20, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    discharged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            # The open episodes of a clinic (the intake review list, caseloads): a few among
            # the years of discharged ones, so a partial index holds only them.
            models.Index(fields=["clinic"], condition=models.Q(status="open"), name="episode_open"),
            # The practice dashboard's period: episodes opened, and discharged, in it.
            models.Index(fields=["clinic", "opened_at"], name="episode_opened"),
            models.Index(
                fields=["clinic", "discharged_at"],
                condition=models.Q(status="discharged"),
                name="episode_discharged",
            ),
        ]

    def __str__(self) -> str:
        return f"episode {self.pk} of {self.patient}"


class IntakeStatus(models.TextChoices):
    DRAFT = "draft", "Being filled in"
    SUBMITTED = "submitted", "Sent to the clinic"
    REVIEWED = "reviewed", "Reviewed by the therapist"


class Intake(models.Model):
    """What the person tells us before the first visit; saved section by section."""

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="intake")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes"
    )
    answers = models.JSONField(default=dict)  # care-core input shape, without "exam"
    # The person's own words, by question: {"story": ..., "triggers": ..., "eases": ...}.
    # Kept apart from `answers` because the care core refuses keys it does not know.
    notes = models.JSONField(default=dict, blank=True)
    sections_done = models.JSONField(default=list)
    status = models.CharField(
        max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.DRAFT
    )
    emergency_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The API's list in its default order (latest change first), paged by keyset.
            models.Index(fields=["updated_at", "id"], name="intake_updated"),
            # The review list's open work, however old: sent and not yet reviewed, and alerts
            # nobody has acknowledged (a few rows among years of intakes).
            models.Index(
                fields=["episode"], condition=models.Q(status="submitted"), name="intake_sent"
            ),
            models.Index(
                fields=["episode"],
                condition=models.Q(emergency_at__isnull=False, reviewed_at__isnull=True),
                name="intake_alert_open",
            ),
        ]

    def __str__(self) -> str:
        return f"intake for {self.episode}"


class Evaluation(models.Model):
    """The therapist's assessment at the first visit (and at formal re-evaluations)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="evaluations")
    therapist = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    performed_on = models.DateField()
    exam = models.JSONField(default=dict)  # care-core "exam" section
    posture = models.TextField(blank=True)
    movement = models.TextField(blank=True)
    # Lumbar range of motion in degrees ({"flexion": 60, ...}); not part of the care core's
    # "exam" input, which has no range-of-motion fields, so it is kept beside it.
    rom = models.JSONField(default=dict, blank=True)
    triggers_discussed = models.TextField(blank=True)
    # {"spasm_location", "tenderness_location", "severity" 0-10, "segment_levels", "notes"}
    palpation = models.JSONField(default=dict)
    neuro_screen = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    # What the therapist asked and recorded in person, in the care core's case shape: red-flag
    # answers ("red_flags"), the health history confirmed ("conditions", "medicines"), and the
    # inputs an intake does not ask (bone density, weeks after birth, care already received,
    # scores recorded elsewhere). mapping.merged_answers joins it to the intake's answers.
    in_person = models.JSONField(default=dict, blank=True)
    is_final = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["performed_on", "pk"]

    def __str__(self) -> str:
        return f"evaluation {self.performed_on} of {self.episode}"


# What an OutcomeScore measures: every measure of the care core's questionnaires
# (care.instruments), in the registry's order; the stored value is the measure's key.
# The stubs know only the members' constructor, not Enum's functional form:
Instrument = models.TextChoices(  # type: ignore[call-overload]
    "Instrument",
    [(m.key.upper(), (m.key, m.label)) for m in instruments.MEASURES],
    module=__name__,
)


class OutcomeScore(models.Model):
    """A scored measure at a date, as the care core computed it."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="scores")
    instrument = models.CharField(max_length=20, choices=Instrument.choices)
    value = models.FloatField()
    measured_on = models.DateField()
    source = models.CharField(max_length=20)  # intake, visit, reassessment
    loinc = models.CharField(max_length=20, blank=True)
    details = models.JSONField(default=dict)  # band, risk, subscores, items

    class Meta:
        ordering = ["measured_on", "pk"]
        indexes = [
            models.Index(fields=["episode", "instrument", "measured_on"], name="score_series"),
            # FHIR's Observation search in its order, paged by keyset (a chain has millions).
            models.Index(fields=["measured_on", "id"], name="score_measured"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.value} on {self.measured_on}"


class Visit(models.Model):
    """A treatment visit, written as a SOAP note; signed notes are not edited."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="visits")
    appointment = models.OneToOneField(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="visit"
    )
    therapist = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    performed_on = models.DateField()
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan_text = models.TextField("plan", blank=True)
    red_flags = models.JSONField(default=dict)  # care-core "red_flags" re-screen
    triage = models.JSONField(default=dict)  # the care core's verdict for this visit
    nprs = models.PositiveSmallIntegerField(null=True, blank=True)
    progression = models.JSONField(default=dict)  # PROG-1 suggestion shown to the therapist
    # PROGRESS-1: the therapist says this note includes a progress report (a re-assessment
    # visit is one anyway); the due rule counts from the latest (plans.certification).
    includes_progress_report = models.BooleanField(default=False)
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["performed_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "number"], name="visit_number_unique"),
        ]

    def __str__(self) -> str:
        return f"visit {self.number} of {self.episode}"


class HoldSource(models.TextChoices):
    INTAKE = "intake", "Intake"
    EVALUATION = "evaluation", "Evaluation"
    VISIT = "visit", "Treatment visit"


class MedicalHold(models.Model):
    """SCREEN-2: an emergency or urgent referral put the episode on hold. Later visits record
    findings and education only, until a therapist records the medical clearance; the
    physician's restrictions then feed the safety check of every later plan and visit."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="holds")
    source = models.CharField(max_length=20, choices=HoldSource.choices)
    visit = models.ForeignKey(
        "Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="holds"
    )
    tier = models.CharField(max_length=30)  # the care core's triage tier that opened it
    rules = models.JSONField(default=list)  # the referral rule ids
    findings = models.JSONField(default=list)  # the fact keys those rules fired on
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    clearing_physician = models.CharField(max_length=200, blank=True)
    cleared_on = models.DateField(null=True, blank=True)
    restrictions = models.JSONField(default=list, blank=True)  # care.vocab.RESTRICTIONS keys
    clearance_note = models.TextField(blank=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        constraints = [
            # One hold open at a time: a new referral while on hold joins the open one.
            models.UniqueConstraint(
                fields=["episode"], condition=models.Q(cleared_at__isnull=True),
                name="one_open_hold_per_episode",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"hold {self.pk} of {self.episode}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class VisitIntervention(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="interventions")
    intervention = models.CharField(max_length=40)  # care-core intervention key
    cpt = models.CharField(max_length=10)
    minutes = models.PositiveSmallIntegerField()
    units = models.PositiveSmallIntegerField(default=0)
    notes = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.cpt} {self.minutes} min"


class ActivityGoal(models.Model):
    """PSFS (Stratford 1995): an activity the person finds hard because of their back, named
    in their own words, and so a goal of their care. The words may be changed; each wording is
    kept with the ratings given under it, so the history reads as it was said."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="activity_goals")
    created_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)  # taken off the list; kept

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"goal {self.pk} of {self.episode}"


class ActivityWording(models.Model):
    """One wording of a goal, from when it was written; the latest is the goal's words now."""

    goal = models.ForeignKey(ActivityGoal, on_delete=models.CASCADE, related_name="wordings")
    text = models.CharField(max_length=200)
    written_at = models.DateTimeField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"wording {self.pk} of {self.goal}"


class ActivityRating(models.Model):
    """How well the person could do the activity (0 unable, 10 as before), as part of one
    stored PSFS (the intake's or a re-assessment's), under the wording it was asked in."""

    goal = models.ForeignKey(ActivityGoal, on_delete=models.CASCADE, related_name="ratings")
    wording = models.ForeignKey(ActivityWording, on_delete=models.PROTECT, related_name="ratings")
    outcome = models.ForeignKey(
        OutcomeScore, on_delete=models.CASCADE, related_name="activity_ratings"
    )
    score = models.FloatField()
    measured_on = models.DateField()

    class Meta:
        ordering = ["measured_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=10), name="activity_rating_0_to_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score:g} for {self.goal} on {self.measured_on}"
