"""Front desk: book on someone's behalf, move, cancel, mark, reserve a plan-of-care series,
and the calls to make before visits (the tasks themselves: `views_safety_calls`).

Views parse and render; the services decide. A refused request re-renders the form with
the service's own sentence, and nothing has changed (the services are all-or-nothing).
"""

from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, may_write, staff_only
from unknot.accounts.roles import ALL_STAFF_ROLES
from unknot.accounts.sessions import safe_next
from unknot.booking import adapters, attendance, hooks, safety_calls, selectors, services
from unknot.booking import authorisation_warnings as warned
from unknot.booking.calendar_grid import mark_buttons
from unknot.booking.errors import SeriesConflicts
from unknot.booking.finding import finder_form, show_found
from unknot.booking.forms_staff import (
    BookForm,
    CancelForm,
    MarkForm,
    MoveForm,
    SeriesForm,
)
from unknot.booking.models import Appointment, Status
from unknot.clinics import times
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import get_clinic_for
from unknot.common.errors import Refused, attempt
from unknot.paperwork.selectors import missing_words, outstanding_for
from unknot.patients.selectors import patients_visible_to

CALLS_LIMIT = 200  # the nearest visits first; a longer list would not be worked through anyway
BOOK_PREFILL = ("patient", "appointment_type", "therapist", "date", "time")


def back_to_day(appointment: Appointment) -> HttpResponse:
    return redirect(_day_url(appointment))


def _day_url(appointment: Appointment) -> str:
    day = times.clinic_day(appointment.start, appointment.clinic)
    return reverse("booking:staff_day", kwargs={"slug": appointment.clinic.slug, "day": day})


def prefill(request: HttpRequest) -> dict[str, str]:
    """Links from free slots and patient pages fill in the booking form."""
    return {key: request.GET[key] for key in BOOK_PREFILL if key in request.GET}


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def book(request: SignedInRequest, slug: str) -> HttpResponse:
    """The staff booking page, often opened from a free time of the calendar (prefilled).
    "Find" posts the search words (never in a URL) and shows the matching patients; "Book"
    books through the service, whose refusal is shown on the form in its own words."""
    clinic = get_clinic_for(request.user, slug)
    patients = patients_visible_to(request.user)
    form, finding = finder_form(
        request, partial(BookForm, clinic=clinic), patients, prefill(request)
    )
    warnings: list[str] = []
    if request.method == "POST" and not finding and form.is_valid():
        data = form.cleaned_data
        # Read before booking, so the new visit is not counted as one already on the books.
        warnings = hooks.warnings_for(data["patient"], data["start"], data["appointment_type"])
        booked = book_confirmed(request, clinic, form, warnings)
        if booked is not None:
            assert booked.patient is not None  # booked by staff for the chosen patient
            messages.success(request, f"Booked: {booked.patient.full_name}.")
            warn_of_authorisation(request, warnings)
            return back_to_day(booked)
    context = {
        "clinic": clinic,
        "form": form,
        "searched": show_found(request, form),
        "authorisation_warnings": warnings if not form.errors else [],
    }
    return render(request, "booking/staff/book.html", context)


def book_confirmed(
    request: SignedInRequest, clinic: Clinic, form: BookForm, warnings: list[str]
) -> Appointment | None:
    """Books the valid form's visit once nothing stops it: None while the desk has still to
    confirm past an authorization, or when the service refused (its words on the form)."""
    if not warned.confirmed(form, warnings):
        return None
    data = form.cleaned_data
    return attempt(
        request,
        lambda: services.appointment_book(
            by=request.user,
            clinic=clinic,
            appointment_type=data["appointment_type"],
            therapist=data["therapist"],
            patient=data["patient"],
            start=data["start"],
            now=timezone.now(),
        ),
        form=form,
    )


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def series(request: SignedInRequest, slug: str) -> HttpResponse:
    clinic = get_clinic_for(request.user, slug)
    patients = patients_visible_to(request.user)
    form, finding = finder_form(
        request, partial(SeriesForm, clinic=clinic), patients, prefill(request)
    )
    conflicts: list[object] = []
    outside: warned.Outside = []
    sent = request.method == "POST" and not finding and form.is_valid()
    if sent:
        data = form.cleaned_data
        outside = warned.series_outside(
            clinic, data["patient"], data["pattern"], data["appointment_type"]
        )
    if sent and warned.confirmed(form, outside):
        try:
            visits = reserve_series(request, clinic, form.cleaned_data)
        except SeriesConflicts as refused:
            conflicts = refused.conflicts
            form.add_error(None, refused.message)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            patient = form.cleaned_data["patient"]
            messages.success(request, f"{len(visits)} visits booked for {patient.full_name}.")
            if outside:
                messages.warning(request, warned.series_message(clinic, outside))
            return redirect("booking:staff_patient_appointments", patient_id=patient.pk)
    context = {
        "clinic": clinic,
        "form": form,
        "searched": show_found(request, form),
        "conflicts": conflicts,
        "authorisation_warnings": [] if form.errors else warned.series_lines(clinic, outside),
        "authorisation_lead": warned.series_lead(len(outside)),
    }
    return render(request, "booking/staff/series.html", context)


def warn_of_authorisation(request: HttpRequest, warnings: list[str]) -> None:
    """Said again once booked: the desk confirmed past the authorization (the payer may
    extend it, or the patient pay), and the calendar keeps it in front of them."""
    for words in warnings:
        messages.warning(request, f"Insurance authorization: {words}")


def reserve_series(
    request: SignedInRequest, clinic: Any, data: dict[str, Any]
) -> list[Appointment]:
    return services.series_reserve(
        by=request.user,
        clinic=clinic,
        appointment_type=data["appointment_type"],
        therapist=data["therapist"],
        patient=data["patient"],
        pattern=data["pattern"],
        now=timezone.now(),
        description=data["description"],
    )


def detail_page(
    request: HttpRequest,
    appointment: Appointment,
    *,
    authorisation_warnings: list[str] | None = None,
    **bound: Any,
) -> HttpResponse:
    """The appointment with every action the user may take; `bound` forms show their errors,
    and a move to confirm its `authorisation_warnings`."""
    can_write = may_write(request.user)
    booked = appointment.status == Status.BOOKED
    forms_ = {
        "move_form": MoveForm(clinic=appointment.clinic, initial=move_initial(appointment)),
        "cancel_form": CancelForm(),
        "mark_form": MarkForm(),
    } | bound
    # Refusals are shown at the top: the form that was refused may no longer be on the page
    # (e.g. cancelling a visit that someone else cancelled a moment ago).
    problems = [error for form in bound.values() for error in form.non_field_errors()]
    # A refused mark has no field of its own on the page (its buttons may all be gone).
    problems += bound["mark_form"].errors.get("status", []) if "mark_form" in bound else []
    context = {
        "problems": problems,
        "appointment": appointment,
        "clinic": appointment.clinic,
        "day": times.clinic_day(appointment.start, appointment.clinic),
        "can_change": can_write and booked,
        "marks": mark_buttons(appointment, timezone.now()) if can_write else [],
        "safety_calls": safety_calls.safety_calls_of_appointment(request.user, appointment),
        "attendance": attendance.flags_for(request.user, timezone.now(), [appointment]).get(
            appointment.pk
        ),
        "paperwork_missing": paperwork_missing(appointment),
        "authorisation_warnings": authorisation_warnings or [],
    } | forms_
    return render(request, "booking/staff/appointment.html", context)


def paperwork_missing(appointment: Appointment) -> str:
    """The forms the patient has still to sign ("" when none), said where they check in: a
    visit still to come or under way."""
    if appointment.patient is None or appointment.status not in (Status.BOOKED, Status.ARRIVED):
        return ""
    return missing_words(outstanding_for(appointment.patient))


def move_initial(appointment: Appointment) -> dict[str, Any]:
    local = appointment.start.astimezone(adapters.zone(appointment.clinic))
    return {"date": local.date(), "time": local.time(), "therapist": appointment.therapist_id}


@require_safe
@staff_only(ALL_STAFF_ROLES)  # the biller too
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment_for(request.user, appointment_id)
    return detail_page(request, appointment)


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def move(request: SignedInRequest, appointment_id: int) -> HttpResponse:
    """The one move endpoint: the appointment page's form, and the calendar's drag and
    keyboard moves (calendar.js), which ask for JSON and get the same service's answer."""
    appointment = selectors.get_appointment_for(request.user, appointment_id)
    if request.method == "GET":
        return detail_page(request, appointment)
    form = MoveForm(request.POST, clinic=appointment.clinic)
    if wants_json(request):
        return move_answer(request, appointment, form)
    warnings = move_warnings(appointment, form)
    if form.is_valid() and not warned.confirmed(form, warnings):
        return detail_page(request, appointment, authorisation_warnings=warnings, move_form=form)
    if form.is_valid():
        data = form.cleaned_data
        moved = attempt(
            request,
            lambda: services.appointment_move(
                by=request.user,
                appointment=appointment,
                new_start=data["start"],
                therapist=data["therapist"],
                now=timezone.now(),
            ),
            form=form,
        )
        if moved is not None:
            messages.success(request, "The appointment was moved.")
            warn_of_authorisation(request, warnings)
            return back_to_day(moved)
        appointment.refresh_from_db()  # the service may have touched it before refusing
    return detail_page(request, appointment, move_form=form)


def move_warnings(appointment: Appointment, form: MoveForm) -> list[str]:
    """What a move to another day would go past (an authorization's count or dates), the
    visit itself not counted at its old time. A move within its day changes neither."""
    if not form.is_valid() or appointment.patient is None:
        return []
    data = form.cleaned_data
    if data["date"] == times.clinic_day(appointment.start, appointment.clinic):
        return []
    return hooks.warnings_for(
        appointment.patient, data["start"], appointment.appointment_type,
        already_booked={appointment.pk},
    )  # fmt: skip


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def move_answer(request: SignedInRequest, appointment: Appointment, form: MoveForm) -> JsonResponse:
    """The calendar's move: 200 moved; 400 for input that is not a time or a therapist here;
    a refusal of the booking rules answers its own status (409 taken, 400 outside hours...).
    Every answer carries a sentence for the person, which the calendar reads out."""
    if not form.is_valid():
        words = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return JsonResponse({"moved": False, "message": words}, status=400)
    warnings = move_warnings(appointment, form)
    if not warned.confirmed(form, warnings):
        # The calendar asks the person and sends the move again with `confirm` if they agree.
        words = " ".join(f"Insurance authorization: {w}" for w in warnings)
        return JsonResponse({"moved": False, "confirm": True, "message": words}, status=409)
    data = form.cleaned_data
    try:
        moved = services.appointment_move(
            by=request.user,
            appointment=appointment,
            new_start=data["start"],
            therapist=data["therapist"],
            now=timezone.now(),
        )
    except Refused as refused:
        return JsonResponse({"moved": False, "message": refused.message}, status=refused.status)
    when = times.moment_label(moved.start, moved.clinic)
    message = f"Moved to {when}, with {moved.therapist.display_name}."
    messages.success(request, message)  # shown on the calendar the script reloads
    warn_of_authorisation(request, warnings)
    return JsonResponse({"moved": True, "message": message})


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def cancel(request: SignedInRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment_for(request.user, appointment_id)
    if request.method == "GET":
        return detail_page(request, appointment)
    form = CancelForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        cancelled = attempt(
            request,
            lambda: services.appointment_cancel(
                by=request.user,
                appointment=appointment,
                now=timezone.now(),
                reason=data["reason"],
                cancelled_by=data["cancelled_by"],
            ),
            form=form,
        )
        if cancelled is not None:
            messages.success(request, "The appointment was cancelled.")
            return back_to_day(cancelled)
    return detail_page(request, appointment, cancel_form=form)


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def mark(request: SignedInRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.get_appointment_for(request.user, appointment_id)
    if request.method == "GET":
        return detail_page(request, appointment)
    form = MarkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        marked = attempt(
            request,
            lambda: services.appointment_mark(
                by=request.user,
                appointment=appointment,
                status=data["status"],
                now=timezone.now(),
            ),
            form=form,
        )
        if marked is not None:
            messages.success(request, f"Marked as {marked.get_status_display().lower()}.")
            # Check-in is when the desk can still hand over the tablet: from the appointment
            # page, the calendar grid or the desk's home, all of which mark through here.
            missing = paperwork_missing(marked) if marked.status == Status.ARRIVED else ""
            if missing:
                messages.warning(request, f"Forms not signed: {missing}.")
            # The staff homes mark arrivals too, and send the person back to where they were.
            return redirect(safe_next(request, _day_url(marked)))
    return detail_page(request, appointment, mark_form=form)


@require_safe
@staff_only()
def calls_to_make(request: HttpRequest) -> HttpResponse:
    """Open "call before the visit" tasks at the user's clinics, the nearest visit first."""
    calls = safety_calls.open_safety_calls_for(request.user)[:CALLS_LIMIT]
    return render(request, "booking/staff/safety_calls.html", {"calls": calls})
