"""Access matrix rows for the billing reports (see test_access_matrix.py).

The billing office reads them (the biller, managers and the owner), each at their own clinics;
therapists, the front desk and the auditor are refused (403), the other clinic's staff too
(their role is refused before any clinic is looked at), and patients see no staff page. A
biller of another clinic who names clinic A in the query is told to choose one of their own
(tests/billing/test_reports.py).
"""

from typing import Any

from tests.web import matrix_support as m

BILLING_OFFICE = m.staff_page(
    therapist_a=403, front_desk_a=403, therapist_b=403, auditor=403, **m.BILLER_READS
)

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "staffarea:report_list": (None, BILLING_OFFICE),
    "staffarea:report_totals": (None, BILLING_OFFICE),
    "staffarea:report_balances": (None, BILLING_OFFICE),
    "staffarea:report_kx": (None, BILLING_OFFICE),
    "staffarea:report_authorisations": (None, BILLING_OFFICE),
}
