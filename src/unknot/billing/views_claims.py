"""The billing office's claims: approved charges waiting per payer, making claims, the 837P
file of chosen claims, a claim's CMS-1500 summary, and the practice's claim settings.
Mounted at /staff/ in the namespace "staffarea"."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import BILLING_ROLES
from unknot.billing import claims
from unknot.billing.forms import ClaimChoiceForm, ClaimSettingsForm
from unknot.billing.models import ClaimSettings
from unknot.clinics.selectors import clinics_visible_to
from unknot.common import keyset
from unknot.common.errors import Refused, attempt
from unknot.common.inputs import BadInput

# A page of claims, newest first; the older ones follow a page at a time (by keyset: the page
# after a claim, not after a count of skipped ones).
SHOWN = 25


@require_safe
@staff_only(BILLING_ROLES)
def claim_list(request: SignedInRequest) -> HttpResponse:
    rows = claims.claims_visible_to(request.user).select_related("payer", "patient")
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset.page(rows.order_by("-created_at", "-pk"), SHOWN, cursor, purpose="claims")
    except BadInput as refused:
        messages.error(request, refused.message)
        return redirect("staffarea:claim_list")
    context = {
        "waiting": claims.waiting_by_payer(request.user),
        "claims": page.rows,
        "older": page.next,
        "newer": page.previous,
    }
    return render(request, "billing/staff/claims.html", context)


def claims_made_words(count: int) -> str:
    if not count:
        return "No charges waiting."
    return f"{count} claim made." if count == 1 else f"{count} claims made."


@require_POST
@staff_only(BILLING_ROLES, writes=True)
def claims_make(request: SignedInRequest) -> HttpResponse:
    made = attempt(request, lambda: claims.claims_make(by=request.user, now=timezone.now()))
    if made is not None:
        messages.success(request, claims_made_words(len(made)))
    return redirect("staffarea:claim_list")


@require_POST
@staff_only(BILLING_ROLES, writes=True)
def claims_file(request: SignedInRequest) -> HttpResponse:
    form = ClaimChoiceForm(request.POST, claims=claims.claims_visible_to(request.user))
    if not form.is_valid():
        messages.error(request, "Choose the claims to put in the file.")
        return redirect("staffarea:claim_list")
    chosen = list(form.cleaned_data["claims"].select_related("clinic__practice").order_by("pk"))
    try:
        text = claims.claims_file(by=request.user, claims=chosen, now=timezone.now())
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect("staffarea:claim_list")
    response = HttpResponse(text, content_type="application/edi-x12")
    response["Content-Disposition"] = 'attachment; filename="claims.837"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@staff_only(BILLING_ROLES)
def claim_detail(request: SignedInRequest, claim_id: int) -> HttpResponse:
    claim = claims.get_claim_for(request.user, claim_id)
    boxes, problem = [], claims.file_problem(claim, timezone.now())
    try:
        boxes = claims.claim_boxes(request.user, claim)
    except Refused as refused:
        problem = problem or refused.message
    charges = claim.charges.prefetch_related("lines").order_by("service_date", "pk")
    context = {"claim": claim, "boxes": boxes, "problem": problem, "charges": charges}
    return render(request, "billing/staff/claim.html", context)


@require_http_methods(["GET", "POST"])
@staff_only(BILLING_ROLES, writes=True)
def claim_settings(request: SignedInRequest) -> HttpResponse:
    clinic = clinics_visible_to(request.user).select_related("practice").first()
    if clinic is None:
        return render(request, "billing/staff/claim_settings.html", {"form": None})
    practice = clinic.practice
    current = ClaimSettings.objects.filter(practice=practice).first()
    form = ClaimSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.instance.practice = practice
        form.save()
        claims.settings_saved(request.user, form.instance)
        messages.success(request, "Claim settings saved.")
        return redirect("staffarea:claim_list")
    context = {"form": form, "practice": practice}
    return render(request, "billing/staff/claim_settings.html", context)
