"""assess(case) -> Assessment: triage, scores, change, classification, safety and the plan."""

from dataclasses import dataclass

from .change import Change
from .classify import Classification, classify
from .context import PlanContext
from .homeprog import home_programme
from .instruments import REGISTRY
from .instruments.base import NotScored, reasons
from .instruments.fabq import FabqScore
from .instruments.nprs import NprsScore, nprs_change
from .instruments.odi import OdiScore, odi_band, odi_change
from .instruments.psfs import PsfsScore, psfs_change, psfs_item_changes
from .instruments.start_back import StartBackScore
from .model import Case, Reported
from .plan import build_plan
from .plan_model import HomeProgramme, Plan
from .progression import ProgressionSuggestion, ProgressPoint, check_progression
from .safety import ExerciseVerdict, Verdict, exercise_safety, facts, safety
from .settings import DEFAULT_SETTINGS, Settings
from .triage import EMERGENCY, Triage, triage


@dataclass(frozen=True)
class Scores:
    """Each questionnaire's score, NotScored with the reason, or None when not given at all.

    The five the clinical rules read have a field of their own; every other registered
    questionnaire that was given is in `others` by key.
    """

    start_back: StartBackScore | NotScored | None
    odi: OdiScore | NotScored | None
    nprs: NprsScore | NotScored | None
    psfs: PsfsScore | NotScored | None
    fabq: FabqScore | NotScored | None
    reported: Reported | None = None  # recorded elsewhere, used only where ours is missing
    others: tuple[tuple[str, object], ...] = ()

    def get(self, key: str) -> object:
        """One questionnaire's score by its key (care.instruments), or None when not given."""
        if key in ("start_back", "odi", "nprs", "psfs", "fabq"):
            return getattr(self, key)
        return dict(self.others).get(key)


@dataclass(frozen=True)
class Assessment:
    triage: Triage
    scores: Scores
    change: tuple[Change, ...]
    progression: ProgressionSuggestion | None
    classification: Classification
    safety: tuple[Verdict, ...]
    exercise_safety: tuple[ExerciseVerdict, ...]
    plan: Plan
    not_computed: tuple[str, ...]


def score_all(case: Case, settings: Settings = DEFAULT_SETTINGS) -> Scores:
    """Every questionnaire given, scored by its own instrument (care.instruments)."""
    given = ((i, case.questionnaires.get(i.key)) for i in REGISTRY)
    scored = {i.key: i.score(answers, settings) for i, answers in given if answers is not None}
    return Scores(
        start_back=scored.pop("start_back", None),
        odi=scored.pop("odi", None),
        nprs=scored.pop("nprs", None),
        psfs=scored.pop("psfs", None),
        fabq=scored.pop("fabq", None),
        reported=case.reported,
        others=tuple(scored.items()),
    )


def changes(
    case: Case, scores: Scores, settings: Settings = DEFAULT_SETTINGS
) -> tuple[Change, ...]:
    """Change from the previous time point for every measure scored at both."""
    prev = case.previous
    if prev is None:
        return ()
    out: list[Change] = []
    if prev.nprs is not None and isinstance(scores.nprs, NprsScore):
        out.append(nprs_change(prev.nprs, scores.nprs.score, settings))
    if prev.odi is not None and isinstance(scores.odi, OdiScore):
        out.append(odi_change(prev.odi, scores.odi.percent, settings))
    if isinstance(scores.psfs, PsfsScore):
        base = prev.psfs_mean
        if base is None and prev.psfs:
            base = round(sum(i.score for i in prev.psfs) / len(prev.psfs), 2)
        if base is not None:
            out.append(psfs_change(base, scores.psfs.mean, settings))
        if prev.psfs:
            out += psfs_item_changes(prev.psfs, scores.psfs.items, settings)
    return tuple(out)


def goals_need_loading(case: Case) -> bool | None:
    """PROG-2's "goals call for it": as recorded, or yes for manual work (lifting is the job)."""
    recorded = case.lifestyle.goals_need_loading
    return True if recorded is None and "manual" in case.lifestyle.work else recorded


def _progression(case: Case, scores: Scores, settings: Settings) -> ProgressionSuggestion | None:
    prev = case.previous
    if prev is None:
        return None
    psfs = scores.psfs.items if isinstance(scores.psfs, PsfsScore) else None
    current = ProgressPoint(
        nprs=scores.nprs.score if isinstance(scores.nprs, NprsScore) else None,
        odi=scores.odi.percent if isinstance(scores.odi, OdiScore) else None,
        symptom_course=case.exam.symptom_course,
        flare_24h=case.exam.flare_24h,
        psfs_scores=tuple(i.score for i in psfs) if psfs else None,
        weeks_tolerated=case.exam.loads_tolerated_weeks,
        goals_need_loading=goals_need_loading(case),
    )
    base = ProgressPoint(nprs=prev.nprs, odi=prev.odi)
    return check_progression(base, current, settings, prev.phase or "symptom_relief")


def _not_computed(scores: Scores, classification: Classification) -> tuple[str, ...]:
    out = [reason for i in REGISTRY for reason in reasons(scores.get(i.key))]
    out += [i.not_given for i in REGISTRY if i.not_given and scores.get(i.key) is None]
    if scores.reported:
        out.append(f"scores recorded elsewhere ({scores.reported.source}) are used only where "
                   "the same measure was not taken here")  # fmt: skip
    if classification.stage.stage is None:
        out += list(classification.stage.reasons)
    for rule in (classification.manipulation_rule, classification.stabilisation_rule):
        unknown = [c.rule_id for c in rule.criteria if c.met is None]
        if unknown:
            out.append(f"{rule.rule_id}: not recorded for {', '.join(unknown)}")
    return tuple(out)


def _start_back_risk(scores: Scores) -> str | None:
    """Our own STarT Back risk; else one recorded elsewhere (the intensity says which)."""
    if isinstance(scores.start_back, StartBackScore):
        return scores.start_back.risk
    return scores.reported.start_back_risk if scores.reported else None


def _reported_source(scores: Scores) -> str | None:
    """Where the STarT Back risk in use was recorded, when it was not scored here."""
    if isinstance(scores.start_back, StartBackScore) or scores.reported is None:
        return None
    return scores.reported.source


def _stage_inputs(scores: Scores) -> tuple[OdiScore | NotScored | None, int | None]:
    """ODI and NPRS for staging: ours, else the ones recorded elsewhere."""
    odi, reported = scores.odi, scores.reported
    nprs = scores.nprs.score if isinstance(scores.nprs, NprsScore) else None
    if not isinstance(odi, OdiScore) and reported and reported.odi_percent is not None:
        odi = OdiScore(reported.odi_percent, odi_band(reported.odi_percent), 0, 0, 0, 0, (),
                       ("ODI-REPORTED",))  # fmt: skip
    if nprs is None and reported:
        nprs = reported.nprs
    return odi, nprs


def _context(case: Case, settings: Settings, scores: Scores) -> PlanContext:
    screen = triage(case, settings)
    classification = classify(case, *_stage_inputs(scores), scores.fabq)
    verdicts = safety(case, screen, settings)
    exercises = exercise_safety(case, screen, settings)
    return PlanContext(
        case=case,
        settings=settings,
        triage=screen,
        verdicts={v.intervention: v for v in verdicts},
        exercise_verdicts={v.exercise: v for v in exercises},
        facts=facts(case, screen, settings),
        classification=classification,
        start_back_risk=_start_back_risk(scores),
        start_back_source=_reported_source(scores),
    )


def home_programme_for(
    case: Case, phase: str, settings: Settings = DEFAULT_SETTINGS
) -> HomeProgramme | None:
    """The home programme for one phase of the plan, as `assess` would build it: used when
    the therapist accepts a move to the next phase. None when triage withholds any plan."""
    ctx = _context(case, settings, score_all(case, settings))
    if ctx.triage.tier == EMERGENCY:
        return None
    return home_programme(ctx, phase)


def assess(case: Case, settings: Settings = DEFAULT_SETTINGS) -> Assessment:
    """The whole clinical picture for one visit. Pure: same case, same answer."""
    scores = score_all(case, settings)
    ctx = _context(case, settings, scores)
    progress = _progression(case, scores, settings)
    return Assessment(
        triage=ctx.triage,
        scores=scores,
        change=changes(case, scores, settings),
        progression=progress,
        classification=ctx.classification,
        safety=tuple(ctx.verdicts.values()),
        exercise_safety=tuple(ctx.exercise_verdicts.values()),
        plan=build_plan(ctx, progress),
        not_computed=_not_computed(scores, ctx.classification),
    )
