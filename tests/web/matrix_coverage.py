"""Access matrix rows for coverage's URLs (see test_access_matrix.py).

Everyone at the patient's clinic reads a patient's insurance (clinic B's therapist: 404);
only the roles that take insurance change it (a therapist or the auditor: 403, before the
record is looked up). The payer list is the practice's: all its staff read it, the owner,
manager and biller change it. Patients see their own coverage and card images only.
"""

from typing import Any

from tests.coverage.support import JPEG, details, payer
from tests.personas import Cast
from tests.web import matrix_support as m
from unknot.coverage import cards, services
from unknot.coverage.models import Coverage, Payer
from unknot.coverage.services import CardImages

WRITERS_ONLY = m.staff_page(therapist_a=403, therapist_b=403, auditor=403, **m.BILLER_READS)
PAYER_KEEPERS = WRITERS_ONLY | {"front_desk_a": 403}


def _payer(cast: Cast) -> Payer:
    found = Payer.objects.filter(practice=cast.clinic_a.practice).first()
    return found or payer(cast.clinic_a.practice)


def _coverage_of_p(cast: Cast) -> Coverage:
    """P's coverage, with the card's front on file (made once per test)."""
    found = Coverage.objects.filter(patient=cast.patient_p).first()
    return found or services.coverage_add(
        by=cast.front_desk_a, patient=cast.patient_p, details=details(_payer(cast)),
        images=CardImages(front=cards.checked(JPEG)),
    )  # fmt: skip


def coverage(cast: Cast) -> dict[str, Any]:
    return {"coverage_id": _coverage_of_p(cast).pk}


def card(cast: Cast) -> dict[str, Any]:
    return coverage(cast) | {"side": "front"}


ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "staffarea:patient_coverage": (m.patient_p, m.staff_page(therapist_b=404, **m.BILLER_READS)),
    "staffarea:coverage_add": (m.patient_p, WRITERS_ONLY),
    "staffarea:coverage_self_pay": (m.patient_p, WRITERS_ONLY),
    "staffarea:coverage_edit": (coverage, WRITERS_ONLY),
    "staffarea:coverage_end": (coverage, WRITERS_ONLY),
    "staffarea:coverage_card": (card, m.staff_page(therapist_b=404, **m.BILLER_READS)),
    "staffarea:payer_list": (None, m.staff_page(**m.BILLER_READS)),
    "staffarea:payer_add": (None, PAYER_KEEPERS),
    "staffarea:payer_edit": (lambda cast: {"payer_id": _payer(cast).pk}, PAYER_KEEPERS),
    "portal:coverage": (None, m.portal_page()),
    "portal:coverage_add": (None, m.portal_page()),
    "portal:coverage_self_pay": (None, m.everyone(405)),
    # Not P's: answered as for a coverage that does not exist.
    "portal:coverage_card": (card, m.portal_page() | {"patient_q": 404}),
}
