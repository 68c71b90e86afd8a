"""Granting and revoking break-glass access: the practice owner (superuser) only.

Clinic managers, who otherwise use the admin for their own clinics, do not see these pages:
break-glass reaches into every clinic, so it is not one clinic's manager's to hand out.
Grants are never deleted or edited; "Revoke" stamps them, and both go through the services
so that each change is in the audit trail.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from unknot.accounts.access import signed_in_user
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.breakglass import services
from unknot.breakglass.models import BreakGlassAccess, BreakGlassGrant
from unknot.clinics.models import StaffMember
from unknot.common.formfields import model_choice_field


class OwnerOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GrantForm(forms.ModelForm):
    class Meta:
        model = BreakGlassGrant
        fields = ["staff"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "staff" not in self.fields:
            return  # a grant's own page is read-only: nothing to choose
        model_choice_field(self, "staff").queryset = StaffMember.objects.filter(
            role__in=CLINICAL_ROLES, user__is_active=True
        ).exclude(pk__in=BreakGlassGrant.objects.filter(revoked_at__isnull=True).values("staff"))
        self.fields["staff"].help_text = "Therapists and clinic managers without a grant."


@admin.register(BreakGlassGrant)
class GrantAdmin(OwnerOnly, admin.ModelAdmin):
    form = GrantForm
    list_display = ["staff", "granted_at", "granted_by", "revoked_at", "revoked_by"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The service writes the row (and its audit record); the admin only collects the choice.
        made = services.grant(by=signed_in_user(request.user), staff=obj.staff, now=timezone.now())
        obj.pk, obj.granted_at, obj.granted_by = made.pk, made.granted_at, made.granted_by

    @admin.action(description="Revoke the selected grants (ends their open accesses)")
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[BreakGlassGrant]) -> None:
        now = timezone.now()
        owner = signed_in_user(request.user)
        revoked = sum(services.revoke(by=owner, grant=g, now=now) for g in queryset)
        messages.success(request, f"{revoked} grant(s) revoked.")


ACCESS_FIELDS = ("user", "patient_id", "category", "reason", "opened_at", "expires_at", "ended_at")


@admin.register(BreakGlassAccess)
class AccessAdmin(OwnerOnly, admin.ModelAdmin):
    list_display = ["opened_at", "user", "patient_id", "category", "expires_at", "ended_at"]
    list_filter = ["category"]
    fields = ACCESS_FIELDS
    readonly_fields = ACCESS_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
