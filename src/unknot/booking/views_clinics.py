"""The public clinic pages, where a booking starts: the list of clinics, a clinic's page (hours,
therapists, a question to the clinic) and the choice of what to book there.

They live with booking, not with `clinics`: they show booking's online types and question
form, and `clinics` sits below booking in the layer order (docs/architecture.md)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from unknot.accounts.access import public
from unknot.booking.selectors import online_types
from unknot.booking.views_questions import question_form
from unknot.clinics import hours
from unknot.clinics.selectors import public_clinic, public_clinics


@require_safe
@public
def clinic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "booking/public/clinic_list.html", {"clinics": public_clinics()})


@require_safe
@public
def clinic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = public_clinic(slug)
    local = hours.local_now(clinic.time_zone, timezone.now())
    rows = list(clinic.opening_hours.all())
    closures = list(clinic.closures.all())
    context = {
        "clinic": clinic,
        # Prefetch(to_attr=) in public_clinic: an attribute the model's type cannot know.
        "therapists": clinic.therapists,  # type: ignore[attr-defined]
        "week": hours.weekly_hours(rows, local.date()),
        "open_now": hours.is_open_at(rows, closures, local),
        "local_now": local,
        "closures": hours.upcoming_closures(closures, local.date()),
        "question_form": question_form(timezone.now()),
    }
    return render(request, "booking/public/clinic_detail.html", context)


@require_safe
@public
def book_start(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = public_clinic(slug)
    context = {"clinic": clinic, "online_types": online_types(clinic)}
    return render(request, "booking/public/book_start.html", context)
