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
    def admit(request: HttpRequest) -> HttpResponse | None:
        """None when the rule admits the request; the sign-in page when it must sign in first.
        Raises PermissionDenied (403) for a role the rule does not name."""
        if rule.audience != "public" and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check(request)
        return None

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return admit(request) or view(request, *args, **kwargs)

        guarded.access_rule = rule  # type: ignore[attr-defined]
        # Rides along (functools.wraps copies it) to the outer method decorators' wrappers,
        # so OPTIONS can be answered by the same check (`answer_options`).
        guarded.admit = admit  # type: ignore[attr-defined]
        return guarded

    return decorator


def options_response(methods: Iterable[str]) -> HttpResponse:
    """The answer to OPTIONS: 200, no body, and the methods the URL accepts in `Allow`."""
    response = HttpResponse(status=200)
    response["Allow"] = ", ".join(dict.fromkeys([*methods, "OPTIONS"]))
    return response


def allowed_by(refusal: HttpResponse) -> list[str]:
    """The methods a 405 (from Django's `require_http_methods` and friends) names in `Allow`."""
    return [method.strip() for method in refusal.get("Allow", "").split(",") if method.strip()]


def answer_options(request: HttpRequest, view: Any, methods: Iterable[str]) -> HttpResponse:
    """OPTIONS to a declared view, answered without running it: to whoever its declaration
    admits, the methods it accepts; to anyone else, what any other method gets (the sign-in
    page, or PermissionDenied: 403). Never a 403 for someone who may use the URL."""
    admit: Callable[[HttpRequest], HttpResponse | None] = view.admit
    return admit(request) or options_response(methods)


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
