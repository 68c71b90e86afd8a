"""The one body of every access helper (`get_patient_for`, `get_episode_for`, ...).

Each helper names the rows its user may see (the app's `*_visible_to` selector) and calls
`one_visible_or_404`: the row asked for, or 404, exactly as for a row that does not exist;
the read (or the refusal) recorded in the audit trail. It lives beside the trail because it
writes to it; the rule "who may change" is `accounts.access.ensure_may_write`.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404

from unknot.accounts.models import AnyUser
from unknot.audit.models import Action
from unknot.audit.services import access, record
from unknot.common.rows import unique_row


def one_visible_or_404[M: Model](
    rows: QuerySet[M],
    user: AnyUser,
    kind: str,
    pk: Any,
    *,
    name: str = "",
    emergency: Callable[[Any, Any], M | None] | None = None,
    audited: bool = True,
) -> M:
    """Row `pk` of `rows` (what `user` may see), or Http404 "No such {name}.".

    `kind` is the audit trail's object type; the read is recorded as `read`, allowed or
    denied (`not_visible`), unless `audited=False`. `emergency` (break-glass's `patient_for` or
    `episode_for`) is asked only when the ordinary rule says "not yours": a row it lets
    through is recorded by break-glass itself, as `break_glass` instead of `read`.
    """
    found = unique_row(rows.filter(pk=pk))
    if found is None and emergency is not None:
        opened = emergency(user, pk)
        if opened is not None:
            return opened
    if audited:
        access(user, kind, pk, found)
    if found is None:
        raise Http404(f"No such {name or kind.replace('_', ' ')}.")
    return found


def listed(user: AnyUser, kind: str, *, patient_id: int | None = None) -> None:
    """Records that `user` read a list of `kind` rows (a search, a page of an API list): the
    interfaces' reads of billing data are recorded as a whole, like the pages' lists."""
    record(Action.READ, by=user, object_type=kind, patient_id=patient_id, reason="list")
