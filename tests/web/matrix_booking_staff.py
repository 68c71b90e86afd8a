"""Access matrix rows for the booking area's staff URLs (see test_access_matrix.py).

Objects of clinic A (an appointment, a question, a therapist's feed) are made on demand: an
outsider (therapist_b) must get 404 for them, the read-only auditor 403 on every write.
"""

import datetime as dt
from typing import Any

from tests import factories
from tests.calendar import NOW
from tests.web import matrix_support as m
from unknot.booking import feeds
from unknot.booking.models import (
    Appointment,
    AppointmentType,
    ContactQuestion,
    OnlineBooking,
    SafetyCall,
)

DAY = dt.date(2031, 3, 4)


def clinic_day(cast: Any) -> dict[str, Any]:
    return {"slug": cast.clinic_a.slug, "day": DAY.isoformat()}


def appointment_a(cast: Any) -> dict[str, Any]:
    kind = AppointmentType.objects.create(
        clinic=cast.clinic_a,
        kind="follow_up",
        name="Follow-up",
        duration_minutes=45,
        online_booking=OnlineBooking.STAFF_ONLY,
    )
    made = factories.booked_appointment(
        None, patient=cast.patient_p, type=kind, therapist=cast.therapist_a,
        when=dt.datetime(2031, 3, 4, 15, 0, tzinfo=dt.UTC), now=NOW,
    )  # fmt: skip
    return {"appointment_id": made.pk}


def question_a(cast: Any) -> dict[str, Any]:
    question = ContactQuestion.objects.create(
        clinic=cast.clinic_a,
        name="Asker",
        email="asker@test.example",
        message="Do you treat spasms on Saturdays?",
        sender_fingerprint="x" * 64,
    )
    return {"question_id": question.pk}


def safety_call_a(cast: Any) -> dict[str, Any]:
    """A "call before the visit" still to be made, for an appointment at clinic A."""
    appointment = Appointment.objects.get(pk=appointment_a(cast)["appointment_id"])
    call = SafetyCall.objects.create(
        appointment=appointment,
        clinic=cast.clinic_a,
        patient=cast.patient_p,
        questions=[{"question": "Have you ever had cancer?", "answer": "Yes"}],
        fired_rule_ids=["RF-CANCER"],
        created_at=appointment.start - dt.timedelta(days=2),
    )
    return {"call_id": call.pk}


def feed_of_therapist_a(cast: Any) -> dict[str, Any]:
    feed, _token = feeds.feed_create(by=cast.therapist_a, therapist=cast.therapist_a.staff_member)
    return {"feed_id": feed.pk}


def attendance_of_p(cast: Any) -> dict[str, Any]:
    return {"patient_id": cast.patient_p.pk, "slug": cast.clinic_a.slug}


REDIRECT_A = dict.fromkeys([*m.STAFF_A, *m.BILLER_READS], 302)
FEED_ROLES_ONLY = {"front_desk_a": 403, "auditor": 403}

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "booking:staff_today": (m.clinic_a, m.staff_page(therapist_b=404, **REDIRECT_A)),
    "booking:staff_day": (clinic_day, m.staff_page(therapist_b=404, **m.BILLER_READS)),
    "booking:staff_week": (clinic_day, m.staff_page(therapist_b=404, **m.BILLER_READS)),
    "booking:staff_book": (m.clinic_a, m.staff_page(therapist_b=404, auditor=403)),
    "booking:staff_series": (m.clinic_a, m.staff_page(therapist_b=404, auditor=403)),
    "booking:staff_appointment": (
        appointment_a,
        m.staff_page(therapist_b=404, **m.BILLER_READS),
    ),
    "booking:staff_move": (appointment_a, m.staff_page(therapist_b=404, auditor=403)),
    "booking:staff_cancel": (appointment_a, m.staff_page(therapist_b=404, auditor=403)),
    "booking:staff_mark": (appointment_a, m.staff_page(therapist_b=404, auditor=403)),
    "booking:staff_patient_appointments": (
        m.patient_p,
        m.staff_page(therapist_b=404, **m.BILLER_READS),
    ),
    # Everyone at the clinic (the biller too) sees a patient's attendance; only writers record
    # a follow-up.
    "booking:staff_attendance": (
        attendance_of_p,
        m.staff_page(therapist_b=404, **m.BILLER_READS),
    ),
    "booking:staff_attendance_follow_up": (attendance_of_p, m.everyone(405)),
    "booking:staff_questions": (None, m.staff_page()),
    "booking:staff_question_status": (question_a, m.staff_page(therapist_b=404, auditor=403)),
    "booking:staff_outbox": (None, m.staff_page()),
    # Everyone at the clinic sees the calls to make; only writers record one (POST only).
    "booking:staff_safety_calls": (None, m.staff_page()),
    "booking:staff_safety_call": (safety_call_a, m.staff_page(therapist_b=404)),
    "booking:staff_safety_call_complete": (safety_call_a, m.everyone(405)),
    "booking:staff_feeds": (None, m.staff_page(**FEED_ROLES_ONLY)),
    "booking:staff_feed_revoke": (
        feed_of_therapist_a,
        m.staff_page(therapist_b=404, **FEED_ROLES_ONLY),
    ),
    "booking:therapist_feed": (lambda cast: {"token": "not-a-valid-token"}, m.everyone(404)),
}
