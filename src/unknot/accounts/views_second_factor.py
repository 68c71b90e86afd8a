"""The second step of signing in, setting up an authenticator app, and the security page."""

from typing import Any

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from unknot.accounts import second_factor as sf
from unknot.accounts import throttle
from unknot.accounts.access import SignedInRequest, patient_only, signed_in
from unknot.accounts.forms import CodeForm, SetupCodeForm, wait_text
from unknot.accounts.sessions import safe_next, sign_in_completed
from unknot.accounts.signals import second_factor_failed, second_factor_verified

FAILURES_SESSION_KEY = "unknot_second_factor_failures"


def _home(request: HttpRequest) -> str:
    return safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))


def _with_next(request: HttpRequest, name: str) -> str:
    wanted = safe_next(request, "")
    return reverse(name) + ("?" + urlencode({"next": wanted}) if wanted else "")


def _passed(request: SignedInRequest, device: Any) -> None:
    """Marks the session verified, exactly as django-otp does, under a new session key."""
    django_otp.login(request, device)
    request.session.cycle_key()  # more rights now: a key seen before this point is useless
    request.session.pop(FAILURES_SESSION_KEY, None)
    sign_in_completed(request, request.user)
    second_factor_verified.send(sender=None, request=request, user=request.user)


def _failed(request: HttpRequest) -> bool:
    """Counts a wrong code; True when there were too many and the person was signed out."""
    user = request.user
    second_factor_failed.send(sender=None, request=request, user=user)
    throttle.record_failure(
        throttle.normalise(user.get_username()), throttle.client_address(request), timezone.now()
    )
    failures = request.session.get(FAILURES_SESSION_KEY, 0) + 1
    request.session[FAILURES_SESSION_KEY] = failures
    if failures < settings.SECOND_FACTOR_MAX_FAILURES:
        return False
    logout(request)
    messages.error(request, "Too many wrong codes. Please sign in again.")
    return True


@require_http_methods(["GET", "POST"])
@signed_in
def second_factor(request: SignedInRequest) -> HttpResponse:
    """Asks for a code from the authenticator app, or a recovery code (used up once used)."""
    user = request.user
    if not sf.second_factor_required(user) or sf.is_verified(request):
        return redirect(_home(request))
    if sf.app_device(user) is None:
        return redirect(_with_next(request, "accounts:second_factor_setup"))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = sf.check_code(user, form.cleaned_data["code"])
        if check.device is not None:
            _passed(request, check.device)
            return redirect(_home(request))
        if check.wait_seconds:
            form.add_error(
                "code", f"Too many wrong codes. Please wait {wait_text(check.wait_seconds)}."
            )
        else:
            if _failed(request):
                return redirect("accounts:login")
            form.add_error("code", "That code did not work. Please try the newest code.")
    context = {"form": form, "next": safe_next(request, "")}
    return render(request, "accounts/second_factor.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def second_factor_setup(request: SignedInRequest) -> HttpResponse:
    """Adds an authenticator app: a QR code and the secret, confirmed with a first code.

    Only while the person has no confirmed app: an attacker who knows a password cannot
    swap the owner's app for their own here.
    """
    user = request.user
    if sf.app_device(user) is not None:
        if sf.is_verified(request) or not sf.second_factor_required(user):
            return redirect("accounts:security")
        return redirect(_with_next(request, "accounts:second_factor"))
    device = sf.pending_app_device(user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = sf.confirm_app_device(device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            _passed(request, device)
            return _show_recovery_codes(request, codes)
        form.add_error("code", "That code did not work. Check the app and type the newest code.")
    context = {
        "form": form,
        "qr_svg": sf.qr_svg(device),
        "secret": sf.secret_text(device),
        "required": sf.is_staff_like(user),
        "next": safe_next(request, ""),
    }
    return render(request, "accounts/second_factor_setup.html", context)


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    """Shown once, in the answer to the POST that made them; never stored in the session."""
    context = {"codes": codes, "continue_to": _home(request)}
    return render(request, "accounts/recovery_codes.html", context)


@require_safe
@signed_in
def security(request: SignedInRequest) -> HttpResponse:
    """The person's sign-in security: whether two-factor sign-in is on, recovery codes left."""
    user = request.user
    context = {
        "has_app": sf.app_device(user) is not None,
        "required": sf.is_staff_like(user),
        "may_turn_off": sf.may_turn_off(user),
        "codes_left": sf.recovery_codes_left(user),
    }
    return render(request, "accounts/security.html", context)


@require_POST
@signed_in
def recovery_codes(request: SignedInRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working); only with an app, in a verified session."""
    if sf.app_device(request.user) is None or not sf.is_verified(request):
        return redirect("accounts:security")
    return _show_recovery_codes(request, sf.new_recovery_codes(request.user))


@require_POST
@patient_only
def second_factor_disable(request: SignedInRequest) -> HttpResponse:
    """A patient turns two-factor sign-in off, proving it is them with a current code."""
    user = request.user
    form = CodeForm(request.POST)
    if not (form.is_valid() and sf.may_turn_off(user) and sf.is_verified(request)):
        messages.error(request, "Two-factor sign-in is still on: please type a current code.")
        return redirect("accounts:security")
    check = sf.check_code(user, form.cleaned_data["code"])
    if check.device is None:
        messages.error(request, "That code did not work, so two-factor sign-in is still on.")
        return redirect("accounts:security")
    sf.forget_devices(user, request.session)
    messages.success(request, "Two-factor sign-in is off. You can turn it on again at any time.")
    return redirect("accounts:security")
