"""Who may change coverage and the payer list (docs/billing.md, "Coverage"). Everyone at the
patient's clinic may read a coverage; the auditor only reads."""

from unknot.accounts.roles import Role

# Those who take a patient's insurance at the desk or bill it.
COVERAGE_WRITERS = frozenset({Role.FRONT_DESK, Role.MANAGER, Role.OWNER, Role.BILLER})
# The practice's list of payers is kept by those who run it and bill.
PAYER_WRITERS = frozenset({Role.OWNER, Role.MANAGER, Role.BILLER})
