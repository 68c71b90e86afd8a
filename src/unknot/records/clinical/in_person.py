"""The evaluation's in-person red-flag screen (SCREEN-1), stored in `Evaluation.in_person`.

What the therapist asks and records at the first visit, in the care core's case shape: the
red-flag questions of every domain (vocab.DOMAINS) as yes / no / not asked, prefilled from the
intake; the health history gone through in person; the inputs only an evaluation records (bone
density, weeks since giving birth, symptoms past the buttock, care already received); and
scores recorded elsewhere. `mapping.merged_answers` joins it to the intake's answers.

Only what was recorded here is stored: an answer given the same way in the intake is not
copied, and "not asked" or an empty field leaves its key out. A "yes" from the person stays
yes: its radio is read-only here, and the evaluation service refuses an in-person "no" to it.
"""

from collections.abc import Mapping
from typing import Any

from django import forms

from unknot import care
from unknot.care import labels, vocab
from unknot.records.clinical import mapping

ANSWERS = [("yes", "Yes"), ("no", "No"), ("", "Not asked")]
RECORDED = [("", "Not recorded"), ("yes", "Yes"), ("no", "No")]
SAID_YES = "Said yes in the intake: a yes from the person stays yes."

HISTORY_FIELDS = ("history_checked", "ip_conditions", "ip_medicines")
INPUT_FIELDS = ("bone_density_t_score", "postpartum_weeks", "distal_to_buttock", "care_weeks",
                "care_visits")  # fmt: skip
REPORTED_FIELDS = ("reported_source", "reported_odi", "reported_start_back", "reported_nprs")


def flag_field(key: str) -> str:
    return f"rf_{key}"


# The care core's path -> the form field, so a CaseError is shown on the field it is about.
FIELD_PATHS: dict[str, str] = {
    "patient.bone_density_t_score": "bone_density_t_score",
    "patient.postpartum_weeks": "postpartum_weeks",
    "episode.distal_to_buttock": "distal_to_buttock",
    "episode.care_received.weeks": "care_weeks",
    "episode.care_received.visits": "care_visits",
    "reported": "reported_source",
    "reported.source": "reported_source",
    "reported.odi_percent": "reported_odi",
    "reported.start_back_risk": "reported_start_back",
    "reported.nprs": "reported_nprs",
    "conditions": "ip_conditions",
    "medicines": "ip_medicines",
} | {f"red_flags.{key}": flag_field(key) for key in vocab.RED_FLAGS}


def domain_questions() -> dict[str, tuple[str, ...]]:
    """Each domain's questions, each asked once (in the first domain that reads it)."""
    seen: set[str] = set()
    found = {}
    for domain, keys in vocab.DOMAINS.items():
        found[domain] = tuple(k for k in keys if k not in seen)
        seen.update(keys)
    return found


def said_yes(intake: Mapping[str, Any]) -> set[str]:
    return {key for key, value in intake.get("red_flags", {}).items() if value is True}


def _words(key: str) -> str:
    text = labels.fact_label(key)
    return text[:1].upper() + text[1:]


def _flag(key: str, locked: bool) -> forms.Field:
    field = forms.ChoiceField(choices=ANSWERS, required=False, label=_words(key),
                              widget=forms.RadioSelect)  # fmt: skip
    if locked:  # disabled: the posted value is ignored, the intake's "yes" is kept
        field.disabled, field.initial, field.help_text = True, "yes", SAID_YES
    return field


def _ticks(label: str, keys: Mapping[str, str]) -> forms.Field:
    return forms.MultipleChoiceField(
        choices=[(key, _words(key)) for key in keys], required=False, label=label,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


def _whole(label: str, help_text: str = "") -> forms.Field:
    # No bounds here on purpose: the care core's schema checks them and names the field.
    return forms.IntegerField(required=False, label=label, help_text=help_text)


def _number(label: str, help_text: str = "") -> forms.Field:
    return forms.FloatField(required=False, label=label, help_text=help_text)


def _core_range(section: str, key: str) -> str:
    """The bounds the core's schema sets for a value, in words (the core stays their home)."""
    found = care.case_schema()["properties"][section]["properties"][key]
    return f"{found['minimum']:g} to {found['maximum']:g}"


def fields(intake: Mapping[str, Any]) -> dict[str, forms.Field]:
    """The in-person fields, in page order; an intake "yes" is shown read-only."""
    locked = said_yes(intake)
    made = {flag_field(k): _flag(k, k in locked)
            for keys in domain_questions().values() for k in keys}  # fmt: skip
    return made | {
        "history_checked": forms.BooleanField(
            required=False, label="I went through the health history with the person"
        ),
        "ip_conditions": _ticks("Conditions", vocab.CONDITIONS),
        "ip_medicines": _ticks("Medicines", vocab.MEDICINES),
        "bone_density_t_score": _number(
            "Bone density T-score",
            f"lowest DXA on record, {_core_range('patient', 'bone_density_t_score')}",
        ),
        "postpartum_weeks": _whole("Weeks since giving birth", "only if it applies"),
        "distal_to_buttock": forms.ChoiceField(
            choices=RECORDED, required=False, label="Symptoms past the buttock (thigh or below)"
        ),
        "care_weeks": _whole("Care already received for this episode: weeks"),
        "care_visits": _whole("Care already received for this episode: visits"),
        "reported_source": forms.CharField(
            required=False,
            label="Source of the scores",
            help_text="for example: referral letter from the primary care physician, 2031-02-20",
        ),
        "reported_odi": _number("Oswestry Disability Index in that source (%)"),
        "reported_start_back": forms.ChoiceField(
            choices=[("", "Not recorded"), *labels.RISK_LABELS.items()],
            required=False,
            label="STarT Back risk group in that source",
        ),
        "reported_nprs": _whole("Pain in that source (NPRS 0-10)"),
    }


def groups(form: forms.Form) -> dict[str, Any]:
    """The bound fields as the page shows them: a fieldset per domain, then the rest."""
    domains = [(labels.DOMAIN_LABELS[d], [form[flag_field(k)] for k in keys])
               for d, keys in domain_questions().items() if keys]  # fmt: skip
    return {
        "in_person": domains,
        "history": [form[n] for n in HISTORY_FIELDS],
        "inputs": [form[n] for n in INPUT_FIELDS],
        "reported": [form[n] for n in REPORTED_FIELDS],
    }


# --- stored dict <-> form --------------------------------------------------------------------


def initial(intake: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """Form values: the intake's answers with what was recorded in person over them."""
    merged = mapping.merged_answers(intake, stored)
    flags = merged.get("red_flags", {})
    patient, episode = merged.get("patient", {}), stored.get("episode", {})
    received, reported = episode.get("care_received", {}), stored.get("reported", {})
    return {
        **{flag_field(k): mapping.tri_state_initial(flags.get(k)) for k in vocab.RED_FLAGS},
        "history_checked": "conditions" in stored or "medicines" in stored,
        "ip_conditions": merged.get("conditions") or [],
        "ip_medicines": merged.get("medicines") or [],
        "bone_density_t_score": patient.get("bone_density_t_score"),
        "postpartum_weeks": patient.get("postpartum_weeks"),
        "distal_to_buttock": mapping.tri_state_initial(episode.get("distal_to_buttock")),
        "care_weeks": received.get("weeks"),
        "care_visits": received.get("visits"),
        "reported_source": reported.get("source", ""),
        "reported_odi": reported.get("odi_percent"),
        "reported_start_back": reported.get("start_back_risk", ""),
        "reported_nprs": reported.get("nprs"),
    }


def _present(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "", {})}


def _flags(data: Mapping[str, Any], intake: Mapping[str, Any]) -> dict[str, bool]:
    """Answers given here that the intake did not give the same way."""
    before = intake.get("red_flags", {})
    found = {}
    for key in vocab.RED_FLAGS:
        value = mapping.tri_state(data.get(flag_field(key)))
        if value is not None and before.get(key) is not value:
            found[key] = value
    return found


def _ordered(chosen: Any, vocabulary: Mapping[str, str]) -> list[str]:
    return [key for key in vocabulary if key in set(chosen or ())]


def _history(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Both lists, asked (even empty) only when the therapist went through them."""
    if not data.get("history_checked"):
        return {}
    return {
        "conditions": _ordered(data.get("ip_conditions"), vocab.CONDITIONS),
        "medicines": _ordered(data.get("ip_medicines"), vocab.MEDICINES),
    }


def _patient(data: Mapping[str, Any], intake: Mapping[str, Any]) -> dict[str, Any]:
    weeks = data.get("postpartum_weeks")
    if weeks == intake.get("patient", {}).get("postpartum_weeks"):
        weeks = None  # the intake's own answer, not recorded again
    return _present({"bone_density_t_score": data.get("bone_density_t_score"),
                     "postpartum_weeks": weeks})  # fmt: skip


def _episode(data: Mapping[str, Any]) -> dict[str, Any]:
    received = _present({"weeks": data.get("care_weeks"), "visits": data.get("care_visits")})
    return _present({"distal_to_buttock": mapping.tri_state(data.get("distal_to_buttock")),
                     "care_received": received})  # fmt: skip


def _reported(data: Mapping[str, Any]) -> dict[str, Any]:
    scores = _present({"odi_percent": data.get("reported_odi"),
                       "start_back_risk": data.get("reported_start_back"),
                       "nprs": data.get("reported_nprs")})  # fmt: skip
    source = (data.get("reported_source") or "").strip()
    return ({"source": source} if source else {}) | scores


def from_fields(data: Mapping[str, Any], intake: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned form data -> the stored dict, in the care core's case shape."""
    found: dict[str, Any] = {"red_flags": _flags(data, intake), **_history(data),
                             "patient": _patient(data, intake), "episode": _episode(data),
                             "reported": _reported(data)}  # fmt: skip
    return {k: v for k, v in found.items() if v != {}}


# --- checks ----------------------------------------------------------------------------------


def form_problems(data: Mapping[str, Any], intake: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for input that does not fit together, before the core reads it."""
    found = []
    ticked = set(data.get("ip_conditions") or ()) | set(data.get("ip_medicines") or ())
    from_intake = set(intake.get("conditions") or ()) | set(intake.get("medicines") or ())
    if not data.get("history_checked") and ticked != from_intake:
        found.append(("history_checked", "Tick this to record the health history: the lists "
                      "count only when you went through them with the person."))  # fmt: skip
    if data.get("history_checked") and from_intake - ticked:
        kept = ", ".join(labels.fact_label(k) for k in sorted(from_intake - ticked))
        found.append(("ip_conditions", f"The person ticked these in the intake and they stay "
                      f"on the record: {kept}."))  # fmt: skip
    found.extend(_reported_problems(_reported(data)))
    return found


def _reported_problems(reported: Mapping[str, Any]) -> list[tuple[str, str]]:
    if reported and "source" not in reported:
        return [("reported_source", "Say where these scores were recorded, for example the "
                 "referral letter.")]  # fmt: skip
    if list(reported) == ["source"]:
        return [("reported_source", "Give at least one score from this source, or leave the "
                 "source empty.")]  # fmt: skip
    return []


def core_problem(
    stored: Mapping[str, Any], intake: Mapping[str, Any]
) -> tuple[str | None, str] | None:
    """None when the care core accepts what was recorded, alone and with the intake's answers;
    else (form field or None, message). An intake the core cannot read on its own is the
    intake's problem (shown beside the form), not this form's."""
    found = _refusal(dict(stored))
    if found is None and _refusal(dict(intake)) is None:
        found = _refusal(mapping.merged_answers(intake, stored))
    if found is None:
        return None
    return FIELD_PATHS.get(found.field), f"{found.field}: {found.reason}"


def _refusal(data: dict[str, Any]) -> care.CaseError | None:
    try:
        care.parse_case(data)
    except care.CaseError as error:
        return error
    return None


def unsaid_yes(intake: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """Intake "yes" answers that the stored dict would turn into "no" (never allowed)."""
    return sorted(k for k in said_yes(intake) if stored.get("red_flags", {}).get(k) is False)


# --- reading ---------------------------------------------------------------------------------


def readable(stored: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What was recorded in person, as (label, value) lines for the evaluation page."""
    lines = [(_words(k), "yes" if v else "no") for k, v in stored.get("red_flags", {}).items()]
    for key, title in (("conditions", "Conditions"), ("medicines", "Medicines")):
        if key in stored:
            found = [labels.fact_label(k) for k in stored[key]]
            lines.append((f"{title} (gone through in person)", "; ".join(found) or "none"))
    return lines + _input_lines(stored)


def _input_lines(stored: Mapping[str, Any]) -> list[tuple[str, str]]:
    patient, episode = stored.get("patient", {}), stored.get("episode", {})
    received, reported = episode.get("care_received", {}), stored.get("reported")
    values = {
        "Bone density T-score": patient.get("bone_density_t_score"),
        "Weeks since giving birth": patient.get("postpartum_weeks"),
        "Symptoms past the buttock": {True: "yes", False: "no"}.get(
            episode.get("distal_to_buttock")
        ),
        "Care already received: weeks": received.get("weeks"),
        "Care already received: visits": received.get("visits"),
    }
    lines = [(label, str(value)) for label, value in values.items() if value is not None]
    if reported:
        lines.append((f"Scores recorded elsewhere ({reported['source']})", _scores(reported)))
    return lines


def _scores(reported: Mapping[str, Any]) -> str:
    parts = []
    if "odi_percent" in reported:
        parts.append(f"Oswestry {reported['odi_percent']:g} %")
    if "start_back_risk" in reported:
        parts.append(f"STarT Back {labels.label(labels.RISK_LABELS, reported['start_back_risk'])}")
    if "nprs" in reported:
        parts.append(f"pain {reported['nprs']}/10")
    return ", ".join(parts)
