"""Staff lists around the calendars: a patient's appointments, website questions, the outbox."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import SignedInRequest, may_write, staff_only
from unknot.accounts.roles import ALL_STAFF_ROLES
from unknot.booking import selectors
from unknot.booking.forms_staff import QuestionStatusForm
from unknot.booking.models import QuestionStatus
from unknot.booking.questions import question_set_status
from unknot.booking.selectors import get_question_for, outbox_visible_to, questions_visible_to
from unknot.common import keyset
from unknot.outbox.models import OutboxStatus
from unknot.patients.selectors import get_patient_for

LIST_LIMIT = 200  # newest first; older rows stay in the database and the admin
# The outbox grows by every reminder and confirmation: a page of the newest, then older pages
# by keyset (a page starts after a row, so an old page costs what the first one does).
OUTBOX_PAGE = 50


def status_filter(request: HttpRequest, choices: Any) -> str:
    """The `status` query parameter when it is one of `choices`, else "" (show all)."""
    wanted = request.GET.get("status", "")
    return wanted if wanted in choices.values else ""


@require_safe
@staff_only(ALL_STAFF_ROLES, break_glass=True)  # the biller too
def patient_appointments(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    appointments = (
        selectors.appointments_visible_to(request.user).filter(patient=patient).order_by("-start")
    )
    context = {
        "patient": patient,
        "appointments": appointments[:LIST_LIMIT],
        "can_write": may_write(request.user),
    }
    return render(request, "booking/staff/patient_appointments.html", context)


@require_safe
@staff_only()
def questions(request: HttpRequest) -> HttpResponse:
    status = status_filter(request, QuestionStatus)
    rows = questions_visible_to(request.user)
    if status:
        rows = rows.filter(status=status)
    context = {
        "questions": rows[:LIST_LIMIT],
        "status": status,
        "statuses": QuestionStatus.choices,
        "can_write": may_write(request.user),
    }
    return render(request, "booking/staff/questions.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(writes=True)
def question_status(request: SignedInRequest, question_id: int) -> HttpResponse:
    question = get_question_for(request.user, question_id)
    form = QuestionStatusForm(request.POST or None, initial={"status": question.status})
    if request.method == "POST" and form.is_valid():
        question_set_status(by=request.user, question=question, status=form.cleaned_data["status"])
        messages.success(
            request,
            f"The question from {question.name} is now {question.get_status_display().lower()}.",
        )
        return redirect("booking:staff_questions")
    return render(request, "booking/staff/question.html", {"question": question, "form": form})


@require_safe
@staff_only()
def outbox(request: HttpRequest) -> HttpResponse:
    status = status_filter(request, OutboxStatus)
    rows = outbox_visible_to(request.user).order_by("-created_at")
    if status:
        rows = rows.filter(status=status)
    # A cursor not made here for this list is a 400 that says to start again (keyset).
    page = keyset.page(rows, OUTBOX_PAGE, request.GET.get("cursor"), purpose="outbox")
    context = {
        "page": page,
        "page_size": OUTBOX_PAGE,
        "status": status,
        "statuses": OutboxStatus.choices,
    }
    return render(request, "booking/staff/outbox.html", context)
