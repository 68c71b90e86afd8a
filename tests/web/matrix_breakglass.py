"""Access matrix rows for break-glass access (see test_access_matrix.py).

Nobody in the cast holds a grant, so the opening page refuses every member of staff (403):
clinicians because they are not pre-authorised, the front desk and auditors because their
role can never be. Ending an opening is POST-only (405 to a GET, for everyone). The review
of openings is for clinic managers and auditors. With a grant: tests/breakglass/.
"""

from typing import Any

from tests.web.matrix_support import everyone, signed_in

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "breakglass:start": (None, signed_in(403)),
    "breakglass:end": (lambda cast: {"access_id": 999999}, everyone(405)),
    "breakglass:openings": (None, signed_in(403) | {"manager": 200, "auditor": 200}),
}
