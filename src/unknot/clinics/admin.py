"""The admin site, scoped: a clinic manager administers only the clinics they manage.

Superusers (the practice owner) see everything. No health data is exposed here.
"""

from collections.abc import Mapping
from typing import Any, ClassVar

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from unknot.accounts.access import staff_role, staff_user
from unknot.accounts.roles import Role
from unknot.clinics.models import Clinic, Closure, OpeningHours, Practice, StaffMember
from unknot.common import inputs
from unknot.common.inputs import NOT_A_DATE, BadInput, in_range


def _is_manager(request: HttpRequest) -> bool:
    return staff_role(request.user) == Role.MANAGER and request.user.is_staff


def managed_clinics(request: HttpRequest) -> QuerySet[Clinic]:
    if request.user.is_superuser:
        return Clinic.objects.all()
    staff = staff_user(request.user)
    if staff is not None and _is_manager(request):
        return Clinic.objects.filter(staff=staff.staff_member)
    return Clinic.objects.none()


# Dates typed into the admin's forms keep to the shared bounds (unknot.common.inputs).
# (A `type` alias is evaluated lazily: the stubs' Field is generic, Django's not subscriptable.)
type FieldOverrides = Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]
BOUNDED_DATES: FieldOverrides = {
    models.DateField: {"form_class": inputs.DateField},
    models.DateTimeField: {"form_class": inputs.SplitDateTimeField},
}


class ManagerPermissions:
    """Managers may work on these models; which rows is decided by the querysets."""

    formfield_overrides: ClassVar[FieldOverrides] = BOUNDED_DATES

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or _is_manager(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


class ScopedAdmin(ManagerPermissions, admin.ModelAdmin):
    """Managers get rows of their own clinics only; `clinic_path` leads from a row to its clinic."""

    clinic_path = "clinic"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.clinic_path}__in": managed_clinics(request)}).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Clinic:
            kwargs["queryset"] = managed_clinics(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Clinic:
            kwargs["queryset"] = managed_clinics(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest) -> Any:
        """A filter on a relation offers only what the (scoped) rows refer to, never every
        clinic of the practice."""
        return [_related_only(self.model, name) for name in super().get_list_filter(request)]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        """Django's date drill-down computes the next day, month or year of the one asked
        for: year 9999 would overflow, so a year outside the shared bounds is a 400."""
        if self.date_hierarchy:
            year = request.GET.get(f"{self.date_hierarchy}__year")
            if year is not None and not (len(year) == 4 and year.isdigit() and in_range(int(year))):
                raise BadInput(NOT_A_DATE, f"{self.date_hierarchy}__year")
        return super().changelist_view(request, extra_context)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """The delete page names only what was chosen and counts the rest: the related rows can
        be patients' care records, and, for someone at two clinics, another clinic's."""
        _related, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        chosen = [str(obj) for obj in objs]
        held = [f"{len(protected)} related records of patients' care"] if protected else []
        return chosen, counts, perms_needed, held


def _related_only(model: Any, name: Any) -> Any:
    if not isinstance(name, str):
        return name  # already a (field, filter) pair or a filter class
    field = model._meta.get_field(name)
    return (name, admin.RelatedOnlyFieldListFilter) if field.is_relation else name


class OpeningHoursInline(ManagerPermissions, admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(ManagerPermissions, admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(ScopedAdmin):
    clinic_path = "pk"
    list_display = ["name", "city", "time_zone", "phone"]
    inlines = [OpeningHoursInline, ClosureInline]
    readonly_fields = ["practice", "slug"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return managed_clinics(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser  # opening a clinic is the owner's decision

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else self.readonly_fields


@admin.register(Closure)
class ClosureAdmin(ScopedAdmin):
    list_display = ["clinic", "start_date", "end_date", "reason"]
    list_filter = ["clinic"]


@admin.register(StaffMember)
class StaffMemberAdmin(ScopedAdmin):
    clinic_path = "clinics"
    list_display = ["display_name", "role"]
    fields = ["user", "role", "clinics", "credentials", "focus", "bio"]
    readonly_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if request.user.is_superuser else ["user", "role"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser  # accounts are created by the owner, roles too

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """A manager chooses among their own clinics only; the person's other clinics stay."""
        super().save_related(request, form, formsets, change)
        if request.user.is_superuser or not change:
            return
        member = form.instance
        elsewhere = form.initial.get("clinics") or []
        keep = [c for c in elsewhere if getattr(c, "pk", c) not in _pks(managed_clinics(request))]
        if keep:
            member.clinics.add(*keep)


def _pks(clinics: QuerySet[Clinic]) -> set[int]:
    return set(clinics.values_list("pk", flat=True))


admin.site.register(Practice)
admin.site.site_header = "unknot administration"
