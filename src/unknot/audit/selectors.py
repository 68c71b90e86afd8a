"""Reads of the audit trail for the auditors' report.

Who sees what: an auditor sees the events of their clinics and the events that belong to no
clinic (sign-ins, failed sign-ins, refused look-ups, exports of the report): those are the
security events a practice's auditor reviews. A clinic manager sees only the events of
their own clinics. Everyone else sees nothing (and the views answer 403 before asking).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy

from unknot.accounts.access import staff_role
from unknot.accounts.models import AnyUser
from unknot.accounts.roles import MANAGING_ROLES, Role
from unknot.audit.models import AuditEvent
from unknot.clinics.models import Clinic
from unknot.clinics.selectors import clinics_visible_to

REPORT_ROLES = frozenset({Role.AUDITOR, Role.MANAGER, Role.OWNER})
# The only columns a report may be sorted by; any other `sort` value is ignored. Each order
# but the outcome's is the column order of one index of AuditEvent, read forwards or
# backwards, so a page is the first rows of an index scan, not a sort of the trail; `id`
# last makes every order total, which the pages' cursors need.
SORTS: dict[str, tuple[str, ...]] = {
    "at": ("at", "id"),
    "actor": ("actor_username", "actor_id", "id"),
    "action": ("action", "at", "id"),
    "patient": ("patient_id", "at", "id"),
    "outcome": ("outcome", "at", "id"),
}
DEFAULT_SORT = "-at"
PER_PAGE = 50


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


def _nullable(column: str) -> bool:
    return bool(getattr(AuditEvent._meta.get_field(column), "null", False))


def _order(column: str, descending: bool) -> OrderBy:
    """Empty values (no actor, no patient) come last going up and first going down, on every
    database: PostgreSQL's own index order, which SQLite would otherwise reverse."""
    if not _nullable(column):
        return F(column).desc() if descending else F(column).asc()
    return F(column).desc(nulls_first=True) if descending else F(column).asc(nulls_last=True)


def sorted_events(
    events: QuerySet[AuditEvent], sort: str, reverse: bool = False
) -> QuerySet[AuditEvent]:
    sort = chosen_sort(sort)
    descending = sort.startswith("-") != reverse
    return events.order_by(*(_order(c, descending) for c in SORTS[sort.removeprefix("-")]))


def _past(column: str, value: Any, descending: bool) -> Q | None:
    """The rows whose `column` comes strictly after `value` in the order (None: no row)."""
    if value is None:  # empty values come last going up, first going down
        return Q(**{f"{column}__isnull": False}) if descending else None
    beyond = Q(**{f"{column}__lt" if descending else f"{column}__gt": value})
    if _nullable(column) and not descending:  # going up, the empty values come after it too
        return beyond | Q(**{f"{column}__isnull": True})
    return beyond


def _same(column: str, value: Any) -> Q:
    return Q(**{f"{column}__isnull": True}) if value is None else Q(**{column: value})


def seek(columns: tuple[str, ...], values: tuple[Any, ...], descending: bool) -> Q:
    """The rows after the row whose sort values are `values`, in the order of `columns`:
    (a > x) or (a = x and b > y) or ... A first column that cannot be empty is also bounded
    on its own (a >= x), so that PostgreSQL starts its index scan there instead of
    filtering its way to it."""
    terms, equal = [], Q()
    for column, value in zip(columns, values, strict=True):
        past = _past(column, value, descending)
        if past is not None:
            terms.append(equal & past)
        equal &= _same(column, value)
    after = Q(pk__in=[])
    for term in terms:
        after |= term
    first, start = columns[0], values[0]
    if start is not None and not _nullable(first):
        after &= Q(**{f"{first}__lte" if descending else f"{first}__gte": start})
    return after


@dataclass(frozen=True)
class ReportPage:
    """One page of the report: its rows, and the ids its links start from (None: no link)."""

    rows: list[AuditEvent]
    previous_before: int | None
    next_after: int | None


def _cursor_values(events: QuerySet[AuditEvent], columns: tuple[str, ...], pk: int | None) -> Any:
    """The sort values of the row a page starts from, if it is among these events."""
    if pk is None:
        return None
    return events.filter(pk=pk).values_list(*columns).first()


def page_of(
    events: QuerySet[AuditEvent], sort: str, after: int | None = None, before: int | None = None
) -> ReportPage:
    """A page of PER_PAGE rows after (or before) the row of a given id, by keyset: the page
    is found by its cursor's values, never by counting and skipping the rows before it.

    A cursor that is not among these events (filters changed, a made-up id) gives the first
    page. One query for the cursor's row, one for the page.
    """
    sort = chosen_sort(sort)
    columns, descending = SORTS[sort.removeprefix("-")], sort.startswith("-")
    backwards = before is not None
    values = _cursor_values(events, columns, before if backwards else after)
    going = (
        events if values is None else events.filter(seek(columns, values, descending != backwards))
    )
    found = list(
        sorted_events(going, sort, reverse=backwards and values is not None)[: PER_PAGE + 1]
    )
    more = len(found) > PER_PAGE
    rows = found[:PER_PAGE]
    if values is None:
        return ReportPage(rows, None, rows[-1].pk if more else None)
    if backwards:
        rows.reverse()
        return ReportPage(rows, rows[0].pk if more else None, rows[-1].pk if rows else None)
    return ReportPage(rows, rows[0].pk if rows else None, rows[-1].pk if more else None)


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
