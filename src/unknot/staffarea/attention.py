"""What needs a person's attention before or at a visit: the one home of those rules and of
their words. No database: the homes gather the facts in a fixed number of queries
(`unknot.staffarea.my_day`) and ask here what to show.

Safety comes first in the list and is marked urgent: a call before the visit still to be made,
an open referral for medical review, an emergency answer in the intake. An intake not reviewed
is urgent too, because its red-flag screen has not been read by a clinician yet.
"""

from dataclasses import dataclass

# The last few planned visits are shown as attention: time to re-assess, extend or discharge.
FEW_VISITS_LEFT = 2


@dataclass(frozen=True)
class Attention:
    key: str  # stable, for tests and styling; never shown
    words: str  # what the person reads
    urgent: bool = False


@dataclass(frozen=True)
class EpisodeFacts:
    """What the homes know about a patient's open episode (None: no open episode)."""

    intake: str | None  # records.IntakeStatus value; None until a first section is filled in
    emergency_in_intake: bool
    referral_open: bool  # a referral for medical review waits for clearance
    visits_done: int
    unsigned_notes: int
    visits_planned: int | None  # None without a signed plan
    reassessment_next: bool  # the next visit is a re-assessment
    adherence_falling: bool
    recovery_off_track: bool = False


def for_visit(facts: EpisodeFacts | None, *, call_first: bool) -> list[Attention]:
    """The items for one appointment, safety first. `call_first`: an open "call before the
    visit" task for this appointment."""
    items = _safety(facts, call_first=call_first)
    if facts is None:
        return items
    return items + _intake(facts) + _record(facts) + _course(facts)


def _safety(facts: EpisodeFacts | None, *, call_first: bool) -> list[Attention]:
    items = []
    if call_first:
        items.append(Attention("call_first", "Call before the visit not made yet", urgent=True))
    if facts is not None and facts.emergency_in_intake:
        items.append(Attention("emergency", "Emergency answer in the intake", urgent=True))
    if facts is not None and facts.referral_open:
        items.append(
            Attention("referral", "Waiting for medical clearance (referral open)", urgent=True)
        )
    return items


INTAKE_WORDS = {
    None: Attention("intake_not_started", "Intake not started"),
    "draft": Attention("intake_not_finished", "Intake not finished"),
    "submitted": Attention("intake_to_review", "Intake to review", urgent=True),
}


def _intake(facts: EpisodeFacts) -> list[Attention]:
    found = INTAKE_WORDS.get(facts.intake)
    return [found] if found is not None else []


def _record(facts: EpisodeFacts) -> list[Attention]:
    items = []
    if facts.unsigned_notes:
        notes = "note" if facts.unsigned_notes == 1 else "notes"
        items.append(Attention("unsigned_notes", f"{facts.unsigned_notes} visit {notes} to sign"))
    if facts.visits_done and facts.visits_planned is None:
        items.append(Attention("no_signed_plan", "No signed plan of care"))
    if facts.reassessment_next and facts.visits_planned is not None:
        items.append(Attention("reassessment_due", "Re-assessment due at this visit"))
    return items


def _course(facts: EpisodeFacts) -> list[Attention]:
    items = []
    left = visits_left(facts)
    if left is not None and left <= FEW_VISITS_LEFT:
        words = "No planned visits left" if left == 0 else f"{left} planned visits left"
        if left == 1:
            words = "Last planned visit"
        items.append(Attention("visits_left", words))
    if facts.adherence_falling:
        items.append(Attention("adherence_falling", "Home exercises falling behind"))
    if facts.recovery_off_track:
        items.append(Attention("off_track", "Recovery off track", urgent=True))
    return items


def visits_left(facts: EpisodeFacts) -> int | None:
    if facts.visits_planned is None:
        return None
    return max(0, facts.visits_planned - facts.visits_done)
