"""Keyset (cursor) paging: a page starts after a row, never after a count of skipped rows.

OFFSET makes the database read and throw away every row before the page, and a COUNT reads
them all: on a chain's millions of appointments both grow with the history. Here a page is
"the next `size` rows after this row in this order", which an index on the order answers by
reading the page alone, whatever its position.

The cursor is opaque and signed: it holds the id of the row a page continues from, which
way to go, and which order it was made for; never the sort values themselves, which may be
a patient's name and would then travel in URLs. Reading a page from a cursor costs one
look-up by primary key (the sort values of that row, among the rows the caller may see),
then the page itself. A cursor that was altered, made for another order, or whose row has
gone (deleted, or no longer visible) is refused with `BadInput`: start again from the first
page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Any

from django.core import signing
from django.db.models import F, Field, Model, Q, QuerySet
from django.db.models.expressions import OrderBy

from unknot.common.inputs import BadInput

SALT = "unknot.keyset"
MAX_CURSOR = 1000  # longer is not a cursor of ours
REFUSED = "This cursor is not one this server gave for this list: start again from the first page."
GONE = "The row this cursor continues from is gone: start again from the first page."


@dataclass(frozen=True)
class Key:
    """One column of the order: a field path, its direction and whether it may be null."""

    path: str
    descending: bool
    nullable: bool

    def order(self, backwards: bool) -> OrderBy:
        """Nulls sort as the smallest value (first going up, last going down), the same on
        every database, so that "after" means one thing; only nullable columns say so, so the
        others keep using plain indexes."""
        descending = self.descending != backwards
        if not self.nullable:
            return F(self.path).desc() if descending else F(self.path).asc()
        if descending:
            return F(self.path).desc(nulls_last=True)
        return F(self.path).asc(nulls_first=True)

    def beyond(self, value: Any, backwards: bool) -> Q | None:
        """Rows strictly after `value` in this column's direction (None: there are none)."""
        descending = self.descending != backwards
        if value is None:  # null is the smallest: only going up are there rows beyond it
            return None if descending else Q(**{f"{self.path}__isnull": False})
        after = Q(**{f"{self.path}__{'lt' if descending else 'gt'}": value})
        if self.nullable and descending:
            after |= Q(**{f"{self.path}__isnull": True})
        return after

    def reached(self, value: Any, backwards: bool) -> Q | None:
        """`value` or beyond: a range the column's index can start from (None: no bound)."""
        descending = self.descending != backwards
        if value is None:
            return None if descending else Q()
        bound = Q(**{f"{self.path}__{'lte' if descending else 'gte'}": value})
        if self.nullable and descending:
            bound |= Q(**{f"{self.path}__isnull": True})
        return bound

    def equal(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.path}__isnull": True})
        return Q(**{self.path: value})


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next: str | None  # the cursor of the page after this one, if there are more rows
    previous: str | None  # the cursor of the page before, if this one is not the first


def keys_of(rows: QuerySet[Any]) -> list[Key]:
    """The queryset's order as keys, ending with the primary key so that the order is total."""
    model = rows.model
    names = [*(rows.query.order_by or model._meta.ordering or ["pk"])]
    keys = [_key(model, name) for name in names]
    if not any(key.path in ("pk", model._meta.pk.attname, model._meta.pk.name) for key in keys):
        keys.append(Key("pk", keys[-1].descending if keys else False, nullable=False))
    return keys


def _key(model: type[Model], name: str) -> Key:
    if not isinstance(name, str) or name.startswith("?"):
        raise ValueError(f"Keyset paging needs an order of field names, not {name!r}.")
    path = name.removeprefix("-")
    return Key(path, name.startswith("-"), _nullable(model, path))


def _nullable(model: type[Model], path: str) -> bool:
    """Whether the value at `path` may be null: the field itself, or any relation on the way
    (a row without the related row has no value, as with a null)."""
    parts = path.split("__")
    nullable = False
    for part in parts[:-1]:
        relation = model._meta.get_field(part)
        assert relation.related_model is not None, path
        nullable = nullable or bool(getattr(relation, "null", True))
        model = relation.related_model
    last = parts[-1]
    found = model._meta.pk if last == "pk" else model._meta.get_field(last)
    assert isinstance(found, Field), path
    return nullable or found.null


def _order_tag(rows: QuerySet[Any], keys: list[Key], purpose: str) -> str:
    """What a cursor was made for: the list and its order, so it cannot be used on another."""
    order = ",".join(("-" if key.descending else "") + key.path for key in keys)
    return f"{purpose}|{rows.model._meta.label_lower}|{order}"


def make_cursor(tag: str, row_id: Any, backwards: bool) -> str:
    return signing.dumps({"t": tag, "id": row_id, "b": backwards}, salt=SALT, compress=True)


def read_cursor(raw: str, tag: str, field: str) -> tuple[Any, bool]:
    """(the anchor row's id, backwards?) from a cursor this server made for this order."""
    if len(raw) > MAX_CURSOR:
        raise BadInput(REFUSED, field)
    try:
        data = signing.loads(raw, salt=SALT)
    except signing.BadSignature:
        raise BadInput(REFUSED, field) from None
    if not isinstance(data, dict) or data.get("t") != tag or not isinstance(data.get("b"), bool):
        raise BadInput(REFUSED, field)
    row_id = data.get("id")  # None: the start of the list (see `start_cursor`)
    if not isinstance(row_id, int | str | None) or isinstance(row_id, bool):
        raise BadInput(REFUSED, field)
    return row_id, data["b"]


def made_for(rows: QuerySet[Any], cursor: str, *, purpose: str) -> bool:
    """Whether the cursor was made for these rows' list and order (for a list of two parts)."""
    try:
        read_cursor(cursor, _order_tag(rows, keys_of(rows), purpose), "")
    except BadInput:
        return False
    return True


def start_cursor(rows: QuerySet[Any], *, purpose: str) -> str:
    """A cursor for the first page of `rows` (a list of two parts: where the second starts)."""
    return make_cursor(_order_tag(rows, keys_of(rows), purpose), None, backwards=False)


def _after(keys: Sequence[Key], values: Sequence[Any], backwards: bool) -> Q:
    """Rows after the anchor's values: (k1 > v1) or (k1 = v1 and k2 > v2) or ..., and, for
    the index, k1 >= v1 on its own so that the scan starts at the anchor."""
    alternatives = []
    for at, key in enumerate(keys):
        beyond = key.beyond(values[at], backwards)
        if beyond is not None:
            same = [keys[i].equal(values[i]) for i in range(at)]
            alternatives.append(reduce(and_, [*same, beyond]))
    if not alternatives:
        return Q(pk__in=[])
    after = reduce(or_, alternatives)
    bound = keys[0].reached(values[0], backwards)
    return after if bound is None else bound & after


def page(
    rows: QuerySet[Any], size: int, cursor: str | None, *, purpose: str, field: str = "cursor"
) -> Page:
    """`size` rows of the ordered `rows` from the cursor (the first page without one).

    One query for the first page; two from a cursor (its row's sort values, then the page).
    """
    keys = keys_of(rows)
    tag = _order_tag(rows, keys, purpose)
    backwards = False
    anchor_id = None
    if cursor is not None:
        anchor_id, backwards = read_cursor(cursor, tag, field)
    if anchor_id is not None:
        anchor = rows.filter(pk=anchor_id).values_list(*[key.path for key in keys]).first()
        if anchor is None:
            raise BadInput(GONE, field)
        rows = rows.filter(_after(keys, anchor, backwards))
    ordered = rows.order_by(*[key.order(backwards) for key in keys])
    found = list(ordered[: size + 1]) if size else []
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    return Page(found, *_neighbours(tag, found, anchor_id is not None, more, backwards))


def _neighbours(
    tag: str, found: list[Any], from_cursor: bool, more: bool, backwards: bool
) -> tuple[str | None, str | None]:
    """The next and previous cursors: going forwards there is a page before whenever this
    one came from a cursor, and one after when a row beyond the page was found; going
    backwards the other way round."""
    has_next, has_previous = (from_cursor, more) if backwards else (more, from_cursor)
    if not found:
        return None, None
    following = make_cursor(tag, found[-1].pk, backwards=False) if has_next else None
    preceding = make_cursor(tag, found[0].pk, backwards=True) if has_previous else None
    return following, preceding
