"""Red-flag triage (rules RF-*), run at every visit: the most urgent tier any rule fires wins.

Sources: IFOMPT framework (Finucane 2020), Downie 2013, NHS red flags, BMJ Best Practice (cauda
equina), ASAS (Sieper 2009), NICE NG156 (AAA), NICE NG234 (spinal metastases).
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import vocab
from .model import Case
from .settings import DEFAULT_SETTINGS, Settings

EMERGENCY = "EMERGENCY_SAME_DAY"
URGENT = "URGENT_REFERRAL"
ROUTINE = "ROUTINE_REFERRAL"
MONITOR = "MONITOR"
NONE = "NONE"
TIERS = (EMERGENCY, URGENT, ROUTINE, MONITOR, NONE)  # most urgent first

TIER_ACTIONS = {
    EMERGENCY: "Stop: no booking, no treatment plan, no home exercises. Tell the person to go to "
    "an emergency department now, and tell the staff on duty.",
    URGENT: "Contact the physician today. Hold thrust manipulation and vigorous manual therapy; "
    "plan only what is safe meanwhile.",
    ROUTINE: "Refer to rheumatology (routine). Exercise continues.",
    MONITOR: "Document it and re-screen at every visit.",
    NONE: "No red flags fired: proceed, and re-screen at every visit.",
}


@dataclass(frozen=True)
class FiredRule:
    rule_id: str
    tier: str
    reason: str
    action: str


@dataclass(frozen=True)
class Triage:
    tier: str
    action: str
    fired: tuple[FiredRule, ...]
    not_asked: tuple[str, ...]
    notes: tuple[str, ...]
    visit_kind: str
    visit_number: int
    changed_from: str | None  # the previous visit's tier, when this visit changed it


Check = Callable[[Case, Settings], FiredRule | None]


def _positive(case: Case, keys: tuple[str, ...]) -> list[str]:
    return [k for k in keys if case.flag(k)]


def _ces(case: Case, _: Settings) -> FiredRule | None:
    found = _positive(case, vocab.CES_KEYS)
    if not found:
        return None
    action = "Emergency department now: assessment within hours, MRI within 4 hours."
    return FiredRule("RF-CES", EMERGENCY, f"cauda equina picture: {', '.join(found)}", action)


def _neuro(case: Case, _: Settings) -> FiredRule | None:
    if not case.flag("progressive_motor_deficit"):
        return None
    return FiredRule("RF-NEURO", EMERGENCY, "new or progressive motor deficit",
                     "Emergency department now for same-day neurological assessment.")  # fmt: skip


def _infection(case: Case, _: Settings) -> FiredRule | None:
    risks = _positive(case, vocab.INFECTION_RISK_KEYS)
    if "immunosuppressant" in case.medicines:
        risks.append("immunosuppressant medicine")
    if not (case.flag("fever_or_unwell") and risks):
        return None
    return FiredRule("RF-INFECTION", EMERGENCY, f"fever or unwell with {', '.join(risks)}",
                     "Emergency department now: possible spinal infection.")  # fmt: skip


def vascular_risk(case: Case) -> list[str]:
    """RF-AAA risk factors: age over 60, smoking, hypertension (history or a reading >= 140/90)."""
    bp = case.blood_pressure
    high_bp = bp is not None and (bp.systolic >= 140 or bp.diastolic >= 90)
    found = [
        ("age over 60", case.patient.age is not None and case.patient.age > 60),
        ("smoker", case.flag("smoker")),
        ("hypertension", "hypertension" in case.conditions or high_bp),
    ]
    return [name for name, hit in found if hit]


def _aaa(case: Case, _: Settings) -> FiredRule | None:
    signs = _positive(case, ("pulsatile_abdominal_mass", "collapse"))
    risks = vascular_risk(case)
    if case.flag("tearing_pain") and risks:
        signs.append(f"tearing pain with vascular risk ({', '.join(risks)})")
    if not signs:
        return None
    return FiredRule("RF-AAA", EMERGENCY, f"possible aortic aneurysm: {', '.join(signs)}",
                     "Call emergency services now; do not send the person on alone.")  # fmt: skip


def _trauma(case: Case, _: Settings) -> FiredRule | None:
    if not (case.flag("major_trauma") and case.flag("midline_pain")):
        return None
    return FiredRule("RF-TRAUMA", EMERGENCY, "major trauma with midline spinal pain",
                     "Emergency department now; keep the spine still.")  # fmt: skip


def cancer_signs(case: Case) -> list[str]:
    history = [c for c in ("cancer_history", "malignancy_in_area") if c in case.conditions]
    keys = ("unexplained_weight_loss", "night_pain_persistent", "no_improvement_4_weeks")
    return history + _positive(case, keys)


def _neuro_signs(case: Case) -> bool:
    return case.flag("neuro_deficit") or case.flag("progressive_motor_deficit")


def _mscc(case: Case, _: Settings) -> FiredRule | None:
    signs = cancer_signs(case)
    if not (signs and _neuro_signs(case)):
        return None
    return FiredRule("RF-MSCC", EMERGENCY,
                     f"cancer flags ({', '.join(signs)}) with a neurological deficit",
                     "Emergency: possible spinal cord compression; contact the acute oncology "
                     "or emergency team now.")  # fmt: skip


def _cancer(case: Case, _: Settings) -> FiredRule | None:
    signs = cancer_signs(case)
    if not signs:
        return None
    return FiredRule("RF-CANCER", URGENT, f"cancer flags: {', '.join(signs)}",
                     "Contact the physician today (NICE NG234: urgent imaging).")  # fmt: skip


def fragility(case: Case, settings: Settings) -> tuple[list[str], list[str]]:
    """RF-FRACTURE inputs: (fragility factors, trauma) found in the case."""
    age = case.patient.age
    factors = [
        (f"age {age}", age is not None and age >= settings.fracture_age),
        ("long-term corticosteroids", "corticosteroid_long_term" in case.medicines),
        ("osteoporosis", bool({"osteoporosis", "osteoporosis_severe"} & case.conditions)),
    ]
    trauma = [
        ("minor trauma", case.flag("minor_trauma")),
        ("a fall", "fall" in case.episode.causes),
        ("trauma", case.flag("major_trauma") and not case.flag("midline_pain")),
    ]
    return [n for n, hit in factors if hit], [n for n, hit in trauma if hit]


def _fracture(case: Case, settings: Settings) -> FiredRule | None:
    """Flags weigh in combination: trauma with one fragility factor, or two factors alone."""
    factors, trauma = fragility(case, settings)
    if not ((trauma and factors) or len(factors) >= 2):
        return None
    reason = f"fragility fracture picture: {', '.join(trauma + factors)}"
    if _neuro_signs(case):
        return FiredRule("RF-FRACTURE-NEURO", EMERGENCY, f"{reason}, with neurological signs",
                         "Emergency department now: possible unstable fracture.")  # fmt: skip
    return FiredRule("RF-FRACTURE", URGENT, f"{reason}, no neurological signs",
                     "Contact the physician today for fracture imaging; no spinal loading "
                     "or manipulation meanwhile.")  # fmt: skip


def _dvt(case: Case, _: Settings) -> FiredRule | None:
    if not case.flag("suspected_dvt"):
        return None
    return FiredRule("RF-DVT", URGENT, "signs suggesting deep vein thrombosis",
                     "Contact the physician today; no massage, heat or resistance exercise "
                     "until it is excluded.")  # fmt: skip


def asas_criteria(case: Case) -> list[str]:
    """The ASAS criteria met; onset before 40 is worked out from age and duration if not asked."""
    met = _positive(case, vocab.ASAS_KEYS)
    age, days = case.patient.age, case.episode.duration_days
    asked = "asas_onset_before_40" in case.red_flags.answered
    if not asked and age is not None and days is not None and age - days / 365.25 < 40:
        met.insert(0, "asas_onset_before_40")
    return met


def _axspa(case: Case, _: Settings) -> FiredRule | None:
    days, met = case.episode.duration_days, asas_criteria(case)
    if days is None or days <= 90 or len(met) < 4:
        return None
    return FiredRule("RF-AXSPA", ROUTINE,
                     f"inflammatory back pain: {days} days with {len(met)} of 5 ASAS criteria",
                     "Refer to rheumatology (routine); exercise continues.")  # fmt: skip


def _age(case: Case, settings: Settings) -> FiredRule | None:
    age = case.patient.age
    if age is None or settings.age_under <= age <= settings.age_over:
        return None
    side = f"over {settings.age_over}" if age > settings.age_over else f"under {settings.age_under}"
    return FiredRule("RF-AGE", MONITOR, f"age {age} is {side} (a weak flag alone)",
                     "Document; re-screen at every visit.")  # fmt: skip


CHECKS: tuple[Check, ...] = (
    _ces, _neuro, _infection, _aaa, _trauma, _mscc, _fracture, _cancer, _dvt, _axspa, _age,
)  # fmt: skip


def _notes(case: Case) -> tuple[str, ...]:
    notes = []
    if case.patient.age is None:
        notes.append("RF-AGE not evaluated: age unknown")
    if case.episode.duration_days is None:
        notes.append("RF-AXSPA not evaluated: episode duration unknown")
    if case.flag("tearing_pain") and not vascular_risk(case):
        notes.append("tearing pain without recorded vascular risk: RF-AAA did not fire; reassess")
    return tuple(notes)


def triage(case: Case, settings: Settings = DEFAULT_SETTINGS) -> Triage:
    """Screen this visit's answers. A flag that is new at a follow-up changes this visit's tier."""
    fired = tuple(rule for check in CHECKS if (rule := check(case, settings)) is not None)
    tier = min((r.tier for r in fired), key=TIERS.index, default=NONE)
    # RF-CANCER is subsumed by RF-MSCC when both fire; keep both so the reason trail is complete.
    previous = case.previous.triage_tier if case.previous else None
    return Triage(
        tier=tier,
        action=TIER_ACTIONS[tier],
        fired=fired,
        not_asked=tuple(k for k in vocab.RED_FLAGS if k not in case.red_flags.answered),
        notes=_notes(case),
        visit_kind=case.visit.kind,
        visit_number=case.visit.number,
        changed_from=previous if previous is not None and previous != tier else None,
    )
