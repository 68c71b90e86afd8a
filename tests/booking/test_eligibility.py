"""Who may book which type by themselves: one rule, in the booking service, whatever the way in.

The portal, the REST API and FHIR all book through `services.appointment_book`; these tests
call it directly as the patient, so no caller's own check can hide a hole in the service.
"""

import datetime as dt

import pytest
from django.utils import timezone

from tests.booking.test_portal_booking import completed_evaluation, next_weekday
from tests.calendar import Calendar, follow_up_type, local, works_weekdays
from unknot.booking import services
from unknot.booking.errors import NotForPatients
from unknot.booking.models import Appointment, AppointmentType, Status


def patient_books(calendar: Calendar, kind: AppointmentType, clinic_name: str = "a") -> Appointment:
    cast = calendar.cast
    clinic = getattr(cast, f"clinic_{clinic_name}")
    therapist = getattr(cast, f"therapist_{clinic_name}").staff_member
    return services.appointment_book(
        by=cast.patient_p.user,
        clinic=clinic,
        appointment_type=kind,
        therapist=therapist,
        patient=cast.patient_p,
        start=local(clinic, next_weekday(3), "10:00"),
        now=timezone.now(),
        source="portal",
    )


def booked_by_patient() -> int:
    return Appointment.objects.filter(status=Status.BOOKED, source="portal").count()


def test_a_follow_up_before_the_evaluation_is_refused(calendar: Calendar) -> None:
    with pytest.raises(NotForPatients):
        patient_books(calendar, calendar.follow_up_a)
    assert booked_by_patient() == 0


def test_a_type_not_open_to_patients_is_refused_even_after_the_evaluation(
    calendar: Calendar,
) -> None:
    completed_evaluation(calendar)
    with pytest.raises(NotForPatients):
        patient_books(calendar, calendar.evaluation_a)
    assert booked_by_patient() == 0


def test_another_clinics_follow_up_is_refused(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    works_weekdays(calendar.cast.therapist_b, calendar.cast.clinic_b)
    with pytest.raises(NotForPatients):
        patient_books(calendar, follow_up_type(calendar.cast.clinic_b), clinic_name="b")
    assert booked_by_patient() == 0


def test_an_evaluated_patient_books_a_follow_up_at_their_clinic(calendar: Calendar) -> None:
    completed_evaluation(calendar)
    booked = patient_books(calendar, calendar.follow_up_a)
    assert booked.status == Status.BOOKED and booked_by_patient() == 1


def test_staff_book_any_type_for_the_patient(calendar: Calendar) -> None:
    cast = calendar.cast
    booked = services.appointment_book(
        by=cast.front_desk_a,
        clinic=cast.clinic_a,
        appointment_type=calendar.evaluation_a,
        therapist=cast.therapist_a.staff_member,
        patient=cast.patient_p,
        start=local(cast.clinic_a, next_weekday(3), "10:00"),
        now=timezone.now() - dt.timedelta(seconds=1),
    )
    assert booked.status == Status.BOOKED
