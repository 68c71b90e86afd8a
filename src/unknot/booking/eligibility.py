"""Who may book which appointment types by themselves: the one home of that rule.

`services.appointment_book` applies it to every booking a patient makes, whatever the way in
(portal, REST, FHIR); the portal also reads it to decide what to offer.
"""

from unknot.booking.models import AppointmentKind, AppointmentType, OnlineBooking, Status
from unknot.clinics.models import Clinic
from unknot.patients.models import Patient


def has_plan_of_care(patient: Patient) -> bool:
    """Follow-ups are for people whose evaluation is done and who therefore have a plan.

    Until signed plans of care exist as records, a completed initial evaluation is the sign
    that the therapist has set a plan with the person.
    """
    return patient.appointments.filter(
        appointment_type__kind=AppointmentKind.INITIAL, status=Status.COMPLETED
    ).exists()


def may_book_themselves(
    patient: Patient, clinic: Clinic, appointment_type: AppointmentType
) -> bool:
    """A signed-in patient books follow-up types open to patients with a plan, at their own
    clinic, once their evaluation is done; anything else goes through the clinic."""
    return (
        appointment_type.online_booking == OnlineBooking.PATIENTS_WITH_PLAN
        and clinic.pk == patient.preferred_clinic_id
        and has_plan_of_care(patient)
    )
