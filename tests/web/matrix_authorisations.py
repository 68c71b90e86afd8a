"""Access matrix rows for the authorisations' staff pages (see test_access_matrix.py).

Everyone at the patient's clinic may read them (the auditor too); only the front desk,
managers, the owner and the biller may add or change one (the therapist's role is refused
before any record is looked at, so clinic B's therapist gets 403 there, 404 on the lists).
"""

from typing import Any

from tests.coverage.support import authorisation, coverage
from tests.personas import Cast
from tests.web import matrix_support as m


def coverage_of_p(cast: Cast) -> dict[str, Any]:
    return {"coverage_id": coverage(cast.patient_p).pk}


def authorisation_of_p(cast: Cast) -> dict[str, Any]:
    row = authorisation(cast.front_desk_a, coverage(cast.patient_p))
    return {"authorisation_id": row.pk}


WRITERS = m.staff_page(therapist_a=403, therapist_b=403, auditor=403, **m.BILLER_READS)

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "staffarea:patient_authorisations": (
        m.patient_p,
        m.staff_page(therapist_b=404, **m.BILLER_READS),
    ),
    "staffarea:coverage_authorisations": (
        coverage_of_p,
        m.staff_page(therapist_b=404, **m.BILLER_READS),
    ),
    "staffarea:authorisation_add": (coverage_of_p, WRITERS),
    "staffarea:authorisation_edit": (authorisation_of_p, WRITERS),
}
