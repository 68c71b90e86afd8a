"""Scheduling set-up in the admin: appointment types, working hours, date overrides, time off.

Scoped like the clinics' admin: a manager sees and edits only rows of the clinics they manage,
and may only pick their own clinics and those clinics' staff. Appointments (health data) are
not in the admin; staff work with them in the calendars.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from unknot.booking.models import AppointmentType, ScheduleOverride, TimeOff, WorkingHours
from unknot.clinics.admin import ScopedAdmin, managed_clinics
from unknot.clinics.models import StaffMember


def managed_staff(request: HttpRequest) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(clinics__in=managed_clinics(request)).distinct()


class StaffScopedAdmin(ScopedAdmin):
    """Also limits the therapist to choose to the staff of the manager's clinics."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is StaffMember:
            kwargs["queryset"] = managed_staff(request).select_related("user")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TherapistAtClinicForm(forms.ModelForm):
    """Hours at a clinic only make sense for someone who works there."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        therapist, clinic = data.get("therapist"), data.get("clinic")
        if therapist and clinic and not therapist.clinics.filter(pk=clinic.pk).exists():
            raise forms.ValidationError(f"{therapist.display_name} does not work at {clinic}.")
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both a start and an end, or neither (day off).")
        if start and end and start >= end:
            raise forms.ValidationError("The hours must end after they start.")
        return data


@admin.register(AppointmentType)
class AppointmentTypeAdmin(ScopedAdmin):
    list_display = ["name", "clinic", "kind", "duration_minutes", "online_booking", "is_active"]
    list_filter = ["clinic", "kind", "online_booking", "is_active"]
    list_select_related = ["clinic"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(StaffScopedAdmin):
    form = TherapistAtClinicForm
    list_display = ["therapist", "clinic", "weekday", "start", "end"]
    list_select_related = ["therapist__user", "clinic"]
    list_filter = ["clinic", "weekday"]


@admin.register(ScheduleOverride)
class ScheduleOverrideAdmin(StaffScopedAdmin):
    form = TherapistAtClinicForm
    list_display = ["therapist", "clinic", "date", "start", "end"]
    list_select_related = ["therapist__user", "clinic"]
    list_filter = ["clinic"]
    date_hierarchy = "date"


class TimeOffForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start >= end:
            raise forms.ValidationError("Time off must end after it starts.")
        return data


@admin.register(TimeOff)
class TimeOffAdmin(StaffScopedAdmin):
    # Time off has no clinic of its own: it belongs to the therapist, wherever they work.
    clinic_path = "therapist__clinics"
    form = TimeOffForm
    list_display = ["therapist", "start", "end", "whole_day", "reason"]
    list_select_related = ["therapist__user"]
    date_hierarchy = "start"
