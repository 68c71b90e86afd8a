"""The safety flags the staff calendar shows on a visit, and their words: what the patient's
open episode at that clinic says, read by the calendar in its one query of appointments
(`booking.hooks.with_calendar_flags`). The staff homes use the same words
(`staffarea.attention`), so a flag reads the same everywhere.
"""

from typing import Any

from django.db.models import Exists, OuterRef

from unknot.booking.hooks import CalendarFlag
from unknot.records.models import EpisodeStatus, Intake, MedicalHold

EMERGENCY_WORDS = "Emergency answer in the intake"
REFERRAL_WORDS = "Waiting for medical clearance (referral open)"


def _of_open_episode(model: Any, **conditions: Any) -> Exists:
    return Exists(
        model.objects.filter(
            episode__patient_id=OuterRef("patient_id"),
            episode__clinic_id=OuterRef("clinic_id"),
            episode__status=EpisodeStatus.OPEN,
            **conditions,
        )
    )


FLAGS = (
    CalendarFlag(
        "emergency", EMERGENCY_WORDS, lambda: _of_open_episode(Intake, emergency_at__isnull=False)
    ),
    CalendarFlag(
        "referral", REFERRAL_WORDS, lambda: _of_open_episode(MedicalHold, cleared_at__isnull=True)
    ),
)
