"""The case: everything known about one person at one visit, as frozen dataclasses.

Optional fields are None when not asked or not measured; the core reports what it could not
compute from a None rather than guessing a value.
"""

from dataclasses import dataclass, field, fields

# One ODI section: 0-5, or None when unanswered. Several marked statements are resolved to the
# higher one at parse time (ODI-MULTI), so the model only ever holds one number.
OdiSection = int | None


@dataclass(frozen=True)
class Patient:
    age: int | None = None
    sex: str = "unknown"
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    postpartum_weeks: int | None = None  # weeks since giving birth, when that applies
    bone_density_t_score: float | None = None  # lowest DXA T-score on record


@dataclass(frozen=True)
class Visit:
    kind: str = "initial"
    number: int = 1


@dataclass(frozen=True)
class Episode:
    duration_days: int | None = None
    causes: tuple[str, ...] = ()
    pain_side: str | None = None
    below_knee: bool | None = None
    distal_to_buttock: bool | None = None  # symptoms reach the thigh or further
    spasm: bool | None = None
    care_weeks: int | None = None  # weeks of care for this episode already received
    care_visits: int | None = None  # visits of care for this episode already received


@dataclass(frozen=True)
class RedFlags:
    """Screening answers: `positive` were answered yes, `answered` holds every key asked."""

    positive: frozenset[str] = frozenset()
    answered: frozenset[str] = frozenset()

    def has(self, key: str) -> bool:
        return key in self.positive


@dataclass(frozen=True)
class BloodPressure:
    systolic: int
    diastolic: int


@dataclass(frozen=True)
class PsfsItem:
    activity: str
    score: float


@dataclass(frozen=True)
class Questionnaires:
    """The answers to the questionnaires of care.instruments, each None when not given.

    The five the clinical rules read have a field of their own; any other registered
    questionnaire is only scored, and its answers sit in `others` by key.
    """

    # Items 1-8 True = agree; item 9 one of vocab.SBST_ITEM9. None = unanswered.
    start_back: tuple[bool | str | None, ...] | None = None
    odi: tuple[OdiSection, ...] | None = None
    nprs: int | None = None
    psfs: tuple[PsfsItem, ...] | None = None
    fabq: tuple[int | None, ...] | None = None
    others: tuple[tuple[str, object], ...] = ()

    @classmethod
    def named(cls) -> frozenset[str]:
        return frozenset(f.name for f in fields(cls)) - {"others"}

    def get(self, key: str) -> object:
        """The answers to one questionnaire, by its key, or None."""
        if key in self.named():
            return getattr(self, key)
        return dict(self.others).get(key)


@dataclass(frozen=True)
class Exam:
    hip_ir_left: float | None = None
    hip_ir_right: float | None = None
    hypomobile_segment: bool | None = None
    slr_left: float | None = None
    slr_right: float | None = None
    aberrant_movement: bool | None = None
    prone_instability_test: bool | None = None
    crossed_slr: bool | None = None
    neuro_deficit: bool | None = None
    irritability: str | None = None
    # direction -> response to repeated movement, e.g. {"extension": "centralises"}
    repeated_movements: tuple[tuple[str, str], ...] = ()
    symptom_course: str | None = None
    flare_24h: bool | None = None
    loads_tolerated_weeks: float | None = None  # weeks the current loads went without a flare

    def directions(self, response: str) -> tuple[str, ...]:
        return tuple(d for d, r in self.repeated_movements if r == response)


@dataclass(frozen=True)
class Lifestyle:
    work: tuple[str, ...] = ()
    activity_level: str | None = None
    goals: tuple[str, ...] = ()
    home_minutes_per_day: int | None = None
    visits_per_week: int | None = None
    goals_need_loading: bool | None = None  # work, sport or lifting at home call for loading


@dataclass(frozen=True)
class Previous:
    """Scores at an earlier time point, as they were recorded then."""

    nprs: float | None = None
    odi: float | None = None
    psfs: tuple[PsfsItem, ...] | None = None
    psfs_mean: float | None = None
    triage_tier: str | None = None
    phase: str | None = None  # the plan's current phase at that time point


@dataclass(frozen=True)
class Reported:
    """Scores recorded elsewhere (a referral letter, another clinic), marked as such: used
    where the same measure was not taken here, never mixed with our own scores."""

    source: str
    odi_percent: float | None = None
    start_back_risk: str | None = None
    nprs: int | None = None


@dataclass(frozen=True)
class Clearance:
    """SCREEN-2: referrals that put the episode on hold, and what the physician said.

    `awaiting` holds the rule ids of referrals not yet cleared (the episode is on hold while
    it is not empty); `cleared` the rule ids a physician has cleared, `cleared_findings` the
    findings they were cleared with (the same findings do not raise the hold again, new ones
    do), and `restrictions` what the physician asked to avoid (vocab.RESTRICTIONS).
    """

    awaiting: tuple[str, ...] = ()
    cleared: frozenset[str] = frozenset()
    cleared_findings: frozenset[str] = frozenset()
    restrictions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Case:
    patient: Patient = field(default_factory=Patient)
    visit: Visit = field(default_factory=Visit)
    episode: Episode = field(default_factory=Episode)
    red_flags: RedFlags = field(default_factory=RedFlags)
    conditions: frozenset[str] = frozenset()
    medicines: frozenset[str] = frozenset()
    # Whether the health history was asked at all: an absent list is unknown, not "none".
    conditions_asked: bool = False
    medicines_asked: bool = False
    blood_pressure: BloodPressure | None = None
    questionnaires: Questionnaires = field(default_factory=Questionnaires)
    exam: Exam = field(default_factory=Exam)
    lifestyle: Lifestyle = field(default_factory=Lifestyle)
    previous: Previous | None = None
    reported: Reported | None = None
    clearance: Clearance = field(default_factory=Clearance)

    def flag(self, key: str) -> bool:
        """A red-flag answer, or the matching exam finding for the neuro keys."""
        if key == "neuro_deficit" and self.exam.neuro_deficit:
            return True
        return self.red_flags.has(key)

    def answered(self, key: str) -> bool:
        """Whether a red-flag question has an answer (the exam answers the neuro key too)."""
        if key == "neuro_deficit" and self.exam.neuro_deficit is not None:
            return True
        return key in self.red_flags.answered
