"""Access matrix rows for patients' accounts, payments, adjustments, the ageing report, the
money PDFs and the claims (see test_access_matrix.py).

The front desk and the billing office take payments; only the billing office (managers and
the owner here; the biller persona where the cast has one) adjusts and sees the ageing
report. Therapists and the auditor see no money pages; patients see their own bills only.
"""

from typing import Any

from tests.web import matrix_support as m

MONEY_DESK = m.staff_page(therapist_a=403, therapist_b=403, auditor=403, **m.BILLER_READS)
BILLING_OFFICE = MONEY_DESK | {"front_desk_a": 403}

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "staffarea:patient_account": (m.patient_p, MONEY_DESK),
    "staffarea:payment_add": (m.patient_p, MONEY_DESK),
    "staffarea:adjustment_add": (m.patient_p, BILLING_OFFICE),
    "staffarea:statement_pdf": (m.patient_p, MONEY_DESK),
    "staffarea:superbill_pdf": (m.patient_p, MONEY_DESK),
    "staffarea:ageing_report": (None, BILLING_OFFICE),
    "staffarea:claim_list": (None, BILLING_OFFICE),
    "staffarea:claims_make": (None, m.everyone(405)),
    "staffarea:claims_file": (None, m.everyone(405)),
    # No such claim: the billing office gets 404, everyone else is refused by role first.
    "staffarea:claim_detail": (
        lambda cast: {"claim_id": 999999},
        BILLING_OFFICE | {"manager": 404, "biller_a": 404},
    ),
    "staffarea:claim_settings": (None, BILLING_OFFICE),
    "portal:bills": (None, m.portal_page()),
    "portal:statement_pdf": (None, m.portal_page()),
    "portal:superbill_pdf": (None, m.portal_page()),
}
