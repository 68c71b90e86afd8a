"""Questions before booking: the clinic page's contact form. No sign-in; every view is @public.

The form carries a signed time stamp and a honeypot; `questions` refuses bots and floods.
"""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from unknot.accounts.access import public
from unknot.booking import questions, selectors
from unknot.booking.forms_public import QuestionForm
from unknot.clinics.models import Clinic


def question_form(now: dt.datetime) -> QuestionForm:
    """An empty question form, signed with the time it was shown (used by the clinic page)."""
    return QuestionForm(initial={"stamp": questions.form_stamp(now)})


def _ask(request: HttpRequest, clinic: Clinic, form: QuestionForm, now: dt.datetime) -> bool:
    data = form.cleaned_data
    try:
        questions.check_human(honeypot=data["website"], stamp=data["stamp"], now=now)
        questions.question_ask(
            clinic=clinic,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            message=data["message"],
            client_ip=request.META.get("REMOTE_ADDR", ""),
            now=now,
        )
    except questions.QuestionRefused as refused:
        if refused.message == questions.REFUSED_EXPIRED:  # sign it afresh for the next try
            fresh = request.POST.copy()  # what the form was bound to, made writable
            fresh["stamp"] = questions.form_stamp(now)
            form.data = fresh
        form.add_error(None, refused.message)
        return False
    return True


@require_http_methods(["GET", "POST"])
@public
def question(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = selectors.clinic_for_calendar(slug)
    now = timezone.now()
    if request.method != "POST":
        form = question_form(now)
    else:
        form = QuestionForm(request.POST)
        if form.is_valid() and _ask(request, clinic, form, now):
            return redirect("booking:question_sent", slug=slug)
    return render(request, "booking/public/question.html", {"clinic": clinic, "form": form})


@require_safe
@public
def question_sent(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = selectors.clinic_for_calendar(slug)
    return render(request, "booking/public/question_sent.html", {"clinic": clinic})
