"""Who may change coverage and the payer list (docs/billing.md, "Coverage"). Everyone at the
patient's clinic may read a coverage; the auditor only reads."""

from unknot.accounts.roles import BILLING_ROLES, PAYMENT_ROLES

# Those who take a patient's insurance at the desk or bill it.
COVERAGE_WRITERS = PAYMENT_ROLES
# The practice's list of payers is kept by those who run it and bill.
PAYER_WRITERS = BILLING_ROLES
