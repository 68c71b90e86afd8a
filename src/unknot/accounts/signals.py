"""Sign-in events of our own, and the stamp that the absolute session limit reads.

Django's own `user_logged_in`, `user_logged_out` and `user_login_failed` keep firing as
usual (the password step uses django.contrib.auth.login/logout/authenticate). The two signals
below add the second step, so that the audit trail can record it: both are sent with
`sender=None, request=..., user=...`.
"""

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver
from django.utils import timezone

from unknot.accounts.models import User

second_factor_verified = Signal()
second_factor_failed = Signal()

SIGNED_IN_AT_SESSION_KEY = "unknot_signed_in_at"


@receiver(user_logged_in, dispatch_uid="unknot.accounts.stamp_sign_in_time")
def stamp_sign_in_time(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    """Every sign-in, whatever its path, records when it began (UTC, seconds)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT_SESSION_KEY] = int(timezone.now().timestamp())
