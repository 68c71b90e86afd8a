"""Reading one row by a unique key."""

from django.db.models import Model, QuerySet


def unique_row[M: Model](rows: QuerySet[M]) -> M | None:
    """The row of `rows`, a query filtered on a unique key (a primary key, a slug), or None.

    What `first()` returns for such a query, without the ORDER BY that `first()` adds: for at
    most one row it orders nothing, and compiling a model's ordering (names on related rows
    included) costs more Python than the rest of a short query. Used on the hot paths
    (signing in a request, a booking).
    """
    return next(iter(rows.order_by()[:1]), None)
