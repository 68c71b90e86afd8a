"""Every view declares who may use it; nothing is reachable without a declaration.

The decorators below both enforce the rule and attach it to the view as `access_rule`,
so the URL-walk test (and the security docs) read the same declaration the code obeys.
Object-level checks (which clinic, which patient) live in each app's access helpers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from unknot.accounts.roles import ALL_STAFF_ROLES, READ_ONLY_ROLES

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class AccessRule:
    audience: str  # "public", "signed_in", "staff", "patient"
    roles: frozenset[str] = frozenset()
    writes: bool = False

    def describe(self) -> str:
        if self.audience == "staff":
            return "staff: " + ", ".join(sorted(self.roles))
        return self.audience


def staff_role(user: Any) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    member = getattr(user, "staff_member", None)
    if member is None or not user.is_active:
        return None
    return str(member.role)


def is_read_only(user: Any) -> bool:
    return staff_role(user) in READ_ONLY_ROLES


def _declare(rule: AccessRule, check: Callable[[HttpRequest], None]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if rule.audience != "public" and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request)
            return view(request, *args, **kwargs)

        guarded.access_rule = rule  # type: ignore[attr-defined]
        return guarded

    return decorator


def public(view: View) -> View:
    """Anyone, signed in or not, may use this view."""
    return _declare(AccessRule("public"), lambda request: None)(view)


def signed_in(view: View) -> View:
    """Any signed-in person, staff or patient."""
    return _declare(AccessRule("signed_in"), lambda request: None)(view)


def staff_only(
    roles: Iterable[str] = ALL_STAFF_ROLES, *, writes: bool = False
) -> Callable[[View], View]:
    """Staff in one of `roles`; when `writes`, read-only roles get 403 too."""
    allowed = frozenset(str(role) for role in roles)
    if writes:
        allowed = allowed - READ_ONLY_ROLES

    def check(request: HttpRequest) -> None:
        if staff_role(request.user) not in allowed:
            raise PermissionDenied("Your role does not allow this.")

    return _declare(AccessRule("staff", allowed, writes), check)


def patient_only(view: View) -> View:
    """A patient signed in to the portal; they only ever see their own record."""

    def check(request: HttpRequest) -> None:
        if not getattr(request.user, "is_patient_user", False):
            raise PermissionDenied("This page is for patients using the portal.")

    return _declare(AccessRule("patient"), check)(view)
