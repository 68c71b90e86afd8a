"""The patient's own intake in the portal. Only their own open episode, found by the helpers."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts.access import patient_only
from unknot.accounts.models import AnyUser
from unknot.records.intake import flow
from unknot.records.models import Intake, IntakeStatus
from unknot.records.selectors import own_open_episode

PORTAL = flow.Mode()


def own_intake(user: AnyUser) -> Intake | None:
    """The signed-in patient's intake for their current episode, if there is one."""
    episode = own_open_episode(user)
    if episode is None:
        return None
    intake = Intake.objects.select_related("appointment__clinic").filter(episode=episode).first()
    if intake is not None:
        intake.episode = episode  # already loaded with patient and clinic
    return intake


def _nothing_to_fill(request: HttpRequest) -> HttpResponse:
    return render(request, "records/intake/none.html", {"layout": PORTAL.layout})


@require_safe
@patient_only
def overview(request: HttpRequest) -> HttpResponse:
    intake = own_intake(request.user)
    if intake is None:
        return _nothing_to_fill(request)
    if intake.status != IntakeStatus.DRAFT:
        return redirect("intake:done")
    return flow.overview(request, intake, PORTAL)


@require_http_methods(["GET", "POST"])
@patient_only
def section(request: HttpRequest, slug: str) -> HttpResponse:
    intake = own_intake(request.user)
    if intake is None:
        return redirect("intake:overview")
    return flow.section_page(request, intake, PORTAL, slug)


@require_POST
@patient_only
def submit(request: HttpRequest) -> HttpResponse:
    intake = own_intake(request.user)
    if intake is None:
        return redirect("intake:overview")
    return flow.submit(request, intake, PORTAL)


@require_safe
@patient_only
def emergency(request: HttpRequest) -> HttpResponse:
    return flow.emergency(request, own_intake(request.user), PORTAL)


@require_safe
@patient_only
def done(request: HttpRequest) -> HttpResponse:
    intake = own_intake(request.user)
    if intake is None or intake.status == IntakeStatus.DRAFT:
        return redirect("intake:overview")
    context = {"layout": PORTAL.layout, "intake": intake, "unscored": flow.unscored(intake)}
    return render(request, "records/intake/done.html", context)
