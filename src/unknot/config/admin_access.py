"""Who may use which page of Django's admin site: the admin's half of the access declarations.

Views outside the admin carry their rule as a decorator (`unknot.accounts.access`); the admin's
pages are Django's own, so their rules are declared here instead: one `AdminRule` per
registered ModelAdmin, and one `AdminPage` per page of the admin site itself. `docs/urls.md`
and the access table in `docs/security.md` are generated from these declarations, and
`tests/web/test_admin_matrix.py` walks every admin URL as every persona against them; a
ModelAdmin registered without a rule here fails that test.

Two audiences get into the admin at all, both behind the second factor:
- the practice owner, a superuser account ("owner");
- clinic managers ("manager"), on the models whose admin is a `ScopedAdmin`, and there only
  on the rows of the clinics they manage: clinics, opening hours, closures, staff profiles and
  the scheduling set-up. Another clinic's row is "not found" to them.
Everyone else is sent to the admin's sign-in page. Health data is not in the admin at all.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.urls import URLPattern

OWNER = "owner"
MANAGER = "manager"
PUBLIC = "public"
ADMIN_STAFF = frozenset({OWNER, MANAGER})  # the accounts the admin lets in (is_staff)

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
EVERYTHING = frozenset({VIEW, ADD, CHANGE, DELETE})
WRITING = frozenset({ADD, CHANGE, DELETE})
_ACTION_ORDER = (VIEW, ADD, CHANGE, DELETE)

# The pages Django's ModelAdmin gives every model, and what each needs. The change page opens
# read-only with VIEW alone; the unnamed "<id>/" URL only redirects to it.
MODEL_PAGES = {
    "changelist": VIEW,
    "add": ADD,
    "history": VIEW,
    "delete": DELETE,
    "change": VIEW,
    "": VIEW,
}


@dataclass(frozen=True)
class AdminRule:
    """What the owner and a clinic manager may do with one model's admin pages.

    `refused` names extra pages a ModelAdmin adds (beyond MODEL_PAGES) that answer 403 to
    everyone, the owner included.
    """

    owner: frozenset[str]
    managers: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    note: str = ""

    def actions(self, audience: str) -> frozenset[str]:
        return {OWNER: self.owner, MANAGER: self.managers}.get(audience, frozenset())

    @property
    def audiences(self) -> frozenset[str]:
        return frozenset(a for a in (OWNER, MANAGER) if self.actions(a))

    @property
    def writes(self) -> bool:
        return bool((self.owner | self.managers) & WRITING)

    def describe(self) -> str:
        parts = [f"owner: {_listed(self.owner)}"]
        if self.managers:
            parts.append(f"manager, own clinics only: {_listed(self.managers)}")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)


def _listed(actions: Iterable[str]) -> str:
    chosen = set(actions)
    return ", ".join(a for a in _ACTION_ORDER if a in chosen) or "nothing"


def rule(
    owner: Iterable[str] = EVERYTHING,
    managers: Iterable[str] = (),
    *,
    refused: Iterable[str] = (),
    note: str = "",
) -> AdminRule:
    return AdminRule(frozenset(owner), frozenset(managers), frozenset(refused), note)


# One rule per registered model ("app_label.model_name"). A manager's rule only holds because
# the admin is a ScopedAdmin (its querysets keep other clinics' rows out); owner-only admins
# refuse managers because they hold none of Django's model permissions.
ADMIN_ACCESS: dict[str, AdminRule] = {
    "clinics.clinic": rule(
        managers={VIEW, CHANGE},
        note="opening hours and closures inline; opening or closing a clinic is the owner's",
    ),
    "clinics.closure": rule(managers=EVERYTHING),
    "clinics.staffmember": rule(
        managers={VIEW, CHANGE, DELETE},
        note="accounts and roles are the owner's (a manager cannot change a role)",
    ),
    "clinics.practice": rule(),
    "booking.appointmenttype": rule(managers=EVERYTHING),
    "booking.workinghours": rule(managers=EVERYTHING),
    "booking.scheduleoverride": rule(managers=EVERYTHING),
    "booking.timeoff": rule(managers=EVERYTHING),
    "breakglass.breakglassgrant": rule(
        {VIEW, ADD}, note="revoked from the list, never edited or deleted (break-glass.md)"
    ),
    "breakglass.breakglassaccess": rule({VIEW}, note="read-only: the record of each opening"),
    "django_tasks_database.dbtaskresult": rule({VIEW}, note="background tasks, read-only"),
    "otp_totp.totpdevice": rule(
        refused={"config", "qrcode"},
        note="a device's secret is never shown: its set-up and QR code pages refuse everyone",
    ),
    "otp_static.staticdevice": rule(note="recovery codes"),
    "auth.group": rule(note="unknot's roles do not use groups"),
}


@dataclass(frozen=True)
class AdminPage:
    """One page of the admin site itself (not of a model)."""

    audiences: frozenset[str]
    writes: bool = False
    note: str = ""

    def describe(self) -> str:
        if self.audiences == {PUBLIC}:
            who = "public"
        else:
            who = "admin staff: " + ", ".join(sorted(self.audiences))
        return f"{who}; {self.note}" if self.note else who


# Keyed by URL name; "" is the catch-all at the end of the admin's URLs.
ADMIN_PAGES: dict[str, AdminPage] = {
    "index": AdminPage(ADMIN_STAFF, note="lists only the models each may use"),
    "login": AdminPage(frozenset({PUBLIC}), note="then the second factor, as on every sign-in"),
    "logout": AdminPage(ADMIN_STAFF, note="POST only"),
    "password_change": AdminPage(ADMIN_STAFF, writes=True, note="their own password"),
    "password_change_done": AdminPage(ADMIN_STAFF),
    "autocomplete": AdminPage(ADMIN_STAFF, note="no model offers it: refused (403)"),
    "jsi18n": AdminPage(ADMIN_STAFF, note="the admin's translations"),
    "view_on_site": AdminPage(ADMIN_STAFF, note="redirects to an object's public page"),
    "app_list": AdminPage(ADMIN_STAFF, note="an app with a model they may use; others 404"),
    "": AdminPage(ADMIN_STAFF, note="any other admin path: 404"),
}


def label(model: Any) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def registered(site: admin.AdminSite = admin.site) -> list[tuple[str, Any]]:
    """(label, ModelAdmin) for every model in the admin, in a stable order."""
    return sorted((label(model), model_admin) for model, model_admin in site._registry.items())


def derived_audiences(model_admin: Any) -> frozenset[str]:
    """Who the admin class lets in: a ScopedAdmin also lets managers, the rest only the owner."""
    from unknot.clinics.admin import ScopedAdmin

    return ADMIN_STAFF if isinstance(model_admin, ScopedAdmin) else frozenset({OWNER})


def undeclared(site: admin.AdminSite = admin.site) -> list[str]:
    return [name for name, _ in registered(site) if name not in ADMIN_ACCESS]


def disagreements(site: admin.AdminSite = admin.site) -> list[str]:
    """Declarations whose audience is not what the registered admin class gives."""
    return [
        f"{name}: declared {sorted(ADMIN_ACCESS[name].audiences)}, "
        f"the admin class gives {sorted(derived_audiences(model_admin))}"
        for name, model_admin in registered(site)
        if name in ADMIN_ACCESS and ADMIN_ACCESS[name].audiences != derived_audiences(model_admin)
    ]


@dataclass(frozen=True)
class ModelPage:
    """One URL pattern of a ModelAdmin: `page` is "changelist", "change", "config", ..."""

    model: str
    page: str
    name: str  # "admin:clinics_clinic_change", or "" for the unnamed redirect
    route: str  # below the admin's root, e.g. "clinics/clinic/<path:object_id>/change/"
    list_actions: bool = False  # the admin adds its own bulk actions to the list

    @property
    def for_an_object(self) -> bool:
        return "<" in self.route

    def needs(self) -> str | None:
        """The action this page needs; None for a page of its own, which no one may use."""
        return MODEL_PAGES.get(self.page)


def model_pages(model_admin: Any) -> Iterator[ModelPage]:
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern):
            continue
        name = pattern.name or ""
        yield ModelPage(
            model=label(model_admin.model),
            page=name.removeprefix(prefix),
            name=f"admin:{name}" if name else "",
            route=f"{opts.app_label}/{opts.model_name}/{pattern.pattern}",
            list_actions=bool(model_admin.actions),
        )


def unknown_pages(site: admin.AdminSite = admin.site) -> list[str]:
    """Model pages that are neither one of MODEL_PAGES nor declared refused in their rule."""
    return [
        f"{page.model}: {page.name or page.route}"
        for name, model_admin in registered(site)
        for page in model_pages(model_admin)
        if page.page not in MODEL_PAGES and page.page not in ADMIN_ACCESS.get(name, rule()).refused
    ]


def may_use(audience: str, page: ModelPage) -> bool:
    needed = page.needs()
    return needed is not None and needed in ADMIN_ACCESS[page.model].actions(audience)


def page_writes(page: ModelPage) -> bool:
    """Whether anyone can change data through this page (the list carries the bulk actions)."""
    granted = ADMIN_ACCESS[page.model].owner | ADMIN_ACCESS[page.model].managers
    if page.page == "changelist":
        return bool(granted & {CHANGE, DELETE}) or page.list_actions
    return page.page in MODEL_PAGES and page.needs() in WRITING and page.needs() in granted


def site_pages(site: admin.AdminSite = admin.site) -> list[tuple[str, str]]:
    """(name, route) of the admin site's own pages, not its models'."""
    return [
        (pattern.name or "", str(pattern.pattern))
        for pattern in site.get_urls()
        if isinstance(pattern, URLPattern)
    ]
