"""The signed-in user and the authenticator app their session was verified with, in one query.

django-otp's OTPMiddleware reads the device named in the session with a query of its own on
every request, after the user's. Here the user's query joins that device instead, when it is
an authenticator app (the second factor every member of staff signs in with):
`AuthenticationMiddleware` below hands the session's device id to the user backend for that
one load (a context variable, set only around it), the backend joins the device
(`UserWithRoleBackend.get_user`), and `OTPMiddleware` below takes the joined device instead of
reading it again. Everything django-otp checks still holds: the device must be the user's own
and confirmed, or the session loses it. A session verified with a recovery code names another
kind of device, which is read as before.
"""

from contextvars import ContextVar
from typing import Any

from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import middleware as otp_middleware
from django_otp.plugins.otp_totp.models import TOTPDevice

_APP_LABEL = f"{TOTPDevice._meta.app_label}.{TOTPDevice._meta.model_name}"
# The authenticator app's id named by the session whose user is being loaded, else None.
_session_app_device: ContextVar[int | None] = ContextVar("session_app_device", default=None)
# On a user loaded with it: (the device id asked for, the device found or None).
JOINED = "_joined_app_device"


def app_device_id(persistent_id: object) -> int | None:
    """The id of an authenticator app from django-otp's persistent id ("otp_totp.totpdevice/7")."""
    if not isinstance(persistent_id, str):
        return None
    label, _, device_id = persistent_id.rpartition("/")
    if label != _APP_LABEL or not (device_id.isascii() and device_id.isdigit()):
        return None
    return int(device_id) if len(device_id) <= 18 else None


def device_to_join() -> int | None:
    """For the user backend: the authenticator app to load with the user, if any."""
    return _session_app_device.get()


def _user_with_device(request: HttpRequest) -> Any:
    """Django's `get_user` (session hash checked as always), with the session's device id
    offered to the backend for the same query. Cached on the request as Django caches it."""
    if not hasattr(request, "_cached_user"):
        wanted = app_device_id(request.session.get(DEVICE_ID_SESSION_KEY))
        token = _session_app_device.set(wanted)
        try:
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
        finally:
            _session_app_device.reset(token)
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the user loaded by `_user_with_device`."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_with_device(request))  # type: ignore[assignment]  # as Django does


class OTPMiddleware(otp_middleware.OTPMiddleware):
    """django-otp's, taking the device joined to the user when it is the one the session
    names; any other case goes through django-otp's own read."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        joined = getattr(user, JOINED, None)
        named = app_device_id(request.session.get(DEVICE_ID_SESSION_KEY))
        if joined is None or named is None or joined[0] != named:
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        user.otp_device = self._finalize_device(request, user, joined[1])
        return user
