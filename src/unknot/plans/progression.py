"""What a visit's progression check is given, read from the record, and the step it suggests.

From the plan's current phase the care core checks the next step (`care.check_progression`):
PROG-1 from symptom relief to active care, PROG-2 from active care to return to full activity.
Its inputs at a visit (docs/clinical.md, "Progression"):

- NPRS: this visit's; ODI: this visit's re-assessment, else the latest stored one;
- PSFS: each activity's score at this visit's re-assessment, else the latest stored PSFS's;
- weeks tolerated (PROG-2): whole weeks from the day the current loads started to this visit's
  day. The loads started on the later of (a) the day the plan entered active care: the day of
  the visit whose suggestion to move to active care was accepted, or, when the plan got there
  by signing (a version proposed in active care), the signing day of the first of the signed
  versions in active care that lead up to the current one; and (b) the day of the last visit
  that recorded a flare over 24 h. Outside active care it is not asked (None);
- goals call for heavier loading (PROG-2): the visit form's yes / no / not recorded, which
  starts from the last visit's answer, else from the intake by the core's rule
  (`care.goals_need_loading`: manual work means yes).
"""

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from unknot import care
from unknot.care import goals_need_loading
from unknot.care.instruments.psfs import PsfsScore
from unknot.care.labels import PHASE_LABELS, label
from unknot.care.progression import NEXT_PHASE
from unknot.plans.models import PlanOfCare, PlanStatus
from unknot.records.models import Episode, Intake, Visit

ACTIVE = "active_care"


@dataclass(frozen=True)
class LoadsSince:
    day: dt.date
    why: str  # in words, for the note
    flare: bool = False  # started again after a flare

    def weeks_to(self, day: dt.date) -> int:
        """Whole weeks from the start to `day` (never negative)."""
        return max(0, (day - self.day).days // 7)


def _earlier_visits(episode: Episode) -> list[Visit]:
    return list(episode.visits.only("number", "performed_on", "progression").order_by("number"))


def _signed_into_active_care(episode: Episode) -> PlanOfCare | None:
    """The first of the signed versions in active care leading up to the current one."""
    versions = episode.plans.exclude(status=PlanStatus.DRAFT).order_by("-version")
    first = None
    for plan in versions:
        if plan.current_phase != ACTIVE or plan.signed_at is None:
            break
        first = plan
    return first


def _entered_active_care(episode: Episode, visits: list[Visit]) -> LoadsSince | None:
    found: list[LoadsSince] = []
    accepted = [v for v in visits
                if (v.progression.get("accepted") or {}).get("to") == ACTIVE]  # fmt: skip
    if accepted:
        visit = max(accepted, key=lambda v: (v.performed_on, v.number))
        why = f"the move to active care accepted at visit {visit.number}"
        found.append(LoadsSince(visit.performed_on, why))
    signed = _signed_into_active_care(episode)
    if signed is not None and signed.signed_at is not None:
        zone = ZoneInfo(episode.clinic.time_zone)
        day = signed.signed_at.astimezone(zone).date()
        found.append(LoadsSince(day, f"plan v{signed.version} signed in active care"))
    return max(found, key=lambda s: s.day) if found else None


def _last_flare(visits: list[Visit]) -> LoadsSince | None:
    flares = [v for v in visits if (v.progression.get("inputs") or {}).get("flare_24h") is True]
    if not flares:
        return None
    visit = max(flares, key=lambda v: (v.performed_on, v.number))
    return LoadsSince(visit.performed_on, f"a flare over 24 h recorded at visit {visit.number}",
                      flare=True)  # fmt: skip


def loads_since(episode: Episode, plan: PlanOfCare) -> LoadsSince | None:
    """When the current loads started (see the module's docstring); None outside active care."""
    if plan.current_phase != ACTIVE:
        return None
    visits = _earlier_visits(episode)
    starts = [s for s in (_entered_active_care(episode, visits), _last_flare(visits)) if s]
    # On the same day a flare wins: the loads start again from it.
    return max(starts, key=lambda s: (s.day, s.flare)) if starts else None


def psfs_scores(episode: Episode, psfs: Any) -> tuple[float, ...] | None:
    """Each PSFS activity's score: this visit's re-assessment, else the latest stored PSFS."""
    if isinstance(psfs, PsfsScore):
        return tuple(item.score for item in psfs.items)
    stored = episode.scores.filter(instrument="psfs").order_by("-measured_on", "-pk").first()
    items = stored.details.get("items", ()) if stored else ()
    scores = tuple(float(i["score"]) for i in items if i.get("score") is not None)
    return scores or None


def _from_intake(episode: Episode) -> bool | None:
    intake = Intake.objects.filter(episode=episode).first()
    lifestyle = (intake.answers if intake else {}).get("lifestyle") or {}
    try:
        case = care.parse_case({"lifestyle": lifestyle})
    except care.CaseError:
        return None  # an intake the core cannot read says nothing here
    return goals_need_loading(case)


def goals_default(episode: Episode) -> bool | None:
    """The form's starting answer: the last visit's, else the core's rule on the intake."""
    for visit in reversed(_earlier_visits(episode)):
        said = (visit.progression.get("inputs") or {}).get("goals_need_loading")
        if said is not None:
            return bool(said)
    return _from_intake(episode)


def latest_odi(episode: Episode) -> float | None:
    found = episode.scores.filter(instrument="odi").order_by("-measured_on", "-pk").first()
    return found.value if found else None


def check(episode: Episode, plan: PlanOfCare, base: care.ProgressPoint, current: dict[str, Any],
          day: dt.date) -> dict[str, Any]:  # fmt: skip
    """The core's check from the plan's current phase, stored as the visit's `progression`.

    `current` holds this visit's nprs, odi, symptom_course, flare_24h, psfs_scores and
    goals_need_loading; weeks tolerated is derived here."""
    since = loads_since(episode, plan)
    point = care.ProgressPoint(**current, weeks_tolerated=since.weeks_to(day) if since else None)
    suggestion = care.check_progression(base, point, phase=plan.current_phase)
    loads = None if since is None else {"since": since.day.isoformat(), "why": since.why}
    stored = {"suggestion": dataclasses.asdict(suggestion), "inputs": dataclasses.asdict(point),
              "phase": plan.current_phase, "loads": loads}  # fmt: skip
    return json.loads(json.dumps(stored))  # as it reads back from the JSON column (lists)


# --- reading a stored suggestion -------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """The move a stored suggestion names: from the phase it was checked in, to the next."""

    phase: str
    next_phase: str | None
    ready: bool | None

    @property
    def to_label(self) -> str:
        return label(PHASE_LABELS, self.next_phase)


def step(progression: dict[str, Any]) -> Step | None:
    """The step of a visit's stored check; notes written before PROG-2 was checked at visits
    hold only PROG-1 ("ready for active care"), which is read as the step from symptom relief."""
    suggestion = progression.get("suggestion")
    if not suggestion:
        return None
    phase = suggestion.get("phase", "symptom_relief")
    if progression.get("phase", phase) != phase:
        return None  # checked from another phase than the plan was in: no step to take
    ready = suggestion.get("ready", suggestion.get("ready_for_active_care"))
    return Step(phase, suggestion.get("next_phase", NEXT_PHASE.get(phase)), ready)


def refusal(progression: dict[str, Any], plan: PlanOfCare | None) -> str | None:
    """Why accepting this note's suggestion is refused, or None when it may be accepted."""
    done, found = progression.get("accepted"), step(progression)
    if done:
        return (f"This suggestion was already accepted by {done.get('by')} on "
                f"{str(done.get('at', ''))[:10]}: nothing changed.")  # fmt: skip
    if plan is None:
        return "There is no signed plan of care to move: nothing changed."
    if found is None or found.next_phase is None:
        return "This check suggests no next phase to move to: nothing changed."
    if found.ready is not True:
        return (f"The progression check did not say ready for {found.to_label.lower()}: "
                "nothing changed.")  # fmt: skip
    return None


MARKS = {"met": "Met", "not met": "Not met", "unknown": "Unknown (not recorded)"}


def criteria(suggestion: dict[str, Any]) -> list[tuple[str, str]]:
    """The core's reasons ("met: ...", "not met: ...", "unknown: ...") as (mark, text)."""
    out = []
    for reason in suggestion.get("reasons", ()):
        mark, _, text = str(reason).partition(": ")
        out.append((MARKS[mark], text) if mark in MARKS else ("", str(reason)))
    return out


def accepted_message(progression: dict[str, Any]) -> str:
    """What the therapist reads after accepting: where the plan is now, and the programme."""
    to = label(PHASE_LABELS, (progression.get("accepted") or {}).get("to")).lower()
    return (f"Accepted: the plan's current phase is now {to}. The home programme now holds "
            f"the exercises for {to}.")  # fmt: skip
