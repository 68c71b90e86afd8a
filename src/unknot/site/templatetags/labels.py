"""Template filters that turn the care core's keys into the words people read.

Registered as a template builtin (config/settings.py), so every page, email and PDF can write
`{{ plan.current_phase|phase_label }}` and never shows `active_care`, `True` or a rule key.
The words live in one home, `unknot.care.labels`; these filters only look them up.
"""

from typing import Any

from django import template

from unknot.care import codes, exercise_library, labels
from unknot.common import money
from unknot.plans.elements import TOPICS

register = template.Library()

# Emails the outbox sends, as the front desk reads them in its outbox list.
EMAIL_KINDS = {
    "confirmation": "Booking confirmation",
    "reminder": "Reminder",
    "cancellation": "Cancellation",
    "question": "Question from the website",
    "acknowledgement": "Question received",
    "clinic_alert": "Alert to the clinic",
    "call_first_alert": "Call before the visit not yet done",
    "discharge_cancellation": "Visits cancelled at discharge",
    "break_glass": "Emergency access notice",
}
BOOKING_SOURCES = {"online": "online", "staff": "by staff", "portal": "in the patient portal",
                   "api": "through the API"}  # fmt: skip

# What the audit trail's `object_type` names, as the audit report reads it. The trail keeps the
# short names (its CSV export and hash chain use them); an unlisted one is shown in words.
RECORD_KINDS = {
    "account": "account", "api_token": "API token", "appointment": "appointment",
    "audit_report": "audit report", "break_glass_access": "emergency access",
    "calendar_feed": "calendar feed", "therapist_feed": "therapist's calendar feed",
    "episode": "episode of care", "evaluation": "evaluation", "goals": "goals in own words",
    "intake": "intake",
    "medical_hold": "referral for medical review", "patient": "patient",
    "plan": "plan of care", "planofcare": "plan of care", "practice": "practice",
    "question": "question", "safety_call": "call before the visit", "staff_member": "staff member",
    "visit": "visit",
}  # fmt: skip


def _words(table: dict[str, str], value: Any, missing: str = "—") -> str:
    if value in (None, ""):
        return missing
    return labels.label(table, str(value), missing)


def _lookup(table: dict[str, str], missing: str = "—") -> Any:
    return lambda value: _words(table, value, missing)


# filter name -> (the words, what to show when there is no value)
TABLES: dict[str, tuple[dict[str, str], str]] = {
    "tier_label": (labels.TIER_LABELS, "—"),
    "verdict_label": (labels.VERDICT_LABELS, "not an intervention"),
    "phase_label": (labels.PHASE_LABELS, "—"),
    "plan_status_label": (labels.PLAN_STATUS_LABELS, "—"),
    "intervention_label": (labels.INTERVENTION_LABELS, "—"),
    "measure_label": (labels.MEASURE_LABELS, "—"),
    "change_label": (labels.CHANGE_LABELS, "—"),
    "risk_label": (labels.RISK_LABELS, "—"),
    "band_label": (labels.ODI_BAND_LABELS, "—"),
    "email_kind_label": (EMAIL_KINDS, "—"),
    "booking_source_label": (BOOKING_SOURCES, "—"),
}
for _name, (_table, _missing) in TABLES.items():
    register.filter(_name, _lookup(_table, _missing))


@register.filter
def record_kind_label(value: Any) -> str:
    kind = str(value or "")
    return RECORD_KINDS.get(kind, kind.replace("_", " "))


@register.filter
def rule_label(value: Any) -> str:
    """A triage rule in words; other rule ids (plan and safety rules) stay as their reference."""
    return labels.RULE_LABELS.get(str(value), str(value))


@register.filter
def fact_label(value: Any) -> str:
    return labels.fact_label(str(value))


@register.filter
def exercise_name(value: Any) -> str:
    """A library exercise's name for its key."""
    found = {e.id: e.name for e in exercise_library()}
    return found.get(str(value), str(value).replace("_", " ").capitalize())


@register.filter
def topic_label(value: Any) -> str:
    """A prevention lesson's title for its key."""
    return TOPICS.get(str(value), str(value).replace("_", " ").capitalize())


@register.filter
def yes_no(value: Any) -> str:
    """A tri-state answer: yes, no, or not recorded (never True, False or None)."""
    return {True: "yes", False: "no"}.get(value, "not recorded")


# An amount of money as people write it: $1,234.50, and -$20.00 for a credit.
register.filter("dollars", money.dollars)


@register.filter
def cpt_label(value: Any) -> str:
    """Our short name of a CPT code (never the AMA descriptor), blank for one we do not know."""
    return codes.CPT_LABELS.get(str(value), "")


@register.filter
def pointer_letters(value: Any) -> str:
    """A claim line's diagnosis pointers (1-based positions) as the letters A-L of the form."""
    return ", ".join(chr(ord("A") + int(p) - 1) for p in value or [] if 1 <= int(p) <= 12)
