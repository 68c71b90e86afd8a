"""What needs a person's attention before or at a visit: the one home of those rules and of
their words. No database: the homes gather the facts in a fixed number of queries
(`unknot.staffarea.my_day`) and ask here what to show.

Safety comes first in the list and is marked urgent: a call before the visit still to be made,
an open referral for medical review, an emergency answer in the intake. An intake not reviewed
is urgent too, because its red-flag screen has not been read by a clinician yet.
"""

from dataclasses import dataclass

from unknot.records.calendar_flags import EMERGENCY_WORDS, REFERRAL_WORDS

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
    # COURSE-1 (care.course): its verdict and suggested action; None before it applies.
    course: str | None = None
    course_action: str | None = None


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
        items.append(Attention("emergency", EMERGENCY_WORDS, urgent=True))
    if facts is not None and facts.referral_open:
        items.append(Attention("referral", REFERRAL_WORDS, urgent=True))
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
    return items + _recovery(facts)


# What the course check suggests, in the therapist's words (care.course's actions).
COURSE_WORDS = {
    ("off_track", "refer"): Attention(
        "off_track", "Recovery off track: no pain improvement after 4 weeks of care, consider "
        "referral to the physician", urgent=True,
    ),
    ("off_track", "change_plan"): Attention(
        "off_track", "Recovery off track: function not improving, re-assess and change the plan",
        urgent=True,
    ),
    ("unknown", "reassess"): Attention(
        "course_unknown", "Recovery not measured since the review point: re-assess"
    ),
}  # fmt: skip


def _recovery(facts: EpisodeFacts) -> list[Attention]:
    found = COURSE_WORDS.get((facts.course or "", facts.course_action or ""))
    return [found] if found is not None else []


def visits_left(facts: EpisodeFacts) -> int | None:
    if facts.visits_planned is None:
        return None
    return max(0, facts.visits_planned - facts.visits_done)
