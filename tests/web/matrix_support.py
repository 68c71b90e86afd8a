"""Shared vocabulary of the access matrix: personas, expected answers, URL arguments."""

from typing import Any

from tests.personas import Cast

LOGIN = "login"  # redirected to the sign-in page
PERSONAS = [
    "anonymous",
    "therapist_a",
    "front_desk_a",
    "therapist_b",
    "manager",
    "auditor",
    "biller_a",
    "patient_p",
    "patient_q",
]
STAFF_A = {"therapist_a": 200, "front_desk_a": 200, "manager": 200, "auditor": 200}
# The biller (clinic A) works on coverage, charges and claims: of the care pages they read the
# patient list, a patient's details and the calendar, never a clinical page, and write none.
# A staff page refuses them (403) unless its row says `biller_a=...` (BILLER_READS).
BILLER_READS = {"biller_a": 200}


def everyone(status: int) -> dict[str, Any]:
    return dict.fromkeys(PERSONAS, status)


def signed_in(status: Any) -> dict[str, Any]:
    return {"anonymous": LOGIN} | dict.fromkeys(PERSONAS[1:], status)


def staff_page(**overrides: Any) -> dict[str, Any]:
    base = {
        "anonymous": LOGIN,
        "therapist_b": 200,
        "biller_a": 403,
        "patient_p": 403,
        "patient_q": 403,
    }
    return base | STAFF_A | overrides


def portal_page() -> dict[str, Any]:
    return signed_in(403) | {"patient_p": 200, "patient_q": 200}


def clinic_a(cast: Cast) -> dict[str, Any]:
    return {"slug": cast.clinic_a.slug}


def patient_p(cast: Cast) -> dict[str, Any]:
    return {"patient_id": cast.patient_p.pk}
