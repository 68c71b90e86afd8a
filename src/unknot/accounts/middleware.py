import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode

from unknot.accounts.access import staff_role
from unknot.accounts.second_factor import app_device, is_verified, second_factor_required
from unknot.accounts.signals import SIGNED_IN_AT_SESSION_KEY

Handler = Callable[[HttpRequest], HttpResponse]


# The session's expiry slides forward at most once a minute, not on every request: each
# slide is a signed session write (an UPDATE in its own transaction) and a new cookie. A
# session may therefore end up to a minute before its idle limit, never after it.
SLIDE_EVERY_SECONDS = 60
SLID_AT_SESSION_KEY = "unknot_slid_at"


class IdleSessionMiddleware:
    """Ends a session after a period without requests, and in any case after a fixed time.

    Idle: requests push the expiry forward (at most once a minute, see SLIDE_EVERY_SECONDS),
    so only inactivity ends it; staff sooner than patients. Absolute: counted from the
    sign-in (stamped by unknot.accounts.signals); a session without that stamp is ended too.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            staff = staff_role(request.user) is not None
            if self._past_absolute_limit(request, staff):
                logout(request)  # the view then answers as for anyone signed out
            else:
                minutes = (
                    settings.STAFF_IDLE_TIMEOUT_MINUTES
                    if staff
                    else settings.PATIENT_IDLE_TIMEOUT_MINUTES
                )
                self._slide_expiry(request, minutes * 60)
        return self.get_response(request)

    @staticmethod
    def _slide_expiry(request: HttpRequest, idle_seconds: int) -> None:
        """Sets the expiry `idle_seconds` ahead, unless that was done less than a minute ago."""
        session = request.session
        now = int(time.time())
        slid_at = session.get(SLID_AT_SESSION_KEY)
        if (
            session.get_expiry_age() == idle_seconds
            and isinstance(slid_at, int)
            and 0 <= now - slid_at < SLIDE_EVERY_SECONDS
        ):
            return
        session.set_expiry(idle_seconds)
        session[SLID_AT_SESSION_KEY] = now  # a change: SessionMiddleware saves, sends the cookie

    @staticmethod
    def _past_absolute_limit(request: HttpRequest, staff: bool) -> bool:
        hours = (
            settings.STAFF_ABSOLUTE_SESSION_HOURS
            if staff
            else settings.PATIENT_ABSOLUTE_SESSION_HOURS
        )
        signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
        if not isinstance(signed_in_at, int):
            return True
        return time.time() - signed_in_at >= hours * 3600


# The only pages a signed-in person who still owes their second factor may open.
SECOND_FACTOR_OPEN = frozenset(
    {"accounts:second_factor", "accounts:second_factor_setup", "accounts:logout"}
)


class SecondFactorMiddleware:
    """The one place that enforces two-factor sign-in; goes after django-otp's OTPMiddleware.

    A signed-in person who must use a second factor (all staff; patients who turned it on)
    and whose session has not passed it reaches only the second-factor pages and sign-out.
    Everything else, the admin site and the APIs included, sends them there.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not is_verified(request)
            and not self._is_open(request.path_info)
            and second_factor_required(user)
        ):
            page = "accounts:second_factor" if app_device(user) else "accounts:second_factor_setup"
            target = reverse(page)
            if request.method in ("GET", "HEAD"):
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.view_name in SECOND_FACTOR_OPEN


class NoStoreMiddleware:
    """Nothing a signed-in person sees, nor an intake or booking page, is kept by a cache.

    The simplest rule that is safe: every response to a signed-in request, plus the paths in
    UNKNOT_NO_STORE_PATHS (intake and booking carry health and contact details for people
    who are not signed in), gets `Cache-Control: no-store` (with no-cache, private, max-age=0).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path_info.startswith(tuple(settings.UNKNOT_NO_STORE_PATHS)):
            patch_cache_control(response, private=True, no_store=True)
        return response
