"""Money as people read it: the `dollars` filter of every page and PDF."""

from decimal import Decimal

import pytest

from unknot.site.templatetags.labels import dollars


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
def test_dollars(value, shown):
    assert dollars(value) == shown
