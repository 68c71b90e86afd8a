"""A person's whole record, gathered through the access selectors of the one who asks.

The patient comes from an access check (`own_patient_record`, `get_patient_for`); every row
below is then read through the selectors that take the acting user, so a member of staff
exports what they may see of the person, and a person everything that is theirs.

Work in progress is left out: a plan of care before it is signed, an evaluation before it is
marked final and a visit note before it is signed are the therapist's drafts, not yet part of
the record.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from unknot.accounts.models import AnyUser
from unknot.billing.models import ChargeLine, Claim
from unknot.billing.selectors import charges_readable_by, claims_readable_by
from unknot.booking.models import Appointment
from unknot.booking.selectors import appointments_visible_to
from unknot.coverage.models import Coverage, SelfPay
from unknot.coverage.selectors import coverages_visible_to, self_pays_visible_to
from unknot.fhir.clinical import SHOWN
from unknot.patients.models import Patient
from unknot.plans.home.selectors import ProgrammeItem, programmes
from unknot.plans.models import ExerciseLog, PlanGoal, PlanOfCare
from unknot.records.models import Episode, Evaluation, Intake, OutcomeScore, Visit
from unknot.records.selectors import episodes_visible_to


@dataclass(frozen=True)
class PatientRecord:
    patient: Patient
    episodes: list[Episode]
    appointments: list[Appointment]
    intakes: list[Intake]
    scores: list[OutcomeScore]
    plans: list[PlanOfCare]  # signed, and versions replaced by a newer signed one
    goals: list[PlanGoal]
    programmes: list[tuple[PlanOfCare, list[ProgrammeItem]]]  # each plan's home exercises
    logs: list[ExerciseLog]
    evaluations: list[Evaluation]
    visits: list[Visit]
    # Billing, as the reader may see it: staff of the clinic see the coverages, the billing
    # office the charges and claims; the person their coverages and approved or billed visits.
    coverages: list[Coverage]
    self_pays: list[SelfPay]
    charge_lines: list[ChargeLine]
    claims: list[Claim]


def record_for(user: AnyUser, patient: Patient) -> PatientRecord:
    """Everything `user` may see of `patient`, oldest first in each list."""
    episodes = list(episodes_visible_to(user).filter(patient=patient).order_by("opened_at", "pk"))
    plans = list(
        PlanOfCare.objects.filter(episode__in=episodes, status__in=SHOWN)
        .select_related("episode__patient", "episode__clinic", "signed_by__user")
        .prefetch_related(Prefetch("goals", queryset=PlanGoal.objects.order_by("pk")))
        .order_by("episode_id", "version")
    )
    return PatientRecord(
        patient=patient,
        episodes=episodes,
        appointments=list(
            appointments_visible_to(user).filter(patient=patient).order_by("start", "pk")
        ),
        intakes=list(
            Intake.objects.filter(episode__in=episodes)
            .select_related("episode__patient")
            .order_by("pk")
        ),
        scores=list(
            OutcomeScore.objects.filter(episode__in=episodes)
            .select_related("episode__patient", "episode__intake")
            .order_by("measured_on", "pk")
        ),
        plans=plans,
        goals=[goal for plan in plans for goal in plan.goals.all()],
        programmes=programmes(plans),
        logs=list(
            ExerciseLog.objects.filter(episode__in=episodes)
            .select_related("episode__patient")
            .order_by("performed_on", "pk")
        ),
        evaluations=list(
            Evaluation.objects.filter(episode__in=episodes, is_final=True)
            .select_related("therapist__user", "episode__clinic", "episode__patient")
            .order_by("performed_on", "pk")
        ),
        visits=list(
            Visit.objects.filter(episode__in=episodes, signed_at__isnull=False)
            .select_related("therapist__user", "episode__clinic", "episode__patient")
            .prefetch_related("interventions")
            .order_by("performed_on", "number", "pk")
        ),
        coverages=list(
            coverages_visible_to(user).filter(patient=patient).order_by("priority", "pk")
        ),
        self_pays=list(self_pays_visible_to(user).filter(patient=patient)),
        charge_lines=list(
            ChargeLine.objects.filter(charge__in=charges_readable_by(user).filter(patient=patient))
            .select_related("charge__patient", "charge__rendering__user")
            .order_by("charge__service_date", "charge_id", "code", "pk")
        ),
        claims=list(claims_readable_by(user).filter(patient=patient).order_by("created_at", "pk")),
    )
