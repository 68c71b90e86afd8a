"""The signing page, one for the portal and the front desk's tablet: the form to read, the
typed name and drawn signature, and what follows a signature. Only who may open it, the wording
and where it leads differ, so the views name those and this does the rest."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from unknot.accounts.access import SignedInRequest
from unknot.clinics import times
from unknot.common.errors import attempt
from unknot.paperwork import selectors, services
from unknot.paperwork.forms import SignForm
from unknot.paperwork.models import DocumentVersion
from unknot.patients.models import Patient


def signing_page(
    request: SignedInRequest,
    patient: Patient,
    kind: str,
    *,
    template: str,
    thanks: Callable[[DocumentVersion], str],
    then: str,
) -> HttpResponse:
    """GET shows the current version of `kind`; a valid POST signs it, says `thanks` and goes
    to the URL `then`. A form the practice does not use answers 404."""
    version = selectors.current_version(kind)
    if version is None:
        raise Http404("No such form.")
    form = SignForm(request.POST if request.method == "POST" else None, version=version)
    if request.method == "POST" and form.is_valid():
        signing = form.signing()
        signed = attempt(
            request,
            lambda: services.sign(
                by=request.user, patient=patient, signing=signing, now=timezone.now()
            ),
            form=form,
        )
        if signed is not None:
            messages.success(request, thanks(version))
            return redirect(then)
    context = {
        "patient": patient,
        "version": version,
        "form": form,
        "today": times.clinic_day(timezone.now(), patient.preferred_clinic),
        "signed_already": selectors.signed_already(request.user, patient, version),
    }
    return render(request, template, context)
