"""Reads of grants and openings. Who may see an opening: the clinic managers and auditors
of the patient's clinic, and the person who opened it."""

import datetime as dt

from django.db.models import QuerySet

from unknot.accounts.access import staff_role, staff_user
from unknot.accounts.models import AnyUser, User
from unknot.accounts.roles import CLINICAL_ROLES, Role
from unknot.breakglass.models import BreakGlassAccess, BreakGlassGrant
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to
from unknot.patients.models import Patient

REVIEWER_ROLES = frozenset({Role.MANAGER, Role.OWNER, Role.AUDITOR})
MATCH_LIMIT = 2  # we only need to know "one" from "more than one"


def may_hold_grant(staff_role_value: str | None) -> bool:
    """Only clinicians: reading a chart in an emergency is clinical work."""
    return staff_role_value in CLINICAL_ROLES


def active_grant(user: AnyUser) -> BreakGlassGrant | None:
    """The user's standing permission, if they have one and their role still allows it."""
    staff = staff_user(user)
    if staff is None or not may_hold_grant(staff_role(staff)):
        return None
    return BreakGlassGrant.objects.filter(staff__user=staff, revoked_at__isnull=True).first()


def usable_accesses(user: User, now: dt.datetime) -> QuerySet[BreakGlassAccess]:
    """Openings by this user that still let them in: not ended, not expired, grant active."""
    return (
        BreakGlassAccess.objects.filter(
            user=user,
            ended_at__isnull=True,
            expires_at__gt=now,
            grant__revoked_at__isnull=True,
            grant__staff__user=user,
        )
        .select_related("patient__preferred_clinic")
        .order_by("-expires_at", "-pk")
    )


def openings_visible_to(user: AnyUser) -> QuerySet[BreakGlassAccess]:
    """For the review page: openings of the patients of the reviewer's clinics."""
    if staff_role(user) not in REVIEWER_ROLES:
        return BreakGlassAccess.objects.none()
    return BreakGlassAccess.objects.filter(
        patient__preferred_clinic__in=clinics_visible_to(user)
    ).select_related("user__staff_member", "patient__preferred_clinic")


def get_own_access(user: User, access_id: int) -> BreakGlassAccess | None:
    return BreakGlassAccess.objects.filter(pk=access_id, user=user).first()


def matching_patients(
    *, first_name: str, last_name: str, date_of_birth: dt.date, clinic: Clinic | None
) -> list[Patient]:
    """Exact identifiers only (case and spaces aside): never a list to browse."""
    found = Patient.objects.filter(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    ).select_related("preferred_clinic")
    if clinic is not None:
        found = found.filter(preferred_clinic=clinic)
    return list(found.order_by("pk")[:MATCH_LIMIT])
