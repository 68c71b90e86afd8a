"""Writes: granting and revoking the permission, opening and ending an access.

Each runs in one transaction with its audit row, so the change and its record commit or
roll back together. The reason's words stay in BreakGlassAccess; the audit row gets only
ids and the category code.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from unknot.accounts.models import User
from unknot.audit import services as audit
from unknot.audit.models import Action, Outcome
from unknot.breakglass import notify, selectors
from unknot.breakglass.models import BreakGlassAccess, BreakGlassGrant, Category
from unknot.clinics.models import StaffMember
from unknot.patients.models import Patient

MIN_REASON_WORDS = 3


def access_minutes() -> int:
    return max(1, int(getattr(settings, "BREAK_GLASS_MINUTES", 60)))


def _owner_only(by: User) -> None:
    # Break-glass reaches across clinics, so only the practice owner decides who holds it;
    # a clinic manager answers for their own clinics, not for the others'.
    if not getattr(by, "is_superuser", False):
        raise PermissionDenied("Only the practice owner may grant or revoke break-glass access.")


def grant(*, by: User, staff: StaffMember, now: dt.datetime) -> BreakGlassGrant:
    _owner_only(by)
    if not selectors.may_hold_grant(staff.role):
        raise ValidationError(
            "Only therapists and clinic managers can hold break-glass access; "
            f"{staff.display_name} is {staff.get_role_display().lower()}."
        )
    with transaction.atomic():
        if BreakGlassGrant.objects.filter(staff=staff, revoked_at__isnull=True).exists():
            raise ValidationError(f"{staff.display_name} already holds break-glass access.")
        made = BreakGlassGrant.objects.create(staff=staff, granted_by=by, granted_at=now)
        _record_permission(by, staff, "break_glass_granted")
    return made


def revoke(*, by: User, grant: BreakGlassGrant, now: dt.datetime) -> bool:
    """Stops the grant and every opening made under it; False if it was already revoked."""
    _owner_only(by)
    with transaction.atomic():
        changed = BreakGlassGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        if not changed:
            return False
        BreakGlassAccess.objects.filter(grant=grant, ended_at__isnull=True).update(ended_at=now)
        _record_permission(by, grant.staff, "break_glass_revoked")
    grant.refresh_from_db()
    return True


def _record_permission(by: User, staff: StaffMember, code: str) -> None:
    audit.record(
        Action.PERMISSION_CHANGE, by=by, object_type="account", object_id=staff.user_id,
        reason=code,
    )  # fmt: skip


def open_access(
    *, by: User, patient: Patient, category: str, reason: str, now: dt.datetime
) -> BreakGlassAccess:
    """Opens one patient's record to `by` until now + BREAK_GLASS_MINUTES; tells the managers."""
    held = selectors.active_grant(by)
    if held is None:
        raise PermissionDenied("You are not pre-authorised for break-glass access.")
    if category not in Category.values:
        raise ValidationError("Choose why you need this record.")
    if len(reason.split()) < MIN_REASON_WORDS:
        raise ValidationError(f"Please give the reason in at least {MIN_REASON_WORDS} words.")
    with transaction.atomic():
        opening = BreakGlassAccess.objects.create(
            grant=held, user=by, patient=patient, category=category, reason=reason.strip(),
            opened_at=now, expires_at=now + dt.timedelta(minutes=access_minutes()),
        )  # fmt: skip
        audit.record(
            Action.BREAK_GLASS, by=by, object_type="break_glass_access", object_id=opening.pk,
            patient_id=patient.pk, clinic_id=patient.preferred_clinic_id, reason=category,
        )  # fmt: skip
        notify.queue_manager_emails(opening, now)
    return opening


def end_access(*, by: User, opening: BreakGlassAccess, now: dt.datetime) -> bool:
    """The person is done before the time is up; False if it had already ended or expired."""
    with transaction.atomic():
        changed = BreakGlassAccess.objects.filter(
            pk=opening.pk, user=by, ended_at__isnull=True, expires_at__gt=now
        ).update(ended_at=now)
        if changed:
            audit.record(
                Action.BREAK_GLASS, by=by, object_type="break_glass_access",
                object_id=opening.pk, patient_id=opening.patient_id,
                clinic_id=opening.patient.preferred_clinic_id, reason="ended",
            )  # fmt: skip
    return bool(changed)


def record_refusal(*, by: User, code: str) -> None:
    """A search that opened nothing: no patient named, only that it was tried and why not."""
    audit.record(Action.BREAK_GLASS, by=by, outcome=Outcome.DENIED, reason=code)
