"""What happens when a sign-in is complete (password, and the second factor when owed)."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from unknot.accounts import throttle
from unknot.accounts.models import User


def sign_in_completed(request: HttpRequest, user: User) -> None:
    """The address becomes trusted for this account; its own failure count is cleared."""
    throttle.record_success(
        throttle.normalise(user.get_username()), throttle.client_address(request), timezone.now()
    )


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` the person came for, when it points at this site; `default` otherwise."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # Only a path: anything else would reach redirect(), which reverses bare words as URL
    # names and fails with a 500 on `?next=' OR 1=1 --` (tests/attacks).
    return wanted if wanted.startswith("/") and allowed else default
