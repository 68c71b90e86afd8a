"""Money as people read it."""

from decimal import Decimal

import pytest

from unknot.billing.templatetags.money import money


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), "$1,234.50"),
        (Decimal("0"), "$0.00"),
        (Decimal("-45"), "-$45.00"),
        ("165.00", "$165.00"),
        (None, "—"),
        ("", "—"),
        ("not money", "—"),
    ],
)
def test_money(value, shown):
    assert money(value) == shown
