from typing import Any

from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.http import require_POST, require_safe

from unknot.accounts.access import public, signed_in, staff_role
from unknot.accounts.forms import SignInForm
from unknot.accounts.password_reset import QueuedPasswordResetForm
from unknot.accounts.second_factor import app_device, second_factor_required
from unknot.accounts.sessions import sign_in_completed


class SignInView(auth_views.LoginView):
    """The password step. Staff (and patients who chose it) go on to the second factor.

    `login()` runs here already, so the session key changes and Django's sign-in signals
    fire; until the second factor is passed, SecondFactorMiddleware keeps every other page
    closed. A refused sign-in answers the same for known and unknown usernames.
    """

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        if not second_factor_required(user):
            sign_in_completed(self.request, user)
            return HttpResponseRedirect(self.get_success_url())
        page = "accounts:second_factor" if app_device(user) else "accounts:second_factor_setup"
        next_url = self.get_redirect_url()
        query = "?" + urlencode({"next": next_url}) if next_url else ""
        return HttpResponseRedirect(reverse(page) + query)

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(self.request, "sign_in_wait_seconds", None):
            response.status_code = 429
        return response


login = public(SignInView.as_view())
logout = require_POST(public(auth_views.LogoutView.as_view()))
# Each page names its template under accounts/: the admin app comes first in INSTALLED_APPS
# and ships its own registration/password_*.html, which would otherwise win and show the
# admin's header on a patient's password reset.
password_reset = public(
    auth_views.PasswordResetView.as_view(
        form_class=QueuedPasswordResetForm,  # the email leaves through the worker
        success_url=reverse_lazy("accounts:password_reset_done"),
        template_name="accounts/password_reset_form.html",
    )
)
password_reset_done = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        success_url=reverse_lazy("accounts:password_reset_complete"),
        template_name="accounts/password_reset_confirm.html",
    )
)
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
password_change = signed_in(
    auth_views.PasswordChangeView.as_view(
        success_url=reverse_lazy("accounts:password_change_done"),
        template_name="accounts/password_change_form.html",
    )
)
password_change_done = signed_in(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


@require_safe
@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Where a sign-in lands: the staff area for staff, the portal for patients."""
    if staff_role(request.user):
        return redirect("staffarea:dashboard")
    if getattr(request.user, "is_patient_user", False):
        return redirect("portal:home")
    return redirect("site:home")
