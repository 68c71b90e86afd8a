"""Access matrix rows for record exports and the person's calendar feed (test_access_matrix.py).

A person exports only their own record (the portal pages take no id); staff export a patient
of their clinic (another clinic's answers 404), except the front desk, who keeps calendars,
not clinical notes (403). The feed itself is public: its secret token is the credential, and
a token that does not exist answers 404 for everyone.
"""

from typing import Any

from tests.web.matrix_support import everyone, patient_p, portal_page, staff_page


def _export_page() -> dict[str, Any]:
    return staff_page(therapist_b=404, front_desk_a=403)


ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "exports:my_bundle": (None, portal_page()),
    "exports:my_summary": (None, portal_page()),
    "exports:my_feed": (None, portal_page()),
    "exports:patient_feed": (lambda cast: {"token": "not-a-valid-token"}, everyone(404)),
    "exports:patient_bundle": (patient_p, _export_page()),
    "exports:patient_summary": (patient_p, _export_page()),
}
