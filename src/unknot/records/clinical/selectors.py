"""Reads for the clinical record's own pages (evaluations, referrals) and the access rule
every row of an episode is reached through: `in_visible_episode`, after `get_episode_for`.

Plans, visits, the chart and the caseload are read in the plans app's selectors.
"""

from dataclasses import dataclass, field
from typing import Any

from unknot import care
from unknot.accounts.access import ensure_may_write
from unknot.accounts.models import AnyUser
from unknot.audit.reads import one_visible_or_404
from unknot.care.instruments import FOLLOWED, REGISTRY, Measure
from unknot.care.instruments.psfs import PsfsScore
from unknot.records.clinical import mapping
from unknot.records.models import Episode, Evaluation, Intake, MedicalHold, OutcomeScore
from unknot.records.selectors import episodes_visible_to


def intake_of(episode: Episode) -> Intake | None:
    return Intake.objects.filter(episode=episode).first()


def in_visible_episode(
    model: Any, user: AnyUser, pk: int, related: tuple[str, ...], what: str, kind: str
) -> Any:
    """A row of an episode the user may see, or 404: the rule behind the `get_*_for` of the
    rows inside an episode (evaluations, referrals, plans, visits). The read, or the refusal,
    is recorded under `kind`, the name the trail gives the row's writes, with its patient."""
    rows = model.objects.select_related("episode__patient", "episode__clinic", *related)
    rows = rows.filter(episode__in=episodes_visible_to(user))
    return one_visible_or_404(rows, user, kind, pk, name=what)


def get_evaluation_for(user: AnyUser, evaluation_id: int) -> Evaluation:
    return in_visible_episode(
        Evaluation, user, evaluation_id, ("therapist__user",), "evaluation", kind="evaluation"
    )


def get_evaluation_for_rw(user: AnyUser, evaluation_id: int) -> Evaluation:
    found = get_evaluation_for(user, evaluation_id)
    ensure_may_write(user)
    return found


def get_hold_for_rw(user: AnyUser, hold_id: int) -> MedicalHold:
    found = in_visible_episode(
        MedicalHold, user, hold_id, ("opened_by__user",), "referral", kind="medical_hold"
    )
    ensure_may_write(user)
    return found


def latest_evaluation(episode: Episode) -> Evaluation | None:
    return episode.evaluations.order_by("-performed_on", "-pk").first()


@dataclass(frozen=True)
class Baseline:
    """The first value of each followed measure (`care.instruments.FOLLOWED`, by its key): what
    goals and meaningful change are judged against."""

    values: dict[str, float] = field(default_factory=dict)
    psfs_items: tuple[dict[str, Any], ...] = ()  # the activities the person chose

    def of(self, key: str) -> float | None:
        return self.values.get(key)

    @property
    def nprs(self) -> float | None:
        return self.of("nprs")

    @property
    def odi(self) -> float | None:
        return self.of("odi")

    @property
    def psfs(self) -> float | None:
        return self.of("psfs")

    @property
    def shown(self) -> list[tuple[Measure, float | None]]:
        """Every followed measure with its baseline (None where there is none), in order."""
        return [(m, self.of(m.key)) for m in FOLLOWED]


_FOLLOWED = tuple(m.key for m in FOLLOWED)


def _scored_intake(episode: Episode, intake: Intake | None) -> Baseline:
    if intake is None:
        return Baseline()
    try:
        case = care.parse_case(
            mapping.base_case(
                intake.answers, episode.patient.date_of_birth, episode.opened_at.date()
            )
        )
    except care.CaseError:
        return Baseline()
    scores = care.score_all(case)
    rows = (row for i in REGISTRY for row in i.rows(scores.get(i.key)))
    items = scores.psfs.items if isinstance(scores.psfs, PsfsScore) else ()
    return Baseline(
        values={row.measure: row.value for row in rows if row.measure in _FOLLOWED},
        psfs_items=tuple({"activity": i.activity, "score": i.score} for i in items),
    )


# Scores taken before treatment began; visit and re-assessment scores are measured against them.
BASELINE_SOURCES = ("intake", "evaluation")


def baseline(episode: Episode, intake: Intake | None) -> Baseline:
    """The earliest pre-treatment score per measure; the intake scored by the core otherwise."""
    first: dict[str, OutcomeScore] = {}
    stored = episode.scores.filter(instrument__in=_FOLLOWED, source__in=BASELINE_SOURCES)
    for score in stored:
        first.setdefault(score.instrument, score)
    scored = _scored_intake(episode, intake)
    psfs = first.get("psfs")
    return Baseline(
        values=scored.values | {key: score.value for key, score in first.items()},
        psfs_items=tuple(psfs.details.get("items", ())) if psfs else scored.psfs_items,
    )
