"""Keyset pages walk every row once, in the order asked, both ways: with ties, descending
keys, and nulls (a nullable field, or a missing related row), on SQLite and PostgreSQL."""

from typing import Any

import pytest

from tests import factories
from tests.personas import Cast
from unknot.common import keyset
from unknot.common.inputs import BadInput
from unknot.patients.models import Patient


def walk(rows: Any, size: int) -> tuple[list[int], list[int]]:
    """Every page forwards from the first, then backwards from the last: the ids in order."""
    pages = [keyset.page(rows, size, None, purpose="test")]
    while pages[-1].next:
        pages.append(keyset.page(rows, size, pages[-1].next, purpose="test"))
    back = [pages[-1]]
    while back[-1].previous:
        back.append(keyset.page(rows, size, back[-1].previous, purpose="test"))
    forwards = [row.pk for page in pages for row in page.rows]
    backwards = [row.pk for page in reversed(back) for row in page.rows]
    return forwards, backwards


@pytest.mark.parametrize(
    "order",
    [("last_name",), ("-last_name",), ("user__username",), ("-user__username",),
     ("-user__username", "first_name"), ("last_name", "-pk")],
)  # fmt: skip
@pytest.mark.parametrize("size", [1, 2, 5])
def test_pages_walk_every_row_once_in_order(cast: Cast, order: tuple[str, ...], size: int) -> None:
    for n in range(4):  # ties on the last name; half without a login (no user: null)
        factories.patient(f"Twin{n}", "Same", cast.clinic_a, login=n % 2 == 0)
    rows = Patient.objects.order_by(*order)
    everything = [row.pk for row in keyset.page(rows, 1000, None, purpose="test").rows]
    assert len(everything) == Patient.objects.count() > 5
    assert walk(rows, size) == (everything, everything)


def test_a_cursor_belongs_to_its_order(cast: Cast) -> None:
    rows = Patient.objects.order_by("last_name")
    cursor = keyset.page(rows, 1, None, purpose="test").next
    assert cursor is not None
    for other in (Patient.objects.order_by("-last_name"), rows.order_by("first_name")):
        with pytest.raises(BadInput):
            keyset.page(other, 1, cursor, purpose="test")
    with pytest.raises(BadInput):
        keyset.page(rows, 1, cursor, purpose="another list")
    with pytest.raises(BadInput):
        keyset.page(rows, 1, cursor[:-2] + "xx", purpose="test")
