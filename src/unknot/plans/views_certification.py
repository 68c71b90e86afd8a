"""Plan certification pages: the therapist sends a signed plan to the referring physician or
NPP (and sends it again), and the physician answers from the emailed link, no account needed.

The physician's page shows the plan only (diagnosis, goals, frequency and duration,
interventions) with the person's name and date of birth: nothing else of the record. A link
that is forged answers 404; one that is old, replaced or answered says so on a plain page and
changes nothing. Every answer under /certify/ is `no-store` (UNKNOT_NO_STORE_PATHS) and the
pages are throttled per address like the other public pages (request_throttle.PAGE_SCOPES).
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from unknot.accounts.access import SignedInRequest, public, staff_only
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.common.errors import attempt
from unknot.plans import certification as cert
from unknot.plans import elements as el
from unknot.plans import forms as f
from unknot.plans import selectors as sel
from unknot.plans.certification_links import LinkExpired
from unknot.plans.models import Certification, PlanOfCare, PlanStatus
from unknot.records.clinical.pages import posted

WRITE = staff_only(CLINICAL_ROLES, writes=True)


def _initial(plan: PlanOfCare) -> dict[str, str]:
    """The physician last asked for this episode, to send to again (or to change)."""
    last = plan.episode.certifications.first()
    if last is None:
        return {}
    return {
        "physician_first_name": last.physician_first_name,
        "physician_last_name": last.physician_last_name,
        "physician_npi": last.physician_npi,
        "physician_email": last.physician_email,
    }


@require_http_methods(["GET", "POST"])
@WRITE
def certification_send(request: SignedInRequest, plan_id: int) -> HttpResponse:
    plan = sel.get_plan_for_rw(request.user, plan_id)
    if plan.status != PlanStatus.SIGNED:
        messages.info(request, "Only the current signed plan can be sent for certification.")
        return redirect("clinical:plan", plan_id=plan.pk)
    form = f.CertificationSendForm(posted(request), initial=_initial(plan))
    if request.method == "POST" and form.is_valid():
        sent = attempt(
            request,
            lambda: cert.certification_send(
                by=request.user, plan=plan, physician=form.physician(), now=timezone.now()
            ),
            form=form,
        )
        if sent is not None:
            messages.success(request, f"The plan was sent to {sent.physician_name} to certify.")
            return redirect("clinical:plan", plan_id=plan.pk)
    context = {"plan": plan, "episode": plan.episode, "form": form}
    return render(request, "plans/clinical/certification_send.html", context)


@require_POST
@WRITE
def certification_resend(request: SignedInRequest, certification_id: int) -> HttpResponse:
    found = sel.get_certification_for_rw(request.user, certification_id)
    sent = attempt(
        request,
        lambda: cert.certification_resend(by=request.user, certification=found, now=timezone.now()),
    )
    if sent is not None:
        messages.success(request, f"A new link was sent to {sent.physician_name}.")
        return redirect("clinical:plan", plan_id=sent.plan_id)
    return redirect("clinical:plan", plan_id=found.plan_id)


def certifications_view(plan: PlanOfCare, now: Any) -> dict[str, Any]:
    """The plan page's certification section: each sending with its status as people see it,
    and the episode's due dates."""
    rows = sel.certifications_of(plan)
    state = cert.certification_state(plan.episode)
    return {
        "certifications": [(c, cert.shown_status(c, now)) for c in rows],
        "certification_state": state,
        "progress_report": cert.progress_report(plan.episode),
    }


# --- the physician's link -----------------------------------------------------------------


def _gone(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "plans/certify/gone.html", {"message": message}, status=status)


EXPIRED = "This link has expired. Please ask the clinic to send the plan of care again."


def _plan_shown(found: Certification) -> dict[str, Any]:
    plan = found.plan
    return {
        "certification": found,
        "plan": plan,
        "patient": found.episode.patient,
        "clinic": found.episode.clinic,
        "goals": list(plan.goals.all()),
        "interventions": [e for e in el.active(plan.elements) if e.get("intervention")],
    }


def _answer(request: HttpRequest, found: Certification) -> tuple[Any, Any, Any]:
    """(done, certify form, decline form) for a POST: the answer given, or the forms with
    what was wrong."""
    now = timezone.now()
    certify, decline = f.CertifyForm(prefix="c"), f.DeclineForm(prefix="d")
    if request.POST.get("action") == "certify":
        certify = f.CertifyForm(request.POST, prefix="c")
        if certify.is_valid():
            data = certify.cleaned_data
            done = attempt(request, lambda: cert.certification_certify(
                certification_id=found.pk, typed_name=data["typed_name"],
                attests=data["attests"], now=now),
                "Thank you: the plan of care is certified.", form=certify)  # fmt: skip
            return done, certify, decline
    else:
        decline = f.DeclineForm(request.POST, prefix="d")
        if decline.is_valid():
            comment = decline.cleaned_data["comment"]
            done = attempt(request, lambda: cert.certification_decline(
                certification_id=found.pk, comment=comment, now=now),
                "Thank you: the clinic will read your answer.", form=decline)  # fmt: skip
            return done, certify, decline
    return None, certify, decline


@require_http_methods(["GET", "POST"])
@public
def certify_plan(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = sel.certification_for_token(token)
    except LinkExpired:
        return _gone(request, EXPIRED, status=410)
    refusal = cert.link_refusal(found, timezone.now())
    if refusal is not None:
        return _gone(request, refusal, status=200)
    certify, decline = f.CertifyForm(prefix="c"), f.DeclineForm(prefix="d")
    if request.method == "POST":
        if request.POST.get("action") not in ("certify", "decline"):
            messages.error(request, "Please choose Certify or Decline.")
            return redirect("certify:plan", token=token)
        done, certify, decline = _answer(request, found)
        if done is not None:
            return redirect("certify:plan", token=token)
    context = _plan_shown(found) | {"certify": certify, "decline": decline}
    status = 400 if certify.errors or decline.errors else 200
    return render(request, "plans/certify/plan.html", context, status=status)
