"""Access declarations for the API's views, read by the URL walk and enforced by DRF.

A DRF view cannot take the `@staff_only` decorators (they answer a browser, with a redirect
to the sign-in page), so each API view class declares an `ApiRule` instead: the same
`AccessRule` the walk and the URL table read, plus who may write. `DeclaredAccess` is the
permission class that enforces exactly that rule, and `Declared.as_view` attaches the rule
to the view function the URL resolver holds, where the walk finds it.

Which objects a person may see (their clinics, their own record) is decided afterwards by the
same selectors and access helpers the web pages use.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from unknot.accounts.access import AccessRule, staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import CHART_ROLES, READ_ONLY_ROLES, Role


@dataclass(frozen=True)
class ApiRule(AccessRule):
    """Who may read (GET) and who may write (POST...); `roles` is everyone staff named."""

    read_roles: frozenset[str] = frozenset()
    patients_read: bool = False
    write_roles: frozenset[str] = frozenset()
    patients_write: bool = False

    def describe(self) -> str:
        if self.audience == "public":
            return "API: anyone"
        readers = _who(self.read_roles, self.patients_read)
        writers = _who(self.write_roles, self.patients_write)
        if not self.writes:
            return f"API: {readers}"
        if not (self.read_roles or self.patients_read):  # an action: POST only
            return f"API: writes: {writers}"
        return f"API: {readers}; writes: {writers}"

    def may_read(self, user: AnyUser) -> bool:
        if self.audience == "public":
            return True
        return staff_role(user) in self.read_roles or (self.patients_read and _is_patient(user))

    def may_write(self, user: AnyUser) -> bool:
        return staff_role(user) in self.write_roles or (self.patients_write and _is_patient(user))

    def may_use(self, user: AnyUser) -> bool:
        return self.may_read(user) or self.may_write(user)


def _who(roles: frozenset[str], patients: bool) -> str:
    parts = ["staff: " + ", ".join(sorted(roles))] if roles else []
    if patients:
        parts.append("patient (own record)")
    return " + ".join(parts) or "nobody"


def _is_patient(user: AnyUser) -> bool:
    return bool(getattr(user, "is_patient_user", False)) and staff_role(user) is None


def _names(roles: Iterable[str]) -> frozenset[str]:
    return frozenset(str(role) for role in roles)


# The care record and the calendar are for the care team (`CHART_ROLES`): the biller reads no
# clinical record. With `biller=True` a view also lets the biller read, as FHIR does: the
# patients and the appointments of their clinics (their own selectors decide which).
STAFF = _names(CHART_ROLES)
STAFF_WRITERS = STAFF - READ_ONLY_ROLES
BILLER = _names({Role.BILLER})


def api_rule(
    *,
    public: bool = False,
    staff: bool = False,
    biller: bool = False,
    patients: bool = False,
    staff_write: bool = False,
    patients_write: bool = False,
    read_roles: Iterable[str] = (),
    write_roles: Iterable[str] = (),
) -> ApiRule:
    """The rule of one API view; e.g. `api_rule(staff=True, patients=True, staff_write=True)`.
    Billing's views name their own roles (`read_roles`, `write_roles`), the pages' sets."""
    readers = _names(read_roles) | (STAFF if staff else frozenset())
    readers |= BILLER if biller else frozenset()
    writers = _names(write_roles) | (STAFF_WRITERS if staff_write else frozenset())
    any_staff, any_patient = bool(readers | writers), patients or patients_write
    if public:
        audience = "public"
    elif any_staff and any_patient:
        audience = "signed_in"
    else:
        audience = "staff" if any_staff else "patient"
    return ApiRule(
        audience=audience,
        roles=readers | writers,
        writes=bool(writers or patients_write),
        read_roles=readers,
        patients_read=patients,
        write_roles=writers,
        patients_write=patients_write,
    )


class DeclaredAccess(BasePermission):
    """Enforces the view's `access_rule`: 401 without credentials, 403 for a role not named.

    OPTIONS is allowed to anyone who may read or write, so a POST-only action answers it for
    those who may POST (DRF counts OPTIONS as a safe method, a read).
    """

    message = "Your role does not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        rule: ApiRule | None = getattr(view, "access_rule", None)
        if rule is None:
            return False  # an undeclared view is closed, never open
        if not hasattr(view, (request.method or "").lower()):
            return True  # the view has no such method: DRF answers 405, the same for everyone
        if request.method == "OPTIONS":  # which methods it takes: for whoever may use it at all
            return rule.audience == "public" or (_signed_in(request) and rule.may_use(request.user))
        if request.method in SAFE_METHODS or _reads_by_post(request, view):
            if rule.audience == "public":
                return True
            return _signed_in(request) and rule.may_read(request.user)
        return _signed_in(request) and rule.may_write(request.user)


def _reads_by_post(request: Request, view: Any) -> bool:
    """A search whose terms identify a person is a POST (kept out of URLs) that only reads."""
    return request.method == "POST" and getattr(view, "reads_by_post", False)


def _signed_in(request: Request) -> bool:
    # False for anonymous users makes DRF answer 401 (with WWW-Authenticate), not 403.
    return bool(request.user and request.user.is_authenticated and request.user.is_active)


class Declared(APIView):
    """Mixin for API view classes: the rule rides on the view function for the URL walk.

    Placed before the DRF view class; an APIView itself so that `super()` is typed."""

    access_rule: ApiRule

    @classmethod
    def as_view(cls, *args: Any, **kwargs: Any) -> Any:
        view = super().as_view(*args, **kwargs)
        view.access_rule = cls.access_rule  # type: ignore[attr-defined]  # a function attribute
        return view
