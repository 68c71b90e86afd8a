"""Red-flag triage (rules RF-*), run at every visit: the most urgent tier any rule fires wins.

An unanswered question is unknown, never "no" (SCREEN-1, screen.py): with a domain still open
and nothing more urgent, the outcome is "screening incomplete", not "proceed". After a referral
the episode waits for a medical clearance (SCREEN-2); the findings a physician has cleared do
not raise the referral again, new ones do.

Sources: IFOMPT framework (Finucane 2020), Downie 2013, NHS red flags, BMJ Best Practice (cauda
equina), ASAS (Sieper 2009), NICE NG156 (AAA), NICE NG234 (spinal metastases).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from . import vocab
from .facts import case_facts
from .labels import fact_label
from .model import Case
from .screen import Screen, screen
from .settings import DEFAULT_SETTINGS, Settings

EMERGENCY = "EMERGENCY_SAME_DAY"
URGENT = "URGENT_REFERRAL"
ROUTINE = "ROUTINE_REFERRAL"
INCOMPLETE = "SCREENING_INCOMPLETE"
MONITOR = "MONITOR"
NONE = "NONE"
TIERS = (EMERGENCY, URGENT, ROUTINE, INCOMPLETE, MONITOR, NONE)  # most cautious first
REFERRAL_TIERS = (EMERGENCY, URGENT)  # these put the episode on hold (SCREEN-2)

TIER_ACTIONS = {
    EMERGENCY: "Stop: no booking, no treatment plan, no home exercises. Tell the person to go to "
    "an emergency department now, and tell the staff on duty.",
    URGENT: "Contact the physician today. Hold thrust manipulation and vigorous manual therapy; "
    "plan only what is safe meanwhile. Later visits wait for a medical clearance.",
    ROUTINE: "Refer to rheumatology (routine). Exercise continues.",
    INCOMPLETE: "Screening incomplete: ask about every open red-flag domain (in the intake, or "
    "in person at the evaluation) before treating. Meanwhile any plan is provisional: no "
    "thrust, no heat or deep pressure over the spine, no loaded exercise.",
    MONITOR: "Document it and re-screen at every visit.",
    NONE: "No red flags fired and every domain was asked: proceed, and re-screen at every visit.",
}
ON_HOLD_ACTION = (
    "On hold until a medical clearance is recorded: record findings and give education only; "
    "no other treatment at this visit."
)


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    tier: str
    reason: str
    action: str
    findings: tuple[str, ...] = ()  # the fact keys that made it fire
    heuristic: bool = False
    cleared: bool = False  # a physician cleared these same findings: watch, do not refer again


@dataclass(frozen=True)
class Triage:
    tier: str
    action: str
    fired: tuple[FiredRule, ...]
    not_asked: tuple[str, ...]
    screen: Screen
    on_hold: tuple[str, ...]  # referrals awaiting a medical clearance (SCREEN-2)
    notes: tuple[str, ...]
    visit_kind: str
    visit_number: int
    changed_from: str | None  # the previous visit's tier, when this visit changed it

    @property
    def active(self) -> tuple[FiredRule, ...]:
        """The fired rules a clearance does not cover: these decide the tier and safety."""
        return tuple(rule for rule in self.fired if not rule.cleared)


@dataclass(frozen=True)
class Inputs:
    case: Case
    settings: Settings
    facts: frozenset[str]

    def has(self, key: str) -> bool:
        return key in self.facts

    def found(self, keys: tuple[str, ...]) -> list[str]:
        return [k for k in keys if k in self.facts]


Check = Callable[[Inputs], FiredRule | None]


def _ces(c: Inputs) -> FiredRule | None:
    found = c.found(vocab.CES_KEYS)
    if not found:
        return None
    action = "Emergency department now: assessment within hours, MRI within 4 hours."
    return FiredRule("RF-CES", EMERGENCY, f"cauda equina picture: {_names(found)}", action,
                     tuple(found))  # fmt: skip


def _neuro(c: Inputs) -> FiredRule | None:
    if not c.has("progressive_motor_deficit"):
        return None
    return FiredRule("RF-NEURO", EMERGENCY, "new or progressive motor deficit",
                     "Emergency department now for same-day neurological assessment.",
                     ("progressive_motor_deficit",))  # fmt: skip


def infection_risks(c: Inputs) -> list[str]:
    """RF-INFECTION risk factors; diabetes raises the risk of spinal infection (IFOMPT)."""
    return c.found((*vocab.INFECTION_RISK_KEYS, "immunosuppressant", "diabetes"))


def _infection(c: Inputs) -> FiredRule | None:
    risks = infection_risks(c)
    if not (c.has("fever_or_unwell") and risks):
        return None
    return FiredRule("RF-INFECTION", EMERGENCY, f"fever or unwell with {_names(risks)}",
                     "Emergency department now: possible spinal infection.",
                     ("fever_or_unwell", *risks))  # fmt: skip


def vascular_risk(c: Inputs) -> list[str]:
    """RF-AAA risk factors: age over 60, smoking, hypertension (history or a reading >= 140/90)."""
    age = c.case.patient.age
    found = ["age_over_60"] if age is not None and age > 60 else []
    return found + c.found(("smoker", "hypertension"))


def _aaa(c: Inputs) -> FiredRule | None:
    signs = c.found(("pulsatile_abdominal_mass", "collapse"))
    risks = vascular_risk(c)
    if c.has("tearing_pain") and risks:
        signs += ["tearing_pain", *risks]
    if not signs:
        return None
    return FiredRule("RF-AAA", EMERGENCY, f"possible aortic aneurysm: {_names(signs)}",
                     "Call emergency services now; do not send the person on alone.",
                     tuple(signs))  # fmt: skip


def _trauma(c: Inputs) -> FiredRule | None:
    if not (c.has("major_trauma") and c.has("midline_pain")):
        return None
    return FiredRule("RF-TRAUMA", EMERGENCY, "major trauma with midline spinal pain",
                     "Emergency department now; keep the spine still.",
                     ("major_trauma", "midline_pain"))  # fmt: skip


def cancer_signs(c: Inputs) -> list[str]:
    """Each of these alone raises RF-CANCER (RULES section 1; NICE NG234; Downie 2013)."""
    return c.found(("cancer_history", "malignancy_in_area", "unexplained_weight_loss",
                    "night_pain_persistent", "no_improvement_4_weeks"))  # fmt: skip


def non_mechanical_picture(c: Inputs) -> list[str]:
    """Constant, non-mechanical pain with another feature of serious disease (night pain, not
    eased by lying down, age over 50). Flags weigh in combination (Finucane 2020)."""
    if not c.has("non_mechanical_pain"):
        return []
    age = c.case.patient.age
    extra = c.found(("night_pain", "pain_not_relieved_by_lying"))
    extra += ["age_over_50"] if age is not None and age > 50 else []
    return ["non_mechanical_pain", *extra] if extra else []


def _malignancy_signs(c: Inputs) -> list[str]:
    return cancer_signs(c) + non_mechanical_picture(c)


def _neuro_signs(c: Inputs) -> list[str]:
    return c.found(("neuro_deficit", "progressive_motor_deficit"))


def _mscc(c: Inputs) -> FiredRule | None:
    signs, neuro = _malignancy_signs(c), _neuro_signs(c)
    if not (signs and neuro):
        return None
    return FiredRule("RF-MSCC", EMERGENCY,
                     f"cancer flags ({_names(signs)}) with a neurological deficit",
                     "Emergency: possible spinal cord compression; contact the acute oncology "
                     "or emergency team now.", tuple(signs + neuro))  # fmt: skip


def _cancer(c: Inputs) -> FiredRule | None:
    signs = _malignancy_signs(c)
    if not signs:
        return None
    return FiredRule("RF-CANCER", URGENT, f"cancer flags: {_names(signs)}",
                     "Contact the physician today (NICE NG234: urgent imaging).", tuple(signs),
                     heuristic=not cancer_signs(c))  # fmt: skip


def _non_mechanical_alone(c: Inputs) -> FiredRule | None:
    if not c.has("non_mechanical_pain") or non_mechanical_picture(c):
        return None
    return FiredRule("RF-NONMECH", MONITOR, "constant, non-mechanical pain without another "
                     "feature of serious disease", "Ask again at every visit about night pain, "
                     "weight loss and pain at rest.", ("non_mechanical_pain",),
                     heuristic=True)  # fmt: skip


def fragility(c: Inputs) -> list[str]:
    """RF-FRACTURE fragility factors: older age (setting), osteoporosis (or a fragility
    fracture, or a T-score at or below -2.5), long-term corticosteroids."""
    age = c.case.patient.age
    old = ["fracture_age"] if age is not None and age >= c.settings.fracture_age else []
    return old + c.found(("osteoporosis", "corticosteroid_long_term"))


def fracture_events(c: Inputs) -> tuple[list[str], list[str]]:
    """(significant trauma, minor events): the events that can break a fragile vertebra."""
    significant = ["major_trauma"] if c.has("major_trauma") and not c.has("midline_pain") else []
    causes = [cause for cause in ("fall", "lifting") if cause in c.case.episode.causes]
    return significant, c.found(("minor_trauma", "sudden_severe_central_pain")) + causes


def recent_or_sudden(c: Inputs) -> bool:
    """A new or suddenly worse episode; an unknown onset counts as new (unknown is not "no")."""
    days = c.case.episode.duration_days
    recent = days is None or days <= c.settings.fracture_recent_days
    return recent or c.has("sudden_severe_central_pain")


def _fracture(c: Inputs) -> FiredRule | None:
    """A new or suddenly worse episode with significant trauma, or with a minor trauma, strain
    or sudden severe central pain in a person with a fragility factor (RULES section 1).
    Fragility factors alone are precautions (CI-OSTEO), never a referral."""
    significant, minor = fracture_events(c)
    factors = fragility(c)
    events = significant + (minor if factors else [])
    if not (events and recent_or_sudden(c)):
        return None
    findings = events + factors
    reason = f"fracture picture: {_names(findings)}"
    neuro = _neuro_signs(c)
    if neuro:
        return FiredRule("RF-FRACTURE-NEURO", EMERGENCY, f"{reason}, with neurological signs",
                         "Emergency department now: possible unstable fracture.",
                         tuple(findings + neuro))  # fmt: skip
    return FiredRule("RF-FRACTURE", URGENT, f"{reason}, no neurological signs",
                     "Contact the physician today for fracture imaging; no spinal loading "
                     "or manipulation meanwhile.", tuple(findings))  # fmt: skip


def _dvt(c: Inputs) -> FiredRule | None:
    if not c.has("suspected_dvt"):
        return None
    return FiredRule("RF-DVT", URGENT, "signs suggesting deep vein thrombosis",
                     "Contact the physician today; no massage, heat or resistance exercise "
                     "until it is excluded.", ("suspected_dvt",))  # fmt: skip


def _dvt_risk(c: Inputs) -> FiredRule | None:
    if not c.has("thrombosis_risk") or c.has("suspected_dvt"):
        return None
    return FiredRule("RF-DVT-RISK", MONITOR, "a raised risk of a blood clot",
                     "Ask about calf swelling, warmth or pain at every visit.",
                     ("thrombosis_risk",), heuristic=True)  # fmt: skip


def asas_criteria(c: Inputs) -> list[str]:
    """The ASAS criteria met; onset before 40 is worked out from age and duration if not asked."""
    met = c.found(vocab.ASAS_KEYS)
    age, days = c.case.patient.age, c.case.episode.duration_days
    asked = "asas_onset_before_40" in c.case.red_flags.answered
    if not asked and age is not None and days is not None and age - days / 365.25 < 40:
        met.insert(0, "asas_onset_before_40")
    return met


def _axspa(c: Inputs) -> FiredRule | None:
    days, met = c.case.episode.duration_days, asas_criteria(c)
    if days is None or days <= 90 or len(met) < 4:
        return None
    return FiredRule("RF-AXSPA", ROUTINE,
                     f"inflammatory back pain: {days} days with {len(met)} of 5 ASAS criteria",
                     "Refer to rheumatology (routine); exercise continues.",
                     tuple(met))  # fmt: skip


def _age(c: Inputs) -> FiredRule | None:
    age, s = c.case.patient.age, c.settings
    if age is None or s.age_under <= age <= s.age_over:
        return None
    side = f"over {s.age_over}" if age > s.age_over else f"under {s.age_under}"
    return FiredRule("RF-AGE", MONITOR, f"age {age} is {side} (a weak flag alone)",
                     "Document; re-screen at every visit.")  # fmt: skip


CHECKS: tuple[Check, ...] = (
    _ces, _neuro, _infection, _aaa, _trauma, _mscc, _fracture, _cancer, _non_mechanical_alone,
    _dvt, _dvt_risk, _axspa, _age,
)  # fmt: skip


def _names(keys: list[str]) -> str:
    return ", ".join(fact_label(k) for k in keys)


def _notes(c: Inputs) -> tuple[str, ...]:
    notes = []
    if c.case.patient.age is None:
        notes.append("RF-AGE not evaluated: age unknown")
    if c.case.episode.duration_days is None:
        notes.append("RF-AXSPA not evaluated: episode duration unknown")
    if c.has("tearing_pain") and not vascular_risk(c):
        notes.append("tearing pain without recorded vascular risk: RF-AAA did not fire; reassess")
    return tuple(notes)


def _cleared(rule: FiredRule, case: Case) -> FiredRule:
    """A rule a physician cleared stays listed; only new findings make it a referral again."""
    clearance = case.clearance
    if rule.rule_id in clearance.cleared and set(rule.findings) <= clearance.cleared_findings:
        return replace(rule, tier=MONITOR, cleared=True,
                       action="Cleared by the physician for these findings: watch, and ask "
                       "again at every visit.")  # fmt: skip
    return rule


def _tier(fired: tuple[FiredRule, ...], complete: bool) -> str:
    tiers = [r.tier for r in fired] + ([] if complete else [INCOMPLETE])
    return min(tiers, key=TIERS.index, default=NONE)


def triage(case: Case, settings: Settings = DEFAULT_SETTINGS) -> Triage:
    """Screen this visit's answers. A flag that is new at a follow-up changes this visit's tier."""
    c = Inputs(case, settings, case_facts(case, settings))
    fired = tuple(_cleared(rule, case) for check in CHECKS if (rule := check(c)) is not None)
    # RF-CANCER is subsumed by RF-MSCC when both fire; keep both so the reason trail is complete.
    screened = screen(case, (r.rule_id for r in fired), settings)
    tier = _tier(fired, screened.complete)
    previous = case.previous.triage_tier if case.previous else None
    on_hold = case.clearance.awaiting
    return Triage(
        tier=tier,
        action=ON_HOLD_ACTION if on_hold and tier not in REFERRAL_TIERS else TIER_ACTIONS[tier],
        fired=fired,
        not_asked=tuple(k for k in vocab.RED_FLAGS if not case.answered(k)),
        screen=screened,
        on_hold=on_hold,
        notes=_notes(c),
        visit_kind=case.visit.kind,
        visit_number=case.visit.number,
        changed_from=previous if previous is not None and previous != tier else None,
    )
