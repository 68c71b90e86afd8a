"""assess(case) -> Assessment: triage, scores, change, classification, safety and the plan."""

from dataclasses import dataclass

from .change import Change, nprs_change, odi_change, psfs_change, psfs_item_changes
from .classify import Classification, classify
from .context import PlanContext
from .model import Case
from .plan import build_plan
from .plan_model import Plan
from .progression import ProgressionSuggestion, ProgressPoint, check_progression
from .safety import Verdict, facts, safety
from .scores import (
    FabqScore,
    NotScored,
    NprsScore,
    OdiScore,
    PsfsScore,
    StartBackScore,
    score_fabq,
    score_nprs,
    score_odi,
    score_psfs,
    score_start_back,
)
from .settings import DEFAULT_SETTINGS, Settings
from .triage import Triage, triage


@dataclass(frozen=True)
class Scores:
    """Each questionnaire's score, NotScored with the reason, or None when not given at all."""

    start_back: StartBackScore | NotScored | None
    odi: OdiScore | NotScored | None
    nprs: NprsScore | NotScored | None
    psfs: PsfsScore | NotScored | None
    fabq: FabqScore | NotScored | None


@dataclass(frozen=True)
class Assessment:
    triage: Triage
    scores: Scores
    change: tuple[Change, ...]
    progression: ProgressionSuggestion | None
    classification: Classification
    safety: tuple[Verdict, ...]
    plan: Plan
    not_computed: tuple[str, ...]


def score_all(case: Case, settings: Settings = DEFAULT_SETTINGS) -> Scores:
    q = case.questionnaires
    return Scores(
        start_back=None if q.start_back is None else score_start_back(q.start_back),
        odi=None if q.odi is None else score_odi(q.odi, settings),
        nprs=None if q.nprs is None else score_nprs(q.nprs),
        psfs=None if q.psfs is None else score_psfs(q.psfs),
        fabq=None if q.fabq is None else score_fabq(q.fabq, settings),
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


def _progression(case: Case, scores: Scores, settings: Settings) -> ProgressionSuggestion | None:
    prev = case.previous
    if prev is None:
        return None
    current = ProgressPoint(
        nprs=scores.nprs.score if isinstance(scores.nprs, NprsScore) else None,
        odi=scores.odi.percent if isinstance(scores.odi, OdiScore) else None,
        symptom_course=case.exam.symptom_course,
        flare_24h=case.exam.flare_24h,
    )
    return check_progression(ProgressPoint(nprs=prev.nprs, odi=prev.odi), current, settings)


def _not_computed(scores: Scores, classification: Classification) -> tuple[str, ...]:
    out = [
        s.reason
        for s in (scores.start_back, scores.odi, scores.nprs, scores.psfs, scores.fabq)
        if isinstance(s, NotScored)
    ]
    if isinstance(scores.fabq, FabqScore):
        out += [s.reason for s in (scores.fabq.physical_activity, scores.fabq.work)
                if isinstance(s, NotScored)]  # fmt: skip
    names = {"start_back": "STarT Back", "odi": "ODI", "nprs": "NPRS", "psfs": "PSFS"}
    out += [f"{label} not given" for key, label in names.items() if getattr(scores, key) is None]
    if classification.stage.stage is None:
        out += list(classification.stage.reasons)
    for rule in (classification.manipulation_rule, classification.stabilisation_rule):
        unknown = [c.rule_id for c in rule.criteria if c.met is None]
        if unknown:
            out.append(f"{rule.rule_id}: not recorded for {', '.join(unknown)}")
    return tuple(out)


def assess(case: Case, settings: Settings = DEFAULT_SETTINGS) -> Assessment:
    """The whole clinical picture for one visit. Pure: same case, same answer."""
    screen = triage(case, settings)
    scores = score_all(case, settings)
    nprs = scores.nprs.score if isinstance(scores.nprs, NprsScore) else None
    classification = classify(case, scores.odi, nprs, scores.fabq)
    verdicts = safety(case, screen)
    sbst = scores.start_back.risk if isinstance(scores.start_back, StartBackScore) else None
    ctx = PlanContext(
        case=case,
        settings=settings,
        triage=screen,
        verdicts={v.intervention: v for v in verdicts},
        facts=facts(case, screen),
        classification=classification,
        start_back_risk=sbst,
    )
    progress = _progression(case, scores, settings)
    return Assessment(
        triage=screen,
        scores=scores,
        change=changes(case, scores, settings),
        progression=progress,
        classification=classification,
        safety=verdicts,
        plan=build_plan(ctx, progress),
        not_computed=_not_computed(scores, classification),
    )
