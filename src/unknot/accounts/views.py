from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST, require_safe

from unknot.accounts.access import public, signed_in, staff_role

login = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout = require_POST(public(auth_views.LogoutView.as_view()))
password_reset = public(
    auth_views.PasswordResetView.as_view(
        success_url=reverse_lazy("accounts:password_reset_done"),
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
    )
)
password_reset_done = public(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        success_url=reverse_lazy("accounts:password_reset_complete")
    )
)
password_reset_complete = public(auth_views.PasswordResetCompleteView.as_view())
password_change = signed_in(
    auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done"))
)
password_change_done = signed_in(auth_views.PasswordChangeDoneView.as_view())


@require_safe
@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Where a sign-in lands: the staff area for staff, the portal for patients."""
    if staff_role(request.user):
        return redirect("staffarea:dashboard")
    if getattr(request.user, "is_patient_user", False):
        return redirect("portal:home")
    return redirect("site:home")
