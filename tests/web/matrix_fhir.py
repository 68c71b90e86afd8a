"""Access matrix rows for the FHIR URLs (see test_access_matrix.py).

Programs call these, so a caller without credentials gets 401 (an OperationOutcome), not the
sign-in page. The directory (practitioners, clinics, appointment types, schedules, slots,
questionnaires) is open to anyone signed in; records answer 404 outside the clinic or to
another patient, and clinical records to the biller. POST-only URLs answer a GET with 405 for
everyone.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from tests import factories
from tests.billing import support as billing
from tests.calendar import evaluation_type, local, works_weekdays
from tests.personas import Cast
from tests.web import matrix_clinical as mc
from tests.web.matrix_care import care_episode
from tests.web.matrix_support import PERSONAS, everyone
from unknot.billing import claims
from unknot.billing.models import ChargeLine
from unknot.fhir.calendar import SlotKey
from unknot.plans.models import PlanOfCare


def signed_in(status: int = 200, **overrides: Any) -> dict[str, Any]:
    return {"anonymous": 401} | dict.fromkeys(PERSONAS[1:], status) | overrides


P_RECORD = signed_in(therapist_b=404, patient_q=404)
# The biller reads P's details and visits (as on the staff pages), never a clinical record:
# an intake, a score, a plan or a goal is "not found" for them, as for an outsider.
P_CLINICAL = P_RECORD | {"biller_a": 404}
# Charges and claims are the billing office's (biller, manager) and the patient's own: the care
# team, the front desk and the auditor find none, as on the charge and claim pages.
P_BILLING = P_CLINICAL | {"biller_a": 200, "therapist_a": 404, "front_desk_a": 404, "auditor": 404}


def _id(value: Any) -> dict[str, Any]:
    return {"resource_id": str(value)}


def member_a(cast: Cast) -> dict[str, Any]:
    return _id(cast.therapist_a.staff_member.pk)


def schedule_a(cast: Cast) -> dict[str, Any]:
    return _id(f"{cast.therapist_a.staff_member.pk}-{cast.clinic_a.pk}")


def type_a(cast: Cast) -> dict[str, Any]:
    return _id(evaluation_type(cast.clinic_a).pk)


def free_slot_a(cast: Cast) -> dict[str, Any]:
    works_weekdays(cast.therapist_a, cast.clinic_a)
    kind = evaluation_type(cast.clinic_a)
    day = timezone.now().date() + dt.timedelta(days=3)
    day += dt.timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
    start = local(cast.clinic_a, day, "10:00")
    return _id(SlotKey(cast.therapist_a.staff_member.pk, cast.clinic_a.pk, kind.pk, start).id)


def appointment_of_p(cast: Cast) -> dict[str, Any]:
    made = factories.booked_appointment(
        None, patient=cast.patient_p, type=evaluation_type(cast.clinic_a),
        therapist=cast.therapist_a,
    )  # fmt: skip
    return _id(made.pk)


def intake_of_p(cast: Cast) -> dict[str, Any]:
    return _id(mc.episode(cast).intake.pk)


def score_of_p(cast: Cast) -> dict[str, Any]:
    return _id(care_episode(cast.patient_p, cast.therapist_a).scores.first().pk)


def plan_of_p(cast: Cast) -> dict[str, Any]:
    return _id(PlanOfCare.objects.get(episode=care_episode(cast.patient_p, cast.therapist_a)).pk)


def goal_of_p(cast: Cast) -> dict[str, Any]:
    plan = PlanOfCare.objects.get(episode=care_episode(cast.patient_p, cast.therapist_a))
    return _id(plan.goals.first().pk)


def coverage_of_p(cast: Cast) -> dict[str, Any]:
    return _id(billing.covered(cast.patient_p, billing.payer(cast)).pk)


def _claimed(cast: Cast) -> Any:
    """An approved visit of P's, on Medicare, put on a claim."""
    coverage = billing.covered(cast.patient_p, billing.payer(cast))
    (charge,) = billing.charges(cast, ("100.00", 3), coverage=coverage)
    (claim,) = claims.claims_make(by=cast.manager, now=timezone.now())
    return charge, claim


def charge_line_of_p(cast: Cast) -> dict[str, Any]:
    charge, _ = _claimed(cast)
    return _id(ChargeLine.objects.filter(charge=charge).first().pk)


def claim_of_p(cast: Cast) -> dict[str, Any]:
    return _id(_claimed(cast)[1].pk)


ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "fhir:metadata": (None, everyone(200)),
    "fhir:patient_type": (None, signed_in()),
    "fhir:patient_instance": (lambda cast: _id(cast.patient_p.pk), P_RECORD),
    "fhir:practitioner_type": (None, signed_in()),
    "fhir:practitioner_instance": (member_a, signed_in()),
    "fhir:practitionerrole_type": (None, signed_in()),
    "fhir:practitionerrole_instance": (schedule_a, signed_in()),
    "fhir:location_type": (None, signed_in()),
    "fhir:location_instance": (lambda cast: _id(cast.clinic_a.pk), signed_in()),
    "fhir:healthcareservice_type": (None, signed_in()),
    "fhir:healthcareservice_instance": (type_a, signed_in()),
    "fhir:schedule_type": (None, signed_in()),
    "fhir:schedule_instance": (schedule_a, signed_in()),
    # a Slot search without schedule= is refused with 400 for everyone signed in
    "fhir:slot_type": (None, signed_in(400)),
    "fhir:slot_instance": (free_slot_a, signed_in()),
    "fhir:appointment_type": (None, signed_in()),
    "fhir:appointment_instance": (appointment_of_p, P_RECORD),
    "fhir:questionnaire_type": (None, signed_in()),
    "fhir:questionnaire_instance": (lambda cast: _id("start-back"), signed_in()),
    "fhir:questionnaireresponse_type": (None, everyone(405)),
    "fhir:questionnaireresponse_instance": (intake_of_p, P_CLINICAL),
    "fhir:observation_type": (None, signed_in()),
    "fhir:observation_instance": (score_of_p, P_CLINICAL),
    "fhir:careplan_type": (None, signed_in()),
    "fhir:careplan_instance": (plan_of_p, P_CLINICAL),
    "fhir:goal_type": (None, signed_in()),
    "fhir:goal_instance": (goal_of_p, P_CLINICAL),
    "fhir:coverage_type": (None, signed_in()),
    "fhir:coverage_instance": (coverage_of_p, P_RECORD),
    "fhir:chargeitem_type": (None, signed_in()),
    "fhir:chargeitem_instance": (charge_line_of_p, P_BILLING),
    "fhir:claim_type": (None, signed_in()),
    "fhir:claim_instance": (claim_of_p, P_BILLING),
}
