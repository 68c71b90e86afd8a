"""The patient's own appointments in the portal: see them, cancel, and book follow-ups."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, patient_only
from unknot.booking import attendance, links, month, selectors, services
from unknot.booking.adapters import zone
from unknot.booking.eligibility import has_plan_of_care
from unknot.booking.forms_portal import FollowUpForm
from unknot.booking.models import AppointmentType, OnlineBooking
from unknot.clinics.models import Clinic, StaffMember
from unknot.common.errors import attempt
from unknot.common.formfields import model_choice_field
from unknot.patients.models import Patient
from unknot.patients.selectors import own_patient_record


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
    """Day first: what to book, a month with the days that have a free time, the chosen day's
    times, then a confirmation that books (POST). Every step is a plain link or form."""
    patient = own_patient_record(request.user)
    if not has_plan_of_care(patient):
        messages.error(request, "Follow-up visits can be booked here once your evaluation is done.")
        return redirect("portal:appointments")
    clinic = selectors.clinic_for_calendar(patient.preferred_clinic.slug)
    types = selectors.online_types(clinic, OnlineBooking.PATIENTS_WITH_PLAN)
    form = FollowUpForm(
        request.POST or request.GET or _the_only_type(types),
        types=types,
        therapists=selectors.bookable_therapists(clinic),
        today=timezone.localdate(timezone=zone(clinic)),
    )
    if request.method == "POST":
        return _book(request, form, clinic, patient)
    context: dict[str, Any] = {"form": form, "clinic": clinic}
    if form.is_bound and form.is_valid():
        context |= _steps(request, form, clinic)
    return render(request, "booking/portal/book_follow_up.html", context)


def _the_only_type(types: QuerySet[AppointmentType]) -> dict[str, Any] | None:
    """A clinic with one type of follow-up opens on its month: there is nothing to choose."""
    found = list(types[:2])
    return {"appointment_type": found[0].pk} if len(found) == 1 else None


def _free_times(form: FollowUpForm, clinic: Clinic) -> dict[dt.date, tuple[month.FreeTime, ...]]:
    """The shown month's free times by day: one availability search over the whole month."""
    assert form.bookable is not None
    searched = month.days_searched(form.shown_month, form.bookable)
    if searched is None:
        return {}
    data = form.cleaned_data
    therapist = data.get("therapist")
    offered = model_choice_field(form, "therapist").queryset
    assert offered is not None  # the form sets it: the clinic's bookable therapists
    slots = selectors.availability(
        clinic=clinic,
        appointment_type=data["appointment_type"],
        therapist_ids=[therapist.pk] if therapist else [t.pk for t in offered],
        first_day=searched[0],
        last_day=searched[1],
        now=timezone.now(),
    )
    return month.free_times(slots, zone(clinic))


def _steps(request: HttpRequest, form: FollowUpForm, clinic: Clinic) -> dict[str, Any]:
    """The month, and the chosen day's times or the chosen time to confirm."""
    assert form.bookable is not None
    free = _free_times(form, clinic)
    data = form.cleaned_data
    chosen_day, start = data.get("day"), data.get("start")
    times = free.get(chosen_day, ()) if chosen_day else ()
    confirm = month.time_at(times, start) if start else None
    if start and confirm is None:
        messages.error(request, "That time is no longer free. Please choose another one.")
    who = data["therapist"].pk if data.get("therapist") else ""
    return {
        "kind": data["appointment_type"],
        "query": urlencode({"appointment_type": data["appointment_type"].pk, "therapist": who}),
        "month": month.month_view(form.shown_month, free, form.bookable, chosen_day),
        "chosen_day": chosen_day,
        "parts": month.by_part_of_day(times),
        "confirm": confirm,
        "confirm_therapist": _therapist(form, confirm),
    }


def _therapist(form: FollowUpForm, time: month.FreeTime | None) -> StaffMember | None:
    if time is None:
        return None
    offered = model_choice_field(form, "therapist").queryset
    assert offered is not None
    return next((t for t in offered if t.pk == time.therapist_id), None)


def _book(
    request: SignedInRequest, form: FollowUpForm, clinic: Clinic, patient: Patient
) -> HttpResponse:
    """Books the confirmed time; the booking service checks it is still free."""
    data = form.cleaned_data if form.is_valid() else {}
    therapist = data.get("slot_therapist") or data.get("therapist")
    if therapist is None or data.get("start") is None:
        messages.error(request, "Please choose a day, then a time, then confirm it.")
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
        now = timezone.now()
        context = {
            "appointment": appointment,
            "refusal": services.online_change_refusal(appointment, now),
            "policy": attendance.policy_for_patients(appointment, now),
        }
        return render(request, "booking/portal/cancel_confirm.html", context)
    attempt(
        request,
        lambda: services.appointment_cancel(
            by=request.user, appointment=appointment, now=timezone.now()
        ),
        "The appointment is cancelled.",
    )
    return redirect("portal:appointments")
