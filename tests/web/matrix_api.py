"""Access matrix rows for the REST API at /api/v1/ (see test_access_matrix.py).

The matrix signs in with the session, which the API accepts beside bearer tokens; without
credentials the API answers 401 (never a redirect to the sign-in page). Records belong to
patient P at clinic A: clinic B's therapist and patient Q get the 404 of a missing object.
Visit notes are for staff (patients 403); action URLs are POST-only (a GET is 405 for all).
"""

from typing import Any

from tests.api.world import build_world
from tests.personas import Cast
from tests.web import matrix_support as m

NO_CREDENTIALS = 401


def api_page(**overrides: Any) -> dict[str, Any]:
    """Staff of clinic A, and both patients (each sees their own), signed in. The API serves
    the care record and the calendar: the biller is refused (403)."""
    return m.signed_in(200) | {"anonymous": NO_CREDENTIALS, "biller_a": 403} | overrides


def records_of_p(**overrides: Any) -> dict[str, Any]:
    return api_page(therapist_b=404, patient_q=404, **overrides)


def _of_p(key: str) -> Any:
    def kwargs(cast: Cast) -> dict[str, Any]:
        return {"id": getattr(build_world(cast).p, key)}

    return kwargs


def _therapist(cast: Cast) -> dict[str, Any]:
    return {"id": cast.therapist_a.staff_member.pk}


def _type(cast: Cast) -> dict[str, Any]:
    return {"id": build_world(cast).evaluation_a.pk}


STAFF_ONLY = api_page(patient_p=403, patient_q=403)

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "api:schema": (None, m.everyone(200)),
    "api:docs": (None, m.everyone(200)),
    "api:tokens": (None, m.signed_in(200)),
    "api:token_revoke": (lambda cast: {"token_id": 999999}, m.everyone(405)),
    "api:clinic_list": (None, m.everyone(200)),
    "api:clinic_detail": (m.clinic_a, m.everyone(200)),
    "api:therapist_list": (None, m.everyone(200)),
    "api:therapist_detail": (_therapist, m.everyone(200)),
    "api:type_list": (None, m.everyone(200)),
    "api:type_detail": (_type, m.everyone(200)),
    # public; a bare GET lacks the required clinic, type and dates: the JSON 400
    "api:availability": (None, m.everyone(400)),
    "api:appointment_list": (None, api_page()),
    "api:appointment_detail": (_of_p("appointment"), records_of_p()),
    "api:appointment_move": (_of_p("appointment"), m.everyone(405)),
    "api:appointment_cancel": (_of_p("appointment"), m.everyone(405)),
    "api:patient_list": (None, api_page()),
    "api:patient_detail": (_of_p("patient"), records_of_p()),
    "api:intake_list": (None, api_page()),
    "api:intake_detail": (_of_p("intake"), records_of_p()),
    "api:plan_list": (None, api_page()),
    "api:plan_detail": (_of_p("plan"), records_of_p()),
    "api:visit_list": (None, STAFF_ONLY),
    "api:visit_detail": (_of_p("visit"), STAFF_ONLY | {"therapist_b": 404}),
    "api:outcome_list": (None, api_page()),
    "api:outcome_detail": (_of_p("outcome"), records_of_p()),
    "api:log_list": (None, api_page()),
    "api:log_detail": (_of_p("log"), records_of_p()),
}
