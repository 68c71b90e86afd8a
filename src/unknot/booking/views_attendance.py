"""A patient's attendance at a clinic: their misses in the policy's window, the follow-ups,
and recording a new follow-up.

Any member of staff of the clinic may open the page (the patient read is audited); those
with write rights record a follow-up. A patient or clinic outside the user's answers 404;
bad input shows the form again with its message and changes nothing.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from unknot.accounts.access import SignedInRequest, may_write, staff_only
from unknot.accounts.roles import ALL_STAFF_ROLES
from unknot.booking import attendance
from unknot.booking.forms_staff import FollowUpForm
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import get_clinic_for
from unknot.common.errors import attempt
from unknot.patients.models import Patient
from unknot.patients.selectors import get_patient_for, get_patient_for_rw


def attendance_page(
    request: HttpRequest, patient: Patient, clinic: Clinic, form: FollowUpForm
) -> HttpResponse:
    now = timezone.now()
    standing = attendance.standings(request.user, now, [patient.pk], [clinic]).get(
        (patient.pk, clinic.pk)
    )
    context = {
        "patient": patient,
        "clinic": clinic,
        "standing": standing,
        "policy": attendance.policy_words(clinic),
        "misses": attendance.misses_of(request.user, patient, clinic, now),
        "follow_ups": attendance.follow_ups_of(patient, clinic),
        "form": form,
        "can_write": may_write(request.user),
    }
    return render(request, "booking/staff/attendance.html", context)


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def patient_attendance(request: HttpRequest, patient_id: int, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    patient = get_patient_for(request.user, patient_id, break_glass=False)
    return attendance_page(request, patient, clinic, FollowUpForm())


@require_POST
@staff_only(writes=True)
def attendance_follow_up(request: SignedInRequest, patient_id: int, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    patient = get_patient_for_rw(request.user, patient_id)
    form = FollowUpForm(request.POST)
    if form.is_valid() and _record(request, patient, clinic, form) is not None:
        messages.success(request, f"Follow-up recorded for {patient.full_name}.")
        return redirect("staffarea:dashboard")
    return attendance_page(request, patient, clinic, form)


def _record(
    request: SignedInRequest, patient: Patient, clinic: Clinic, form: FollowUpForm
) -> object:
    """Runs the service; a refusal becomes a message on the form, never a server error."""
    return attempt(
        request,
        lambda: attendance.attendance_follow_up(
            by=request.user,
            patient=patient,
            clinic=clinic,
            note=form.cleaned_data["note"],
            now=timezone.now(),
        ),
        form=form,
    )
