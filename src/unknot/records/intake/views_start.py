"""The link in the booking confirmation: first login for people who booked online."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, login, password_validation
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from unknot.accounts.access import public
from unknot.patients.models import Patient
from unknot.records.intake import links, services
from unknot.records.models import Intake

PORTAL_LAYOUT = "records/intake/layout_portal.html"


class NewPasswordForm(forms.Form):
    """Django's password rules, checked against the person's own name and email."""

    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. A short sentence you will remember works well.",
        error_messages={"required": "Please choose a password."},
    )
    password2 = forms.CharField(
        label="Type it again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Please type your password a second time."},
    )

    def __init__(self, *args: Any, patient: Patient, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.patient = patient

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The two passwords are not the same; please try again.")
        if first:
            # An unsaved user, so the similarity check knows the name and email.
            probe = get_user_model()(
                username=self.patient.email,
                email=self.patient.email,
                first_name=self.patient.first_name,
                last_name=self.patient.last_name,
            )
            password_validation.validate_password(first, user=probe)
        return second


def _intake_from_token(token: str) -> Intake:
    ids = links.ids_from_token(token)
    if ids is None:
        raise Http404("This link is not valid.")
    patient_id, intake_id = ids
    intake = (
        Intake.objects.select_related("episode__patient", "episode__clinic")
        .filter(pk=intake_id, episode__patient_id=patient_id)
        .first()
    )
    if intake is None:
        raise Http404("This link is not valid.")
    return intake


@require_http_methods(["GET", "POST"])
@public
def start(request: HttpRequest, token: str) -> HttpResponse:
    """The signed token is the key here; the intake itself stays behind the portal login."""
    intake = _intake_from_token(token)
    patient = intake.episode.patient
    target = reverse("intake:overview")
    context = {"layout": PORTAL_LAYOUT, "patient": patient, "clinic": intake.episode.clinic}
    if request.user.is_authenticated:
        if patient.user_id == request.user.pk:
            return redirect(target)
        return render(request, "records/intake/start_other_account.html", context)
    if patient.user_id is not None:
        return redirect_to_login(target)
    form = NewPasswordForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_portal_login(
                patient=patient, password=form.cleaned_data["password1"]
            )
        except services.AlreadyHasLogin:
            return redirect_to_login(target)
        except services.EmailInUse:
            return render(request, "records/intake/start_call_us.html", context)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(target)
    return render(request, "records/intake/start.html", context | {"form": form})
