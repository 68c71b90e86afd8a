"""Reads of the audit trail for the auditors' report.

Who sees what: an auditor sees the events of their clinics and the events that belong to no
clinic (sign-ins, failed sign-ins, refused look-ups, exports of the report): those are the
security events a practice's auditor reviews. A clinic manager sees only the events of
their own clinics. Everyone else sees nothing (and the views answer 403 before asking).
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from unknot.accounts.access import staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import MANAGING_ROLES, Role
from unknot.audit.models import AuditEvent
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to

REPORT_ROLES = frozenset({Role.AUDITOR, Role.MANAGER, Role.OWNER})
# The only columns a report may be sorted by; any other `sort` value is ignored.
SORTS: dict[str, tuple[str, ...]] = {
    "at": ("at", "id"),
    "actor": ("actor_username", "actor_id", "id"),
    "action": ("action", "id"),
    "patient": ("patient_id", "id"),
    "outcome": ("outcome", "id"),
}
DEFAULT_SORT = "-at"


def events_visible_to(user: AnyUser) -> QuerySet[AuditEvent]:
    role = staff_role(user)
    clinics = clinics_visible_to(user).values("pk")
    if role == Role.AUDITOR:
        return AuditEvent.objects.filter(Q(clinic_id__in=clinics) | Q(clinic_id__isnull=True))
    if role in MANAGING_ROLES:
        return AuditEvent.objects.filter(clinic_id__in=clinics)
    return AuditEvent.objects.none()


def chosen_sort(requested: str | None) -> str:
    """The requested sort if it is on the allow-list (with an optional "-"), else the default."""
    if requested and requested.removeprefix("-") in SORTS:
        return requested
    return DEFAULT_SORT


def sorted_events(events: QuerySet[AuditEvent], sort: str) -> QuerySet[AuditEvent]:
    sort = chosen_sort(sort)
    columns = SORTS[sort.removeprefix("-")]
    return events.order_by(*(f"-{c}" if sort.startswith("-") else c for c in columns))


def filtered(events: QuerySet[AuditEvent], wanted: dict[str, Any]) -> QuerySet[AuditEvent]:
    """`wanted` is a report form's cleaned_data: every value already checked and typed."""
    if wanted.get("since"):
        events = events.filter(at__gte=_utc_midnight(wanted["since"]))
    if wanted.get("until"):
        events = events.filter(at__lt=_utc_midnight(wanted["until"] + dt.timedelta(days=1)))
    if wanted.get("user"):
        events = events.filter(_by_user(wanted["user"]))
    if wanted.get("patient") is not None:
        events = events.filter(patient_id=wanted["patient"])
    for name in ("action", "outcome"):
        if wanted.get(name):
            events = events.filter(**{name: wanted[name]})
    return events


def report_rows(user: AnyUser, wanted: dict[str, Any], sort: str) -> QuerySet[AuditEvent]:
    return sorted_events(filtered(events_visible_to(user), wanted), sort)


def clinics_by_id(user: AnyUser) -> dict[int, Clinic]:
    """The clinics the reader may see: each row shows its clinic's name, and its time in that
    clinic's zone."""
    return {
        clinic.pk: clinic for clinic in clinics_visible_to(user).only("pk", "name", "time_zone")
    }


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _by_user(text: str) -> Q:
    """A user id, or a username: today's account of that name, or a deleted one's rows."""
    if text.isdigit():
        return Q(actor_id=int(text))
    accounts = get_user_model()._default_manager.filter(username=text).values("pk")
    return Q(actor_username=text) | Q(actor_id__in=accounts)
