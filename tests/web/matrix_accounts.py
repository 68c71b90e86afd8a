"""Access matrix rows for the sign-in security pages (see test_access_matrix.py).

The matrix signs people in with force_login, which (tests/conftest.py) also passes the
second factor for staff. So staff, already verified, are sent on from the second-factor
pages; patients, who have not turned it on, are sent on from the code page but may open the
set-up page. Making new recovery codes and turning two-factor off are POST-only (405 to a
GET); their rules are tested in tests/accounts/test_second_factor.py.
"""

from typing import Any

from tests.web.matrix_support import everyone, signed_in

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "accounts:second_factor": (None, signed_in(302)),
    "accounts:second_factor_setup": (None, signed_in(302) | {"patient_p": 200, "patient_q": 200}),
    "accounts:security": (None, signed_in(200)),
    "accounts:recovery_codes": (None, everyone(405)),
    "accounts:second_factor_disable": (None, everyone(405)),
}
