from django.db import models


class Role(models.TextChoices):
    MANAGER = "manager", "Clinic manager"
    THERAPIST = "therapist", "Physical therapist"
    FRONT_DESK = "front_desk", "Front desk"
    AUDITOR = "auditor", "Auditor"


ALL_STAFF_ROLES = frozenset(Role)
CLINICAL_ROLES = frozenset({Role.THERAPIST, Role.MANAGER})
# Roles that may look but never change anything: writes answer 403 for them.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
