"""How a password is checked (throttled) and how a signed-in user is loaded on every request."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import FilteredRelation, Q
from django.http import HttpRequest
from django.utils import timezone

from unknot.accounts import session_device, throttle
from unknot.common.rows import unique_row


class UserWithRoleBackend(ModelBackend):
    """Django's ModelBackend, loading the user with their staff and patient rows in one query.

    Every request of a signed-in person asks which of the two they are (access rules, the
    idle timeout), so both one-to-one rows come joined to the user instead of costing a
    query each. Passwords and permissions are ModelBackend's, unchanged.

    ModelBackend stays listed after this one so that sessions naming it keep working. A
    refused sign-in stops here: ModelBackend would only repeat the same password check.

    Every password check passes the throttle (unknot.accounts.throttle) first, whichever page
    asked (our sign-in page, the admin's): a throttled attempt is refused without looking at
    the password, and `request.sign_in_wait_seconds` tells the page how long to wait. An
    unknown username still costs a full password hash (ModelBackend hashes the password it
    was given), so the answer takes as long as for a real account.

    People sign in with their email address: for most it is their username, but a portal
    login's username is a shortened form when the address is longer than a username can hold
    (`emails.username_for`), or has a suffix when the address was taken as a username. When no
    account has the typed name as its username and it is one account's email address, that
    account's username is checked, and counted by the throttle, instead.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            raise PermissionDenied
        username = _username_of(username)
        typed, address, now = (
            throttle.normalise(username),
            throttle.client_address(request),
            timezone.now(),
        )
        wait = throttle.wait_seconds(typed, address, now)
        if wait is not None:
            if request is not None:
                request.sign_in_wait_seconds = wait  # type: ignore[attr-defined]  # for the view
            raise PermissionDenied  # Django then sends user_login_failed and returns None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.record_failure(typed, address, now)
            raise PermissionDenied
        return user

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("staff_member", "patient")
        device_id = session_device.device_to_join()
        if device_id is not None:  # the session's authenticator app, in the same query
            users = users.annotate(
                session_app_device=FilteredRelation(
                    "totpdevice", condition=Q(totpdevice__id=device_id)
                )
            ).select_related("session_app_device")  # type: ignore[misc]  # the stubs miss aliases
        user = unique_row(users.filter(pk=user_id))
        if user is not None and device_id is not None:
            # No attribute at all when the join found no such device (it was deleted).
            found = getattr(user, "session_app_device", None)
            setattr(user, session_device.JOINED, (device_id, found))
        return user if user is not None and self.user_can_authenticate(user) else None


def _username_of(typed: str) -> str:
    """The username an email address signs in as (see UserWithRoleBackend); else `typed`."""
    users = get_user_model()._default_manager
    if "@" not in typed or users.filter(username=typed).exists():
        return typed
    names = list(users.filter(email__iexact=typed.strip()).values_list("username", flat=True)[:2])
    return names[0] if len(names) == 1 else typed
