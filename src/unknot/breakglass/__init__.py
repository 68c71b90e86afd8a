"""Break-glass access: a pre-authorised clinician opens one patient's record outside their
clinics, for a stated reason and a limited time, read-only, audited, with the patient's
clinic managers told. See docs/break-glass.md."""
