"""Recording a medical clearance (SCREEN-2): the page behind "Record the medical clearance"."""

import zoneinfo

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from unknot.accounts.access import SignedInRequest, staff_only
from unknot.accounts.roles import CLINICAL_ROLES
from unknot.care.labels import RESTRICTION_LABELS
from unknot.common import inputs
from unknot.common.errors import attempt
from unknot.records.clinical import holds
from unknot.records.clinical import selectors as sel
from unknot.records.clinical.pages import posted


class ClearanceForm(forms.Form):
    physician = forms.CharField(
        max_length=200,
        label="Cleared by (physician or service)",
        help_text="For example: Dr. Ana Patel, primary care; or the emergency department.",
        error_messages={"required": "Say who cleared the person."},
    )
    cleared_on = inputs.DateField(
        label="Cleared on", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, for example 2026-12-07."},
    )  # fmt: skip
    restrictions = forms.MultipleChoiceField(
        choices=list(RESTRICTION_LABELS.items()), required=False,
        widget=forms.CheckboxSelectMultiple, label="Restrictions the physician set",
        help_text="Every later plan and visit keeps to these.",
    )  # fmt: skip
    note = forms.CharField(
        required=False, max_length=2000, label="Note (what was found, what was agreed)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def clearance(self) -> holds.ClearanceInput:
        data = self.cleaned_data
        return holds.ClearanceInput(data["physician"], data["cleared_on"],
                                    tuple(data["restrictions"]), data["note"])  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_only(CLINICAL_ROLES, writes=True)
def hold_clear(request: SignedInRequest, hold_id: int) -> HttpResponse:
    hold = sel.get_hold_for_rw(request.user, hold_id)
    if not hold.is_open:
        messages.info(request, "This referral was already cleared; nothing changed.")
        return redirect("clinical:episode", episode_id=hold.episode_id)
    today = timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(hold.episode.clinic.time_zone))
    form = ClearanceForm(posted(request), initial={"cleared_on": today})
    if request.method == "POST" and form.is_valid():
        cleared = attempt(
            request,
            lambda: holds.hold_clear(
                by=request.user, hold=hold, data=form.clearance(), now=timezone.now(), today=today
            ),
            form=form,
        )
        if cleared is not None:
            messages.success(request, "The medical clearance is recorded: treatment can go on, "
                             "within the restrictions.")  # fmt: skip
            return redirect("clinical:episode", episode_id=hold.episode_id)
    context = holds.summary(hold) | {"episode": hold.episode, "form": form}
    status = 400 if request.method == "POST" else 200  # a valid POST has redirected
    return render(request, "records/clinical/hold_clear.html", context, status=status)
