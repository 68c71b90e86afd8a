"""Access matrix rows for paperwork's URLs (see test_access_matrix.py).

The practice's documents are the owner's and the managers' to edit. A patient's forms are
seen by the staff of the patient's clinic (another clinic's: 404); signing at the desk is for
roles that write (the auditor: 403). A signature that does not exist is 404 for everyone who
may reach the page, exactly as another person's would be.
"""

from typing import Any

from tests.web import matrix_support as m

MANAGERS_ONLY = m.staff_page(therapist_a=403, front_desk_a=403, therapist_b=403, auditor=403)
NO_SUCH_SIGNATURE = {"signature_id": 999999}
NO_SUCH_FOR_STAFF = m.staff_page(
    therapist_a=404, front_desk_a=404, therapist_b=404, manager=404, auditor=404
)


def _desk_sign(cast: Any) -> dict[str, Any]:
    return {"patient_id": cast.patient_p.pk, "kind": "consent"}


ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "staffarea:paperwork_documents": (None, MANAGERS_ONLY),
    "staffarea:paperwork_edit": (lambda cast: {"kind": "consent"}, MANAGERS_ONLY),
    "staffarea:patient_paperwork": (m.patient_p, m.staff_page(therapist_b=404)),
    "staffarea:paperwork_desk_sign": (_desk_sign, m.staff_page(therapist_b=404, auditor=403)),
    "staffarea:paperwork_signed_pdf": (lambda cast: NO_SUCH_SIGNATURE, NO_SUCH_FOR_STAFF),
    "portal:paperwork": (None, m.portal_page()),
    "portal:paperwork_sign": (lambda cast: {"kind": "consent"}, m.portal_page()),
    "portal:paperwork_signed_pdf": (
        lambda cast: NO_SUCH_SIGNATURE,
        m.portal_page() | {"patient_p": 404, "patient_q": 404},
    ),
}
