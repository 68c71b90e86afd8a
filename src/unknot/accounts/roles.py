from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Practice owner"
    MANAGER = "manager", "Clinic manager"
    THERAPIST = "therapist", "Physical therapist"
    FRONT_DESK = "front_desk", "Front desk"
    BILLER = "biller", "Biller"
    AUDITOR = "auditor", "Auditor"


ALL_STAFF_ROLES = frozenset(Role)
# Who runs clinics: the practice dashboard, the audit report, feeds and emergency-access review.
# A manager runs the clinics where they work; the owner runs every clinic of the practice.
MANAGING_ROLES = frozenset({Role.OWNER, Role.MANAGER})
# The billing office: the charge queue, fee schedules, claims, insurers' payments, adjustments,
# the ageing report and the payer list (docs/billing.md).
BILLING_ROLES = frozenset({Role.BILLER, *MANAGING_ROLES})
CLINICAL_ROLES = frozenset({Role.THERAPIST, *MANAGING_ROLES})
# Roles that may look but never change anything: writes answer 403 for them.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
# Who may read the clinical record (intake answers, evaluations, visit notes, plans, the home
# programme, red-flag screens and safety calls): everyone on the staff but the biller, who
# works on coverage, charges and claims and sees of a patient only what a claim needs. The
# default of `staff_only` and `ensure_may_write`: a page or a write that does not name its
# roles is the care team's (docs/billing.md, "The biller role").
CHART_ROLES = ALL_STAFF_ROLES - {Role.BILLER}
# Who takes a patient's money: the front desk at the counter, and the billing office.
PAYMENT_ROLES = frozenset({Role.FRONT_DESK, *BILLING_ROLES})
