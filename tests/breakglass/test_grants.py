"""Who may hold break-glass access (clinicians) and who may hand it out (the owner only)."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.breakglass.conftest import signed_in
from tests.personas import Cast
from unknot.audit.models import AuditEvent
from unknot.breakglass import services
from unknot.breakglass.models import BreakGlassGrant


@pytest.mark.parametrize("persona", ["auditor", "front_desk_a"])
def test_read_only_and_front_desk_staff_cannot_hold_a_grant(
    cast: Cast, owner: Any, persona: str
) -> None:
    member = cast.users[persona].staff_member
    with pytest.raises(ValidationError, match="Only therapists and clinic managers"):
        services.grant(by=owner, staff=member, now=timezone.now())
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="permission_change").exists()


def test_only_the_owner_grants(cast: Cast) -> None:
    for user in (cast.manager, cast.therapist_a):
        with pytest.raises(PermissionDenied):
            services.grant(by=user, staff=cast.therapist_b.staff_member, now=timezone.now())
    assert not BreakGlassGrant.objects.exists()


def test_one_active_grant_at_a_time(cast: Cast, owner: Any) -> None:
    member = cast.therapist_b.staff_member
    first = services.grant(by=owner, staff=member, now=timezone.now())
    with pytest.raises(ValidationError, match="already holds"):
        services.grant(by=owner, staff=member, now=timezone.now())
    assert services.revoke(by=owner, grant=first, now=timezone.now())
    assert not services.revoke(by=owner, grant=first, now=timezone.now())  # already revoked
    again = services.grant(by=owner, staff=member, now=timezone.now())
    assert again.pk != first.pk and BreakGlassGrant.objects.count() == 2


def test_managers_do_not_see_grants_in_the_admin(cast: Cast) -> None:
    client = signed_in(cast.manager)  # a manager may use the admin for their own clinic
    assert client.get(reverse("admin:index")).status_code == 200
    for name in (
        "admin:breakglass_breakglassgrant_changelist",
        "admin:breakglass_breakglassgrant_add",
    ):
        assert client.get(reverse(name)).status_code == 403


def test_the_owner_grants_and_revokes_in_the_admin(cast: Cast, owner: Any) -> None:
    client = signed_in(owner)
    add = reverse("admin:breakglass_breakglassgrant_add")
    form = client.get(add)
    assert form.status_code == 200
    assert cast.therapist_b.get_full_name().encode() in form.content
    assert cast.auditor.get_full_name().encode() not in form.content  # not offered
    refused = client.post(add, {"staff": cast.auditor.staff_member.pk})
    assert refused.status_code == 200 and not BreakGlassGrant.objects.exists()
    response = client.post(add, {"staff": cast.therapist_b.staff_member.pk})
    assert response.status_code == 302
    grant = BreakGlassGrant.objects.get()
    assert (grant.staff, grant.granted_by) == (cast.therapist_b.staff_member, owner)
    changelist = reverse("admin:breakglass_breakglassgrant_changelist")
    client.post(changelist, {"action": "revoke_selected", "_selected_action": [grant.pk]})
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == owner
    reasons = AuditEvent.objects.filter(action="permission_change").values_list("reason", flat=True)
    assert list(reasons) == ["break_glass_granted", "break_glass_revoked"]
