"""Who may book which appointment types by themselves."""

from unknot.booking.models import AppointmentKind, Status
from unknot.patients.models import Patient


def has_plan_of_care(patient: Patient) -> bool:
    """Follow-ups are for people whose evaluation is done and who therefore have a plan.

    Until signed plans of care exist as records, a completed initial evaluation is the sign
    that the therapist has set a plan with the person.
    """
    return patient.appointments.filter(
        appointment_type__kind=AppointmentKind.INITIAL, status=Status.COMPLETED
    ).exists()
