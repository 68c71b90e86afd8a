"""The review list's "Screening incomplete" marker, remembered by what it was worked out from.

The marker is the care core's SCREEN-1 verdict on the intake's answers with the latest
evaluation over them (`screening.intake_screen`): the core checks and reads the whole case, about
a millisecond for a sent intake, and the list shows a page of such rows to the same staff many
times a day. The verdict depends on nothing but its inputs (the answers, the evaluation's
in-person answers and exam, the date of birth and the day), so each process remembers it under a
digest of those inputs themselves: a changed answer, evaluation, birth date or day is another
key, never a stale verdict. The memory holds digests and booleans only, never the answers.
"""

import datetime as dt
import hashlib
import json
import threading

from unknot import care
from unknot.records.clinical import screening
from unknot.records.models import Evaluation, Intake

MEMORY = 4096  # verdicts kept per process (about 100 bytes each): a chain's open work and more

_lock = threading.Lock()
_verdicts: dict[bytes, bool] = {}


def screening_incomplete(intake: Intake, evaluation: Evaluation | None, today: dt.date) -> bool:
    """Whether a red-flag domain is still open (an unreadable record counts as open)."""
    key = _digest(intake, evaluation, today)
    with _lock:
        known = _verdicts.get(key)
    if known is not None:
        return known
    verdict = _worked_out(intake, evaluation, today)
    with _lock:
        if len(_verdicts) >= MEMORY:
            _verdicts.pop(next(iter(_verdicts)))  # the oldest remembered goes first
        _verdicts[key] = verdict
    return verdict


def _worked_out(intake: Intake, evaluation: Evaluation | None, today: dt.date) -> bool:
    try:
        return not screening.intake_screen(intake, today, evaluation).complete
    except care.CaseError:
        return True


def _digest(intake: Intake, evaluation: Evaluation | None, today: dt.date) -> bytes:
    """Every input of `screening.intake_screen`, and nothing else, in one digest."""
    inputs = [
        intake.answers,
        str(intake.episode.patient.date_of_birth),
        today.isoformat(),
        None if evaluation is None else [evaluation.in_person, evaluation.exam],
    ]
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()
