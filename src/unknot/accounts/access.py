"""Every view declares who may use it; nothing is reachable without a declaration.

The decorators below both enforce the rule and attach it to the view as `access_rule`,
so the URL-walk test (and the security docs) read the same declaration the code obeys.
Object-level checks (which clinic, which patient) live in each app's access helpers.

`@staff_only(..., break_glass=True)` declares one of a record's read-only pages that an
emergency (break-glass) opening lets through (`unknot.breakglass.enforce` reads it from the
view being served); a rule that writes cannot declare it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from unknot.accounts.models import AnyUser, User
from unknot.accounts.roles import CHART_ROLES, READ_ONLY_ROLES

View = Callable[..., HttpResponseBase]  # a view function, or a class-based view's as_view()


@dataclass(frozen=True)
class AccessRule:
    audience: str  # "public", "signed_in", "staff", "patient"
    roles: frozenset[str] = frozenset()
    writes: bool = False
    break_glass: bool = False  # an emergency opening lets a read through (docs/break-glass.md)

    def __post_init__(self) -> None:
        if self.break_glass and (self.writes or self.audience != "staff"):
            raise ImproperlyConfigured("break_glass opens read-only staff pages only")

    def describe(self) -> str:
        if self.audience == "staff":
            opens = "; break-glass" if self.break_glass else ""
            return "staff: " + ", ".join(sorted(self.roles)) + opens
        return self.audience


class SignedInRequest(HttpRequest):
    """The request of a view declared `signed_in`, `staff_only` or `patient_only`: the
    declaration sends anyone not signed in to the sign-in page first, so its user is a User.
    Only an annotation for such views (the object is Django's own HttpRequest)."""

    user: User


def signed_in_user(user: AnyUser | None) -> User:
    """`user`, known to be signed in: for code behind a rule that admits only signed-in people
    (the API's and FHIR's access rules) where the type still allows AnonymousUser. Refuses
    (403) should it ever be reached otherwise."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Please sign in.")
    return user


def staff_user(user: AnyUser | None) -> User | None:
    """`user` if they count as staff now (signed in, active, with a staff profile); else None."""
    if user is None or not user.is_authenticated:
        return None
    if getattr(user, "staff_member", None) is None or not user.is_active:
        return None
    return user


def staff_role(user: AnyUser | None) -> str | None:
    staff = staff_user(user)
    return None if staff is None else str(staff.staff_member.role)


def is_read_only(user: AnyUser | None) -> bool:
    return staff_role(user) in READ_ONLY_ROLES


def may_read_chart(user: AnyUser | None) -> bool:
    """Whether `user` is staff in a role that reads the clinical record (not the biller)."""
    return staff_role(user) in CHART_ROLES


READ_ONLY = "Your role may read this record but not change it."
NOT_YOUR_ROLE = "Your role does not allow this."


def may_write(user: AnyUser | None, roles: Iterable[str] = CHART_ROLES) -> bool:
    """Whether `user` is staff in one of `roles` and not in a role that only reads. The
    default, the care team (`CHART_ROLES`), writes patients, the calendar, the waitlist and the
    chart; billing's writes name their own roles."""
    role = staff_role(user)
    return role in {str(r) for r in roles} and role not in READ_ONLY_ROLES


def ensure_may_write(
    user: AnyUser | None, message: str = READ_ONLY, *, roles: Iterable[str] = CHART_ROLES
) -> User:
    """403 (PermissionDenied) unless `user` may write (`may_write` with `roles`): the `_rw`
    access helpers and the services ask this after the object-level check. `message` is for
    a role that only reads; any other role outside `roles` is told its role does not allow
    it. Returns the user, now known to be a member of staff."""
    staff = staff_user(user)
    if staff is None or not may_write(staff, roles):
        raise PermissionDenied(message if staff is None or is_read_only(staff) else NOT_YOUR_ROLE)
    return staff


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
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return admit(request) or view(request, *args, **kwargs)

        guarded.access_rule = rule  # type: ignore[attr-defined]  # a function attribute
        # Rides along (functools.wraps copies it) to the outer method decorators' wrappers,
        # so OPTIONS can be answered by the same check (`answer_options`).
        guarded.admit = admit  # type: ignore[attr-defined]  # a function attribute
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
    roles: Iterable[str] = CHART_ROLES, *, writes: bool = False, break_glass: bool = False
) -> Callable[[View], View]:
    """Staff in one of `roles`; when `writes`, read-only roles get 403 too. `break_glass`: a
    read-only page of a patient's record that an emergency opening lets through. Without
    `roles`, the care team (`CHART_ROLES`): a page for the biller names its roles."""
    allowed = frozenset(str(role) for role in roles)
    if writes:
        allowed = allowed - READ_ONLY_ROLES

    def check(request: HttpRequest) -> None:
        if staff_role(request.user) not in allowed:
            raise PermissionDenied(NOT_YOUR_ROLE)

    return _declare(AccessRule("staff", allowed, writes, break_glass), check)


def patient_only(view: View) -> View:
    """A patient signed in to the portal; they only ever see their own record."""

    def check(request: HttpRequest) -> None:
        if not getattr(request.user, "is_patient_user", False):
            raise PermissionDenied("This page is for patients using the portal.")

    return _declare(AccessRule("patient"), check)(view)
