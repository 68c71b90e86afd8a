"""Access matrix rows for the auditors' report (see test_access_matrix.py).

Only auditors and clinic managers may open the report or export it; everyone else on the
staff gets 403, patients too, and anonymous visitors are sent to sign in. What each of the
two sees (their clinics' events) is tested in tests/audit/test_report.py.
"""

from typing import Any

from tests.web.matrix_support import signed_in

AUDITORS_AND_MANAGERS = signed_in(403) | {"manager": 200, "auditor": 200}

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "audit:report": (None, AUDITORS_AND_MANAGERS),
    "audit:export_csv": (None, AUDITORS_AND_MANAGERS),
}
