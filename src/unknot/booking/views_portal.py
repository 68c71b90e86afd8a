"""The patient's own appointments in the portal: see them, cancel, and book follow-ups."""

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.booking import links, selectors, services
from unknot.booking.adapters import zone
from unknot.booking.eligibility import has_plan_of_care
from unknot.booking.forms_portal import FollowUpSearchForm
from unknot.booking.models import OnlineBooking
from unknot.clinics.models import Clinic
from unknot.common.errors import attempt
from unknot.common.formfields import model_choice_field
from unknot.patients.models import Patient
from unknot.patients.selectors import own_patient_record
from unknot.scheduling import Slot

DAYS_SHOWN = 7


@require_safe
@patient_only
def appointments(request: HttpRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    now = timezone.now()
    upcoming = [
        (
            appointment,
            links.manage_token(appointment.pk),
            services.online_change_refusal(appointment, now),
        )
        for appointment in selectors.upcoming_for_patient(request.user, now)
    ]
    context = {"patient": patient, "upcoming": upcoming, "may_book": has_plan_of_care(patient)}
    return render(request, "booking/portal/appointments.html", context)


@require_http_methods(["GET", "POST"])
@patient_only
def book_follow_up(request: SignedInRequest) -> HttpResponse:
    patient = own_patient_record(request.user)
    if not has_plan_of_care(patient):
        messages.error(request, "Follow-up visits can be booked here once your evaluation is done.")
        return redirect("portal:appointments")
    clinic = selectors.clinic_for_calendar(patient.preferred_clinic.slug)
    form = FollowUpSearchForm(
        request.POST or request.GET or None,
        types=selectors.online_types(clinic, OnlineBooking.PATIENTS_WITH_PLAN),
        therapists=selectors.bookable_therapists(clinic),
        today=timezone.localdate(timezone=zone(clinic)),
    )
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("start"):
        return _book(request, form, clinic, patient)
    slots = _slots(form, clinic) if form.is_bound and form.is_valid() else []
    context = {"form": form, "clinic": clinic, "slots": slots}
    return render(request, "booking/portal/book_follow_up.html", context)


def _slots(form: FollowUpSearchForm, clinic: Clinic) -> list[Slot]:
    """Free times over the next week, from the chosen day, for one therapist or any."""
    data = form.cleaned_data
    therapist = data.get("therapist")
    offered = model_choice_field(form, "therapist").queryset
    assert offered is not None  # the form sets it: the clinic's bookable therapists
    ids = [therapist.pk] if therapist else [t.pk for t in offered]
    first = data["day"]
    return list(
        selectors.availability(
            clinic=clinic,
            appointment_type=data["appointment_type"],
            therapist_ids=ids,
            first_day=first,
            last_day=first + dt.timedelta(days=DAYS_SHOWN - 1),
            now=timezone.now(),
        )
    )


def _book(
    request: SignedInRequest, form: FollowUpSearchForm, clinic: Clinic, patient: Patient
) -> HttpResponse:
    data = form.cleaned_data
    therapist = data.get("slot_therapist") or data.get("therapist")
    if therapist is None:
        messages.error(request, "Please choose a time from the list.")
        return redirect("portal:book_follow_up")
    booked = attempt(
        request,
        lambda: services.appointment_book(
            by=request.user,
            clinic=clinic,
            appointment_type=data["appointment_type"],
            therapist=therapist,
            patient=patient,
            start=data["start"],
            now=timezone.now(),
            source="portal",
        ),
        "Your visit is booked. A confirmation email is on its way.",
    )
    return redirect("portal:appointments" if booked is not None else "portal:book_follow_up")


@require_http_methods(["GET", "POST"])
@patient_only
def cancel(request: SignedInRequest, appointment_id: int) -> HttpResponse:
    """Asks first (GET), cancels on the answer (POST). Inside the notice period the page
    gives the clinic's phone number instead of a button."""
    appointment = selectors.get_appointment_for(request.user, appointment_id)
    if request.method == "GET":
        refusal = services.online_change_refusal(appointment, timezone.now())
        context = {"appointment": appointment, "refusal": refusal}
        return render(request, "booking/portal/cancel_confirm.html", context)
    attempt(
        request,
        lambda: services.appointment_cancel(
            by=request.user, appointment=appointment, now=timezone.now()
        ),
        "The appointment is cancelled.",
    )
    return redirect("portal:appointments")
