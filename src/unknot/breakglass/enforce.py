"""The break-glass path of the access checks (get_patient_for, get_episode_for).

The checks ask here only after their ordinary rule said "not yours". A break-glass opening
lets a read through when all of these hold:

- the request is for one of the record's read-only pages, those whose view is declared
  `@staff_only(..., break_glass=True)` (`unknot.accounts.access`; the middleware notes the
  declaration of each request's view): never an edit (a rule that writes cannot declare it),
  an export, a PDF, the REST or FHIR APIs, nor anything outside a request (commands, tasks);
- the user still has a clinical role and an active grant;
- they opened this very patient and the opening has neither expired nor been ended.

Each read let through is recorded with action `break_glass` (instead of `read`), with the
reason's category as its code. The patients opened this way in this request are remembered,
so that the page's lists (the patient's episodes, appointments) may include that patient's
rows, and so that the banner can say until when the access lasts.
"""

from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from unknot.accounts.access import staff_role, staff_user
from unknot.accounts.models import AnyUser
from unknot.audit import services as audit
from unknot.audit.models import Action
from unknot.breakglass import selectors
from unknot.breakglass.models import BreakGlassAccess
from unknot.patients.models import Patient
from unknot.records.models import Episode


@dataclass
class RequestState:
    # Whether the view serving this request is declared `break_glass=True`.
    page_opens: bool = False
    # The user's usable openings, read once per request (None: not read yet).
    usable: list[BreakGlassAccess] | None = None
    # patient id -> the opening that let this request read them.
    opened: dict[int, BreakGlassAccess] = field(default_factory=dict)


_state: ContextVar[RequestState | None] = ContextVar("unknot_break_glass", default=None)


def enter() -> Token[RequestState | None]:
    return _state.set(RequestState())


def leave(token: Token[RequestState | None]) -> None:
    _state.reset(token)


def declared_on(view: Any) -> bool:
    """Whether `view` is one of the pages break-glass opens: its access declaration says so."""
    return bool(getattr(getattr(view, "access_rule", None), "break_glass", False))


def on_page(view: Any) -> None:
    """Notes which view serves this request (the middleware calls this before it runs)."""
    state = _state.get()
    if state is not None:
        state.page_opens = declared_on(view)


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _usable_here(user: AnyUser) -> list[BreakGlassAccess]:
    """The user's openings that may let a read through on this request's page (or none)."""
    state = _state.get()
    if state is None or not state.page_opens:
        return []
    staff = staff_user(user)
    if staff is None or not selectors.may_hold_grant(staff_role(staff)):
        return []
    if state.usable is None:
        state.usable = list(selectors.usable_accesses(staff, timezone.now()))
    return state.usable


def _opening_for(user: AnyUser, patient_id: Any) -> BreakGlassAccess | None:
    wanted = _as_int(patient_id)
    return next((a for a in _usable_here(user) if a.patient_id == wanted), None)


def _let_through(user: AnyUser, opening: BreakGlassAccess, object_type: str, found: Any) -> None:
    patient_id, clinic_id = audit.whose(found)
    audit.record(
        Action.BREAK_GLASS, by=user, object_type=object_type, object_id=found.pk,
        patient_id=patient_id, clinic_id=clinic_id, reason=opening.category,
    )  # fmt: skip
    state = _state.get()
    if state is not None:
        state.opened[opening.patient_id] = opening


def patient_for(user: AnyUser, patient_id: Any) -> Patient | None:
    """The patient, when an opening lets this user read them here; else None (and no row)."""
    opening = _opening_for(user, patient_id)
    if opening is None:
        return None
    patient = opening.patient
    _let_through(user, opening, "patient", patient)
    return patient


def episode_for(user: AnyUser, episode_id: Any) -> Episode | None:
    """An episode of a patient this user opened (any of that patient's episodes)."""
    wanted, openings = _as_int(episode_id), _usable_here(user)
    if wanted is None or not openings:
        return None
    episode = (
        Episode.objects.select_related("patient", "clinic", "therapist__user")
        .filter(pk=wanted, patient_id__in=[a.patient_id for a in openings])
        .first()
    )
    opening = _opening_for(user, episode.patient_id) if episode else None
    if episode is None or opening is None:
        return None
    _let_through(user, opening, "episode", episode)
    return episode


def opened_patient_ids(user: AnyUser | None) -> list[int]:
    """Patients this request already read through break-glass (for the page's lists)."""
    state = _state.get()
    if state is None or user is None:
        return []
    return [pid for pid, a in state.opened.items() if a.user_id == getattr(user, "pk", None)]


def openings_on_this_page(user: AnyUser | None) -> list[BreakGlassAccess]:
    state = _state.get()
    if state is None:
        return []
    return [a for a in state.opened.values() if a.user_id == getattr(user, "pk", None)]
