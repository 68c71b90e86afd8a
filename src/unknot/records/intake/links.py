"""The signed link in the booking confirmation that opens a person's intake without a login."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from unknot.booking.models import Appointment
from unknot.records.models import Intake

SALT = "unknot.records.intake.start"
MAX_AGE_SECONDS = 60 * 60 * 24 * 60  # about two months: long enough for a booking made early


def start_token(patient_id: int, intake_id: int) -> str:
    return signing.dumps({"p": patient_id, "i": intake_id}, salt=SALT, compress=True)


def ids_from_token(token: str) -> tuple[int, int] | None:
    """(patient id, intake id), or None for a forged, altered or expired token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    patient_id, intake_id = data.get("p"), data.get("i")
    if not (isinstance(patient_id, int) and isinstance(intake_id, int)):
        return None
    return patient_id, intake_id


def start_url(patient_id: int, intake_id: int) -> str:
    """The absolute link for an email: it names ids only, never anything about health."""
    path = reverse("intake:start", args=[start_token(patient_id, intake_id)])
    return settings.UNKNOT_BASE_URL.rstrip("/") + path


# Set on the appointment by the booking hook that just wrote it (records.services): the draft
# intake it opened, or None when it opened none, so that its confirmation reads nothing back.
_OPENED_BY_BOOKING = "_intake_opened_by_booking"


def remember_opened(appointment: Appointment, intake: Intake | None) -> None:
    """What the booking hook did for this new appointment: `intake` is the draft it opened
    (the only intake linked to the new row), None that it opened and linked none."""
    setattr(appointment, _OPENED_BY_BOOKING, intake)


def booking_intake_url(appointment: Appointment) -> str:
    """The link to the intake a booking opened, while it is still to be filled in ("" if none)."""
    if hasattr(appointment, _OPENED_BY_BOOKING):
        intake = getattr(appointment, _OPENED_BY_BOOKING)
    else:  # an appointment read back (a move), or one linked to an intake already there
        intake = appointment.intakes.filter(status="draft").first()
    if intake is None or appointment.patient_id is None:
        return ""
    return start_url(appointment.patient_id, intake.pk)
