"""The fixed cast every endpoint test uses (DESIGN.md: tests as personas).

Clinic A and clinic B are in different time zones. The cast:
therapist_a, front_desk_a (clinic A), therapist_b (clinic B), manager (manages A only),
auditor (read-only, A), biller_a (billing, A: no clinical notes), patient_p (clinic A, portal
login), patient_q (clinic B, portal login).
"""

from dataclasses import dataclass
from typing import Any

from tests import factories
from unknot.clinics.models import Clinic
from unknot.patients.models import Patient


@dataclass
class Cast:
    clinic_a: Clinic
    clinic_b: Clinic
    therapist_a: Any
    front_desk_a: Any
    therapist_b: Any
    manager: Any
    auditor: Any
    biller_a: Any
    patient_p: Patient
    patient_q: Patient

    @property
    def users(self) -> dict[str, Any]:
        return {
            "therapist_a": self.therapist_a,
            "front_desk_a": self.front_desk_a,
            "therapist_b": self.therapist_b,
            "manager": self.manager,
            "auditor": self.auditor,
            "biller_a": self.biller_a,
            "patient_p": self.patient_p.user,
            "patient_q": self.patient_q.user,
        }


def make_cast() -> Cast:
    clinic_a = factories.clinic("clinic-a", "America/New_York", name="Alder Clinic")
    clinic_b = factories.clinic("clinic-b", "America/Denver", name="Birch Clinic")
    return Cast(
        clinic_a=clinic_a,
        clinic_b=clinic_b,
        therapist_a=factories.staff("therapist_a", "therapist", [clinic_a]),
        front_desk_a=factories.staff("front_desk_a", "front_desk", [clinic_a]),
        therapist_b=factories.staff("therapist_b", "therapist", [clinic_b]),
        manager=factories.staff("manager", "manager", [clinic_a], is_staff=True),
        auditor=factories.staff("auditor", "auditor", [clinic_a]),
        biller_a=factories.staff("biller_a", "biller", [clinic_a]),
        patient_p=factories.patient("Penny", "Parker", clinic_a),
        patient_q=factories.patient("Quentin", "Quill", clinic_b),
    )
