"""The task "Call before the visit": its page, and recording the call.

Any member of staff of the clinic may open the task (the read is audited); those with write
rights record the call with an outcome and a note. Bad input shows the form again with its
message and changes nothing; a task of another clinic answers 404 like one that does not exist.
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from unknot.accounts.access import SignedInRequest, may_write, staff_only
from unknot.booking import safety_calls
from unknot.booking.forms_staff import SafetyCallForm
from unknot.booking.models import CallStatus, SafetyCall
from unknot.clinics import times
from unknot.common.errors import attempt


def task_page(request: HttpRequest, call: SafetyCall, form: SafetyCallForm) -> HttpResponse:
    appointment = call.appointment
    context = {
        "call": call,
        "appointment": appointment,
        "clinic": call.clinic,
        "day": times.clinic_day(appointment.start, call.clinic),
        "form": form,
        "can_complete": call.status == CallStatus.OPEN and may_write(request.user),
    }
    return render(request, "booking/staff/safety_call.html", context)


@require_safe
@staff_only()
def safety_call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    call = safety_calls.get_safety_call_for(request.user, call_id)
    return task_page(request, call, SafetyCallForm())


@require_POST
@staff_only(writes=True)
def safety_call_complete(request: SignedInRequest, call_id: int) -> HttpResponse:
    call = safety_calls.get_safety_call_for(request.user, call_id)
    form = SafetyCallForm(request.POST)
    if form.is_valid() and record(request, call, form) is not None:
        messages.success(request, "The call is recorded. The clinic will not be reminded of it.")
        return redirect("booking:staff_safety_call", call_id=call.pk)
    call.refresh_from_db()  # someone else may have recorded it meanwhile
    return task_page(request, call, form)


def record(request: SignedInRequest, call: SafetyCall, form: SafetyCallForm) -> Any:
    """Runs the service; a refusal becomes a message on the form, never a server error."""
    return attempt(
        request,
        lambda: safety_calls.safety_call_complete(
            by=request.user,
            call=call,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        ),
        form=form,
    )
