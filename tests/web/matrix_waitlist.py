"""Access matrix rows for the waitlist's URLs (see test_access_matrix.py).

The offer's page opens with its signed link only: a forged token is 404 for everyone. A
patient without a completed evaluation is sent back from joining (302). Leaving and
removing are POST only (405 to a GET, before any access check).
"""

from typing import Any

from tests.web import matrix_support as m

NO_SUCH_ENTRY = {"entry_id": 999999}

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "waitlist:offer": (lambda cast: {"token": "not-a-valid-token"}, m.everyone(404)),
    "portal:waitlist": (None, m.portal_page()),
    "portal:waitlist_join": (None, m.portal_page() | {"patient_p": 302, "patient_q": 302}),
    "portal:waitlist_leave": (lambda cast: NO_SUCH_ENTRY, m.everyone(405)),
    "staffarea:clinic_waitlist": (m.clinic_a, m.staff_page(therapist_b=404)),
    "staffarea:waitlist_add": (m.clinic_a, m.staff_page(therapist_b=404, auditor=403)),
    "staffarea:waitlist_remove": (lambda cast: NO_SUCH_ENTRY, m.everyone(405)),
}
