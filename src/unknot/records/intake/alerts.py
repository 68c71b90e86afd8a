"""Alerts from an intake to the clinic's own address, through the outbox."""

import datetime as dt

from unknot.clinics.models import Clinic
from unknot.outbox.queue import queue_email

KIND = "clinic_alert"


def queue_clinic_alert(clinic: Clinic, subject: str, body: str, key: str, now: dt.datetime) -> bool:
    """An alert to the clinic's own address, once per key; False when the clinic has none.

    Callers keep clinical detail out of the body: email is not the place for it.
    """
    if not clinic.email:
        return False
    queue_email(
        key=key,
        kind=KIND,
        appointment=None,
        clinic_id=clinic.pk,
        to=clinic.email,
        subject=subject,
        body=body,
        send_after=now,
    )
    return True
