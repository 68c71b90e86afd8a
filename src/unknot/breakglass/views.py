"""/emergency-access/: open a record by break-glass, end it early, review the openings."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.breakglass import selectors, services
from unknot.breakglass.forms import OpenForm
from unknot.patients.selectors import patients_visible_to

REVIEW_LIMIT = 200


def _page(request: SignedInRequest, form: OpenForm, status: int = 200) -> HttpResponse:
    now = timezone.now()
    context = {
        "form": form,
        "open_now": selectors.usable_accesses(request.user, now),
        "minutes": services.access_minutes(),
    }
    return render(request, "breakglass/start.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_only(CLINICAL_ROLES, writes=True)
def start(request: SignedInRequest) -> HttpResponse:
    """Find one patient by exact identifiers, say why, and open their record for a while."""
    if selectors.active_grant(request.user) is None:
        if request.method == "POST":
            services.record_refusal(by=request.user, code="not_authorised")
        return render(request, "breakglass/not_authorised.html", status=403)
    form = OpenForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form, status=400 if form.is_bound else 200)
    return _open(request, form)


def _open(request: SignedInRequest, form: OpenForm) -> HttpResponse:
    found = selectors.matching_patients(**form.identifiers())
    if len(found) != 1:
        return _no_single_match(request, form, several=bool(found))
    patient = found[0]
    if patients_visible_to(request.user).filter(pk=patient.pk).exists():
        messages.info(request, "This patient is at your clinic: their record is open to you.")
        return redirect("staffarea:patient_detail", patient_id=patient.pk)
    try:
        services.open_access(
            by=request.user, patient=patient, category=form.cleaned_data["category"],
            reason=form.cleaned_data["reason"], now=timezone.now(),
        )  # fmt: skip
    except (PermissionDenied, ValidationError) as problem:
        form.add_error(None, _message(problem))
        return _page(request, form, status=400)
    return redirect("staffarea:patient_detail", patient_id=patient.pk)


def _no_single_match(request: SignedInRequest, form: OpenForm, *, several: bool) -> HttpResponse:
    services.record_refusal(by=request.user, code="several_matches" if several else "no_match")
    if several:
        form.add_error("clinic", "More than one record has this name and date of birth: "
                                 "choose the patient's clinic.")  # fmt: skip
    else:
        form.add_error(None, "No record matches exactly. Check the spelling and the date of "
                             "birth, or ask the patient's clinic.")  # fmt: skip
    return _page(request, form, status=400)


def _message(problem: Any) -> str:
    if isinstance(problem, ValidationError):
        return " ".join(problem.messages)
    return str(problem)


@require_POST
@staff_only(CLINICAL_ROLES, writes=True)
def end(request: SignedInRequest, access_id: int) -> HttpResponse:
    """Closes one's own opening before its time is up."""
    opening = selectors.get_own_access(request.user, access_id)
    if opening is None:
        raise Http404("No such opening.")
    if services.end_access(by=request.user, opening=opening, now=timezone.now()):
        messages.success(request, "Your emergency access to that record has ended.")
    else:
        messages.info(request, "That emergency access had already ended.")
    return redirect("breakglass:start")


@require_safe
@staff_only(selectors.REVIEWER_ROLES)
def openings(request: HttpRequest) -> HttpResponse:
    """For clinic managers and auditors: break-glass openings of their clinics' patients."""
    rows = selectors.openings_visible_to(request.user)[:REVIEW_LIMIT]
    context = {"rows": rows, "now": timezone.now(), "limit": REVIEW_LIMIT}
    return render(request, "breakglass/openings.html", context)
